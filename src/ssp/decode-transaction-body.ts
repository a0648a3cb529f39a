// Decoders for the transaction elements carried in a Session (ssp-profile.md §5), one per element name.

import type {
  DeliveryStatusReport,
  GetPresenceRequest,
  GetPresenceResponse,
  KeepAliveRequest,
  MetaInfo,
  SearchPair,
  SearchRequest,
  SearchResponse,
  SendMessageRequest,
  TransactionBody,
  TransactionKind,
} from './messages';
import type { XmlElement } from './parse-xml';
import { findChild, findChildren, idText, numberText, optionalId, optionalNumber, optionalYesNo, requireChild } from './element-readers';
import {
  decodeContentData,
  decodeMessageInfo,
  decodeOptionalMetaInfo,
  decodeStatus,
  decodeUserID,
  decodeUserIDs,
} from './decode-message-parts';
import { decodePresenceValues } from './decode-presence';
import { SspDecodeError, malformed } from './ssp-decode-error';

type BodyDecoder = (element: XmlElement) => TransactionBody;

const NO_META_INFO: { metaInfo?: MetaInfo } = Object.freeze({});

/** `{ metaInfo }` to spread into a body, only when the peer sent one (decoded values then equal their golden form). */
function metaInfoOf(element: XmlElement): { metaInfo?: MetaInfo } {
  const metaInfo = decodeOptionalMetaInfo(element);
  return metaInfo === undefined ? NO_META_INFO : { metaInfo };
}

function decodeSendMessageRequest(element: XmlElement): SendMessageRequest {
  const messageInfo = decodeMessageInfo(requireChild(element, 'MessageInfo'));
  if (messageInfo.recipients.length === 0) throw malformed('<MessageInfo> names no <Recipient>');
  const body: SendMessageRequest = {
    kind: 'SendMessageRequest',
    deliveryReport: optionalYesNo(element, 'deliveryReport') ?? false,
    ...metaInfoOf(element),
    messageInfo,
  };
  const content = findChild(element, 'ContentData');
  if (content !== undefined) body.content = decodeContentData(content);
  return body;
}

function decodeDeliveryStatusReport(element: XmlElement): DeliveryStatusReport {
  const body: DeliveryStatusReport = {
    kind: 'DeliveryStatusReport',
    ...metaInfoOf(element),
    result: decodeStatus(requireChild(requireChild(element, 'DeliveryResult'), 'Status')),
    messageInfo: decodeMessageInfo(requireChild(element, 'MessageInfo')),
  };
  const deliveryTime = findChild(element, 'DeliveryTime');
  if (deliveryTime !== undefined) body.deliveryTime = deliveryTime.text;
  return body;
}

/** Subscribe/Unsubscribe/GetPresence name at least one user (`<UserID>`, or `<VerUserID>` for GetPresence). */
function requireUserIDs(element: XmlElement, name: string): string[] {
  const userIDs = decodeUserIDs(element, name);
  if (userIDs.length === 0) throw malformed(`<${element.name}> names no <${name}>`);
  return userIDs;
}

/** `<AttributeList><OnlineStatus/><StatusText/></AttributeList>` → the requested presence attribute names. */
function attributeNamesOf(element: XmlElement): string[] {
  return findChild(element, 'AttributeList')?.children.map((child) => child.name) ?? [];
}

function decodeGetPresenceRequest(element: XmlElement): GetPresenceRequest {
  const userIDs = [...decodeUserIDs(element, 'VerUserID'), ...decodeUserIDs(element, 'UserID')];
  if (userIDs.length === 0) throw malformed('<GetPresenceRequest> names no <VerUserID>');
  return { kind: 'GetPresenceRequest', ...metaInfoOf(element), userIDs, attributeNames: attributeNamesOf(element) };
}

function decodeGetPresenceResponse(element: XmlElement): GetPresenceResponse {
  const body: GetPresenceResponse = { kind: 'GetPresenceResponse', presence: decodePresenceValues(element) };
  const status = findChild(element, 'Status');
  if (status !== undefined) body.status = decodeStatus(status);
  return body;
}

function decodeSearchPair(element: XmlElement): SearchPair {
  return { element: idText(requireChild(element, 'SearchElement')), value: idText(requireChild(element, 'SearchString')) };
}

function decodeSearchRequest(element: XmlElement): SearchRequest {
  const pairs = findChildren(element, 'SearchPairList').map(decodeSearchPair);
  if (pairs.length === 0) throw malformed('<SearchRequest> lacks <SearchPairList>');
  const body: SearchRequest = { kind: 'SearchRequest', ...metaInfoOf(element), pairs };
  const limit = findChild(element, 'SearchLimit');
  if (limit !== undefined) body.limit = numberText(limit);
  return body;
}

function decodeSearchResponse(element: XmlElement): SearchResponse {
  const userList = findChild(findChild(element, 'SearchResult') ?? element, 'UserList');
  const users = (userList === undefined ? [] : findChildren(userList, 'User')).map((user) => {
    const friendlyName = optionalId(user, 'friendlyName');
    const userID = decodeUserID(user);
    return friendlyName === undefined ? { userID } : { userID, friendlyName };
  });
  return { kind: 'SearchResponse', users, status: decodeStatus(requireChild(element, 'Status')) };
}

function decodeKeepAliveRequest(element: XmlElement): KeepAliveRequest {
  const timeToLiveSeconds = optionalNumber(element, 'timeToLive');
  return timeToLiveSeconds === undefined ? { kind: 'KeepAliveRequest' } : { kind: 'KeepAliveRequest', timeToLiveSeconds };
}

/** Element local name → decoder; built once. Anything else in a Transaction is answered 501. */
const BODY_DECODERS: ReadonlyMap<string, BodyDecoder> = new Map<TransactionKind, BodyDecoder>([
  ['SendMessageRequest', decodeSendMessageRequest],
  ['SendMessageResponse', (e) => ({ kind: 'SendMessageResponse', messageID: optionalId(e, 'messageID') ?? '', status: decodeStatus(requireChild(e, 'Status')) })],
  ['DeliveryStatusReport', decodeDeliveryStatusReport],
  ['SubscribeRequest', (e) => ({ kind: 'SubscribeRequest', ...metaInfoOf(e), userIDs: requireUserIDs(e, 'UserID'), attributeNames: attributeNamesOf(e) })],
  ['UnsubscribeRequest', (e) => ({ kind: 'UnsubscribeRequest', ...metaInfoOf(e), userIDs: requireUserIDs(e, 'UserID') })],
  ['PresenceNotification', (e) => ({ kind: 'PresenceNotification', ...metaInfoOf(e), watcherUserIDs: decodeUserIDs(e, 'User'), presence: decodePresenceValues(e) })],
  ['GetPresenceRequest', decodeGetPresenceRequest],
  ['GetPresenceResponse', decodeGetPresenceResponse],
  ['SearchRequest', decodeSearchRequest],
  ['SearchResponse', decodeSearchResponse],
  ['KeepAliveRequest', decodeKeepAliveRequest],
  ['LogoutRequest', () => ({ kind: 'LogoutRequest' })],
  ['Status', (e) => ({ kind: 'Status', status: decodeStatus(e) })],
]);

/** Decode one transaction element; an element this gateway does not know is SSP_NOT_IMPLEMENTED / 501. */
export function decodeTransactionBody(element: XmlElement): TransactionBody {
  const decode = BODY_DECODERS.get(element.name);
  if (decode === undefined) {
    throw new SspDecodeError('SSP_NOT_IMPLEMENTED', `${element.name} is not implemented`, { impsStatus: 501 });
  }
  return decode(element);
}
