// Writers for the transaction elements carried in a Session (ssp-profile.md §5), one per kind.

import type { SearchResponse, TransactionBody, TransactionKind } from './messages';
import {
  encodeAttributeList,
  encodeContentData,
  encodeMessageInfo,
  encodeMetaInfo,
  encodePresenceValues,
  encodeStatus,
  encodeUserIDs,
} from './encode-message-parts';
import { escapeXmlText } from './xml-escape';
import { attribute, element, integer, numberAttribute, yesNoAttribute } from './xml-writers';

type BodyEncoders = { readonly [K in TransactionKind]: (body: Extract<TransactionBody, { kind: K }>) => string };

function encodeSearchResponse(body: SearchResponse): string {
  let users = '';
  for (const user of body.users) users += `<User${attribute('userID', user.userID)}${attribute('friendlyName', user.friendlyName)}/>`;
  return `<SearchResponse><SearchResult>${element('UserList', '', users)}</SearchResult>${encodeStatus(body.status)}</SearchResponse>`;
}

/** One writer per kind; the mapped type makes a missing kind a compile error. */
const BODY_ENCODERS: BodyEncoders = {
  SendMessageRequest: (b) => `<SendMessageRequest${yesNoAttribute('deliveryReport', b.deliveryReport)}>`
    + `${encodeMetaInfo(b.metaInfo)}${encodeMessageInfo(b.messageInfo)}${encodeContentData(b.content)}</SendMessageRequest>`,
  SendMessageResponse: (b) => `<SendMessageResponse${attribute('messageID', b.messageID)}>${encodeStatus(b.status)}</SendMessageResponse>`,
  DeliveryStatusReport: (b) => `<DeliveryStatusReport>${encodeMetaInfo(b.metaInfo)}<DeliveryResult>${encodeStatus(b.result)}</DeliveryResult>`
    + `${b.deliveryTime === undefined ? '' : `<DeliveryTime>${escapeXmlText(b.deliveryTime)}</DeliveryTime>`}`
    + `${encodeMessageInfo(b.messageInfo)}</DeliveryStatusReport>`,
  SubscribeRequest: (b) => element('SubscribeRequest', '', encodeMetaInfo(b.metaInfo) + encodeUserIDs('UserID', b.userIDs) + encodeAttributeList(b.attributeNames)),
  UnsubscribeRequest: (b) => element('UnsubscribeRequest', '', encodeMetaInfo(b.metaInfo) + encodeUserIDs('UserID', b.userIDs)),
  PresenceNotification: (b) => element('PresenceNotification', '', encodeMetaInfo(b.metaInfo) + encodeUserIDs('User', b.watcherUserIDs) + encodePresenceValues(b.presence)),
  GetPresenceRequest: (b) => element('GetPresenceRequest', '', encodeMetaInfo(b.metaInfo) + encodeUserIDs('VerUserID', b.userIDs) + encodeAttributeList(b.attributeNames)),
  GetPresenceResponse: (b) => element('GetPresenceResponse', '', encodePresenceValues(b.presence) + (b.status === undefined ? '' : encodeStatus(b.status))),
  SearchRequest: (b) => element('SearchRequest', '', encodeMetaInfo(b.metaInfo)
    + b.pairs.map((p) => `<SearchPairList><SearchElement>${escapeXmlText(p.element)}</SearchElement><SearchString>${escapeXmlText(p.value)}</SearchString></SearchPairList>`).join('')
    + (b.limit === undefined ? '' : `<SearchLimit>${integer(b.limit)}</SearchLimit>`)),
  SearchResponse: encodeSearchResponse,
  KeepAliveRequest: (b) => `<KeepAliveRequest${numberAttribute('timeToLive', b.timeToLiveSeconds)}/>`,
  LogoutRequest: () => '<LogoutRequest/>',
  Status: (b) => encodeStatus(b.status),
};

/** Write one transaction element. */
export function encodeTransactionBody(body: TransactionBody): string {
  return (BODY_ENCODERS[body.kind] as (body: TransactionBody) => string)(body);
}
