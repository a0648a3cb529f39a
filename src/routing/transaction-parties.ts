// Who a transaction speaks for (originators) and whom it is for (targets), per ssp-profile §5.
import type { TransactionBody } from '../ssp';
import type { RouteService } from './route-user';

export interface Parties {
  /** User ids the sender acts for: each must belong to the sending peer's domain. */
  originators: string[];
  /** Service id in MetaInfo/Requestor, if any: must be the sending peer's. */
  requestorServiceID?: string;
  /** User ids the transaction must reach. */
  targets: string[];
  /** Group recipients: never routed here (IM-0020). */
  groups: string[];
  service: RouteService;
}

/** The parties of a request; null for transactions that are not routed (answers, session control). */
export function partiesOf(body: TransactionBody): Parties | null {
  const meta = 'metaInfo' in body ? body.metaInfo : undefined;
  const requestor = meta?.requestorUserID ? [meta.requestorUserID] : [];
  const base = meta?.requestorServiceID ? { requestorServiceID: meta.requestorServiceID } : {};
  switch (body.kind) {
    case 'SendMessageRequest': {
      // Loops, not flatMap and spreads: this runs for every message, at admission and at each delivery round.
      const originators = [...requestor];
      if (body.messageInfo.senderUserID) originators.push(body.messageInfo.senderUserID);
      const users: string[] = [];
      const groups: string[] = [];
      for (const recipient of body.messageInfo.recipients) {
        if (recipient.kind === 'user') users.push(recipient.userID);
        else groups.push(recipient.groupID);
      }
      return { ...base, originators, targets: users, groups, service: 'im' };
    }
    case 'DeliveryStatusReport': {
      const sender = body.messageInfo.senderUserID ? [body.messageInfo.senderUserID] : [];
      return { ...base, originators: requestor, targets: sender, groups: [], service: 'im' };
    }
    case 'SubscribeRequest':
    case 'UnsubscribeRequest':
    case 'GetPresenceRequest':
      return { ...base, originators: requestor, targets: body.userIDs, groups: [], service: 'pres' };
    case 'PresenceNotification':
      return { ...base, originators: [...requestor, ...body.presence.map((p) => p.userID)], targets: body.watcherUserIDs, groups: [], service: 'pres' };
    case 'SearchRequest': {
      const numbers = body.pairs.filter((p) => p.element === 'USER_MOBILE_NUMBER').map((p) => `wv:${p.value.trim()}`);
      return { ...base, originators: requestor, targets: numbers, groups: [], service: 'im' };
    }
    default:
      return null;
  }
}
