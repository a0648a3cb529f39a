// Durable inbound transactions: accepted work is written here before it is acknowledged (issue 4).
import type { TransactionBody } from '../ssp';

/** A request as accepted from a peer or our core, with what is known about its delivery. */
export interface StoredTransaction {
  /** Our id; outbound transactionIDs derive from it, so a retry after a restart reuses them. */
  id: string;
  originDomain: string;
  originTransactionID: string;
  /** What is still to deliver: narrowed to the remaining recipients after a partial success. */
  body: TransactionBody;
  /** `pending` until every recipient is delivered or given up; then `done`. */
  state: 'pending' | 'done';
  /**
   * The next hops it waits for, each counted in that hop's queue depth and bound; none before the first routing.
   * A hop never holds white space (a domain name, `sms:`, `enum:`).
   */
  targets: readonly string[];
  acceptedAtMs: number;
  /** After this the transaction is given up and the originator told (validity). */
  expiresAtMs: number;
  attempts: number;
  nextAttemptAtMs: number;
  /** The answer sent to the origin (replayed to a retransmission), once there is one. */
  answer: TransactionBody | null;
  /** Sends whose outcome is unknown (the peer may have delivered them): later rounds reuse their transactionIDs. */
  uncertainGroups: readonly UncertainGroup[];
}

/** A transaction sent to a next hop that timed out or was refused for now. */
export interface UncertainGroup {
  hop: string;
  transactionID: string;
  /** The recipients that may go under its transactionID again: those of every send under it so far. */
  targets: string[];
  /**
   * The recipients of the first send under its transactionID (later ones carry fewer): a peer that took that
   * send answers a repeat for all of them. Absent in groups stored before it was kept: then `targets`.
   */
  firstSend?: string[];
}

/** What most records have: one shared empty list, not an array per stored transaction. */
export const NO_UNCERTAIN_GROUPS: readonly UncertainGroup[] = Object.freeze([]);

/** A record not queued for any hop (a new one): one shared empty list. */
export const NO_TARGETS: readonly string[] = Object.freeze([]);

/** What a rescheduled record keeps; an absent field keeps its stored value. */
export interface RescheduleChange {
  body?: TransactionBody;
  answer?: TransactionBody;
  /** Replaces the stored groups. */
  uncertainGroups?: readonly UncertainGroup[];
  targets: readonly string[];
  attempts: number;
  nextAttemptAtMs: number;
}

export interface NewTransaction {
  id: string;
  originDomain: string;
  originTransactionID: string;
  body: TransactionBody;
  acceptedAtMs: number;
  expiresAtMs: number;
  /** When the scheduler may pick it up if the first attempt did not finish (a crash): a lease. */
  nextAttemptAtMs: number;
}

/** `duplicate`: the origin already sent this transactionID; the stored record tells what happened to it. */
export type AcceptOutcome = { kind: 'accepted'; record: StoredTransaction } | { kind: 'duplicate'; record: StoredTransaction };

export interface QueueDepth {
  target: string;
  depth: number;
  oldestAcceptedAtMs: number;
}

/**
 * The store every gateway replica shares (embedded: SQLite; shared: Redis). Implementations must pass the
 * contract suite in test/store/transaction-store.contract.ts.
 */
export interface TransactionStore {
  /** Idempotent on (originDomain, originTransactionID): the first call stores, later ones report a duplicate. */
  accept(entry: NewTransaction): Promise<AcceptOutcome>;
  /** Every recipient delivered or given up — with the origin's answer when it is given now — in one write. */
  complete(id: string, answer?: TransactionBody): Promise<void>;
  /**
   * An attempt failed transiently for some recipients: keep what remains, try again at `nextAttemptAtMs`; the
   * origin's answer, when it is given now, is written with it.
   */
  reschedule(id: string, change: RescheduleChange): Promise<void>;
  /**
   * Pending records whose next attempt is due, oldest first, leased until `leaseUntilMs`: a record being
   * delivered is not handed out again before its lease ends (by this or another replica).
   */
  claimDue(nowMs: number, limit: number, leaseUntilMs: number): Promise<StoredTransaction[]>;
  /**
   * End a lease early: a pending record is due again at `nextAttemptAtMs` (a record claimed while the round
   * that had rescheduled it was still running); a completed one stays completed.
   */
  release(id: string, nextAttemptAtMs: number): Promise<void>;
  queueDepths(): Promise<QueueDepth[]>;
  /**
   * Forget done records accepted before `beforeMs` (their duplicates are no longer expected), the oldest first and
   * at most `limit` of them: a caller purges a day's worth in steps that each hold the store only briefly.
   */
  purgeDone(beforeMs: number, limit: number): Promise<number>;
  close(): Promise<void>;
}
