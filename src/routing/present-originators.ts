// Presenting our users to a peer (ssp-profile §3): MNP-aware peers take `wv:+MSISDN`, others need `@our-domain`.
import type { MetaInfo, TransactionBody } from '../ssp';
import { parseUserId } from './user-id';

/** Rewrite domain-less `wv:+MSISDN` originators to `wv:+MSISDN@domain` when the peer wants domains. */
export function presentOriginators(body: TransactionBody, presentAs: 'msisdn' | 'domain', domain: string): TransactionBody {
  if (presentAs === 'msisdn') return body;
  const present = (userID: string): string => {
    const identity = parseUserId(userID);
    return identity && identity.domain === null ? `${userID}@${domain}` : userID;
  };
  const meta = (metaInfo: MetaInfo | undefined): MetaInfo | undefined =>
    metaInfo?.requestorUserID ? { ...metaInfo, requestorUserID: present(metaInfo.requestorUserID) } : metaInfo;
  switch (body.kind) {
    case 'SendMessageRequest': {
      const { senderUserID } = body.messageInfo;
      return {
        ...body,
        ...optional('metaInfo', meta(body.metaInfo)),
        messageInfo: { ...body.messageInfo, ...optional('senderUserID', senderUserID && present(senderUserID)) },
      };
    }
    case 'PresenceNotification':
      return { ...body, ...optional('metaInfo', meta(body.metaInfo)), presence: body.presence.map((p) => ({ ...p, userID: present(p.userID) })) };
    case 'DeliveryStatusReport':
    case 'SubscribeRequest':
    case 'UnsubscribeRequest':
    case 'GetPresenceRequest':
    case 'SearchRequest':
      return { ...body, ...optional('metaInfo', meta(body.metaInfo)) };
    default:
      return body;
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
