// A copy of a request narrowed to some of its targets, for requests split per route (issue: multi-recipient).
import type { TransactionBody } from '../ssp';

export function withTargets(body: TransactionBody, targets: readonly string[]): TransactionBody {
  const keep = new Set(targets);
  switch (body.kind) {
    case 'SendMessageRequest':
      return {
        ...body,
        messageInfo: { ...body.messageInfo, recipients: body.messageInfo.recipients.filter((r) => r.kind === 'user' && keep.has(r.userID)) },
      };
    case 'SubscribeRequest':
    case 'UnsubscribeRequest':
    case 'GetPresenceRequest':
      return { ...body, userIDs: body.userIDs.filter((id) => keep.has(id)) };
    case 'PresenceNotification':
      return { ...body, watcherUserIDs: body.watcherUserIDs.filter((id) => keep.has(id)) };
    case 'SearchRequest':
      return { ...body, pairs: body.pairs.filter((p) => p.element !== 'USER_MOBILE_NUMBER' || keep.has(`wv:${p.value.trim()}`)) };
    default:
      return body;
  }
}
