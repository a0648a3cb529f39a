// The transactions a next hop gets in one round: a send whose outcome is unknown keeps its transactionID.
import type { UncertainGroup } from '../store';
import { outboundTransactionID } from './outbound-transaction-id';

/** One transaction to a next hop. */
export interface HopTransaction {
  transactionID: string;
  targets: string[];
}

/** `replayOf`: sent under an uncertain group's transactionID, the recipients of its first send, all of whom the peer may answer for. */
export interface PlannedHopTransaction extends HopTransaction {
  replayOf?: readonly string[];
}

/** A transaction sent in a round; `uncertain`: its outcome is not known and its recipients wait for another round. */
export interface HopSend extends HopTransaction {
  hop: string;
  uncertain: boolean;
}

/**
 * Split a hop's recipients (at least one) by the uncertain groups of the record. Those of a group go under its
 * transactionID, fewer of them or not: a peer that took the earlier send answers the repeat with its stored answer
 * and delivers nothing again; one that never got it delivers to them. The others go together under the
 * transactionID of their own set.
 */
export function hopTransactions(recordId: string, hop: string, targets: string[], groups: readonly UncertainGroup[]): PlannedHopTransaction[] {
  const ownSet = (): PlannedHopTransaction[] => [{ transactionID: outboundTransactionID(recordId, hop, targets), targets }];
  if (groups.length === 0) return ownSet(); // nearly every record: no Map per message
  const groupOf = new Map<string, UncertainGroup>();
  for (const group of groups) if (group.hop === hop) for (const target of group.targets) groupOf.set(target, group);
  if (groupOf.size === 0) return ownSet();
  const byGroup = new Map<UncertainGroup | undefined, string[]>();
  for (const target of targets) {
    const group = groupOf.get(target);
    const members = byGroup.get(group);
    if (members) members.push(target);
    else byGroup.set(group, [target]);
  }
  return [...byGroup].map(([group, members]) =>
    group === undefined
      ? { transactionID: outboundTransactionID(recordId, hop, members), targets: members }
      : { transactionID: group.transactionID, targets: members, replayOf: group.firstSend ?? group.targets },
  );
}

/**
 * The groups after a round's sends (each to a group's recipients only, as hopTransactions splits them); the same
 * array when none changed. An uncertain send is remembered with what it sent: a recipient of its group that was
 * not in it (waiting elsewhere this round) would be lost under that transactionID were this the send the peer
 * took, so it goes under another one later (a duplicate at worst). An answered send ends its group: the peer
 * answers any repeat of that transactionID from its store.
 */
export function uncertainGroupsAfter(groups: readonly UncertainGroup[], sends: readonly HopSend[]): readonly UncertainGroup[] {
  const byTransactionID = new Map(groups.map((group) => [group.transactionID, group]));
  let changed = false;
  for (const { hop, transactionID, targets, uncertain } of sends) {
    const group = byTransactionID.get(transactionID);
    if (!uncertain) changed = byTransactionID.delete(transactionID) || changed;
    // A transactionID without recipients is the same in every round: nothing to remember.
    else if (targets.length > 0 && group?.targets.length !== targets.length) {
      byTransactionID.set(transactionID, { hop, transactionID, targets, firstSend: group ? (group.firstSend ?? group.targets) : targets });
      changed = true;
    }
  }
  return changed ? [...byTransactionID.values()] : groups;
}
