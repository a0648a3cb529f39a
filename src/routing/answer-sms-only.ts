// Answers for recipients reachable only by SMS (seed 000 use case 1, seed 002): presence and search are
// answered here, by the gateway, on behalf of the legacy customer.
import { smsOnlyPresence } from '../sms';
import { statusOf, type TransactionBody } from '../ssp';
import { answerWithStatus } from './answers';
import { parseUserId } from './user-id';

export interface SmsOnlyAnswer {
  answer: TransactionBody;
  /** A PresenceNotification to send the watcher after a SubscribeRequest is accepted. */
  notification?: TransactionBody;
}

/** The gateway's own answer for `targets`, all SMS-only users, of `request`. */
export function answerForSmsOnly(request: TransactionBody, targets: string[], statusText: string, ourDomain: string): SmsOnlyAnswer {
  const presence = () => targets.map((userID) => smsOnlyPresence(userID, parseUserId(userID)?.msisdn ?? userID, statusText));
  switch (request.kind) {
    case 'GetPresenceRequest':
      return { answer: { kind: 'GetPresenceResponse', presence: presence(), status: statusOf(200) } };
    case 'SubscribeRequest': {
      const watcher = request.metaInfo?.requestorUserID;
      const answer: TransactionBody = { kind: 'Status', status: statusOf(200) };
      if (!watcher) return { answer };
      return { answer, notification: { kind: 'PresenceNotification', metaInfo: { requestorServiceID: `wv:@${ourDomain}` }, watcherUserIDs: [watcher], presence: presence() } };
    }
    case 'UnsubscribeRequest':
      return { answer: { kind: 'Status', status: statusOf(200) } };
    case 'SearchRequest':
      // Use case 1.b: the number itself is the user id (seed 004 wv:+MSISDN form).
      return { answer: { kind: 'SearchResponse', users: targets.map((userID) => ({ userID })), status: statusOf(200) } };
    case 'PresenceNotification':
      return { answer: answerWithStatus(request, statusOf(405, 'SMS-only users receive no presence')) };
    default:
      return { answer: answerWithStatus(request, statusOf(501, 'termination of IM as SMS is not available on this gateway yet')) };
  }
}
