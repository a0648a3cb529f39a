// Decoders for the parts shared by SSP transactions (ssp-profile.md §5–§6): Status, MetaInfo, MessageInfo, ContentData.

import type { ContentData, DetailedResult, MessageInfo, MetaInfo, Recipient, Status } from './messages';
import type { XmlElement } from './parse-xml';
import {
  base64Text,
  findChild,
  findChildren,
  idText,
  numberText,
  optionalId,
  optionalNumber,
  optionalYesNo,
  requireId,
  requireNumber,
} from './element-readers';
import { SspDecodeError, badParameter, malformed } from './ssp-decode-error';

/**
 * A user id written as `<User userID="…"/>` (as deployed), `<User><UserID>…</UserID></User>` (the CSP form) or
 * `<UserID>…</UserID>`.
 */
export function decodeUserID(element: XmlElement): string {
  const attribute = optionalId(element, 'userID');
  if (attribute !== undefined) return attribute;
  const child = findChild(element, 'UserID');
  if (child !== undefined) return decodeUserID(child);
  if (element.text !== '') return idText(element);
  throw malformed(`<${element.name}> lacks attribute userID`);
}

/** The user ids of every child element with this local name. */
export function decodeUserIDs(parent: XmlElement, name: string): string[] {
  return findChildren(parent, name).map(decodeUserID);
}

/** `<Status code>` with optional StatusDescription, DetailedResult… and TryAgainTimeout (§6). */
export function decodeStatus(element: XmlElement): Status {
  const status: Status = { code: requireNumber(element, 'code') };
  const description = findChild(element, 'StatusDescription');
  if (description !== undefined) status.description = description.text;
  const details = findChildren(element, 'DetailedResult');
  if (details.length > 0) status.detailedResults = details.map(decodeDetailedResult);
  const tryAgain = findChild(element, 'TryAgainTimeout');
  if (tryAgain !== undefined) status.tryAgainTimeoutSeconds = numberText(tryAgain);
  return status;
}

function decodeDetailedResult(element: XmlElement): DetailedResult {
  const result: DetailedResult = { code: requireNumber(element, 'code'), userIDs: decodeUserIDs(element, 'UserID') };
  const description = findChild(element, 'StatusDescription');
  if (description !== undefined) result.description = description.text;
  return result;
}

/** `<MetaInfo clientOriginated><Requestor serviceID><User userID/></Requestor></MetaInfo>`. */
function decodeMetaInfo(element: XmlElement): MetaInfo {
  const metaInfo: MetaInfo = {};
  const clientOriginated = optionalYesNo(element, 'clientOriginated');
  if (clientOriginated !== undefined) metaInfo.clientOriginated = clientOriginated;
  const requestor = findChild(element, 'Requestor');
  if (requestor === undefined) return metaInfo;
  const serviceID = optionalId(requestor, 'serviceID');
  if (serviceID !== undefined) metaInfo.requestorServiceID = serviceID;
  const user = findChild(requestor, 'User');
  if (user !== undefined) metaInfo.requestorUserID = decodeUserID(user);
  return metaInfo;
}

/** The optional MetaInfo child of a transaction element. */
export function decodeOptionalMetaInfo(parent: XmlElement): MetaInfo | undefined {
  const element = findChild(parent, 'MetaInfo');
  return element === undefined ? undefined : decodeMetaInfo(element);
}

/** `<MessageInfo messageID contentType contentSize validity>` with Recipient…, Sender, DateTime (§5). */
export function decodeMessageInfo(element: XmlElement): MessageInfo {
  const messageInfo: MessageInfo = { messageID: requireId(element, 'messageID'), recipients: [] };
  const contentType = optionalId(element, 'contentType');
  if (contentType !== undefined) messageInfo.contentType = contentType;
  const contentSize = optionalNumber(element, 'contentSize');
  if (contentSize !== undefined) messageInfo.contentSize = contentSize;
  const validity = optionalNumber(element, 'validity');
  if (validity !== undefined) messageInfo.validitySeconds = validity;
  for (const recipient of findChildren(element, 'Recipient')) messageInfo.recipients.push(...decodeRecipient(recipient));
  const sender = findChild(element, 'Sender');
  const senderUser = sender === undefined ? undefined : findChild(sender, 'User');
  if (senderUser !== undefined) messageInfo.senderUserID = decodeUserID(senderUser);
  const dateTime = findChild(element, 'DateTime');
  if (dateTime !== undefined) messageInfo.dateTime = dateTime.text;
  return messageInfo;
}

/** One `<Recipient>` may name several users and groups; any other kind of recipient is not routed here. */
function decodeRecipient(element: XmlElement): Recipient[] {
  return element.children.map((child): Recipient => {
    if (child.name === 'User') return { kind: 'user', userID: decodeUserID(child) };
    if (child.name === 'Group') return { kind: 'group', groupID: decodeGroupID(child) };
    throw new SspDecodeError('SSP_NOT_IMPLEMENTED', `<Recipient><${child.name}> is not implemented`, { impsStatus: 501 });
  });
}

function decodeGroupID(element: XmlElement): string {
  const attribute = optionalId(element, 'groupID');
  if (attribute !== undefined) return attribute;
  const child = findChild(element, 'GroupID');
  if (child !== undefined) return idText(child);
  throw malformed('<Group> lacks attribute groupID');
}

/** `<ContentData contentType encoding>`: base64 undone, raw text kept as UTF-8 bytes (padding trimmed, §2). */
export function decodeContentData(element: XmlElement): ContentData {
  const encoding = element.attributes['encoding']?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== 'base64' && encoding !== 'none') {
    throw badParameter(`<ContentData encoding="${encoding.slice(0, 40)}"> is not supported`);
  }
  const content: ContentData = encoding === 'base64'
    ? { transferEncoding: 'base64', bytes: base64Text(element) }
    : { transferEncoding: 'none', bytes: Buffer.from(element.text, 'utf8') };
  const contentType = optionalId(element, 'contentType');
  if (contentType !== undefined) content.contentType = contentType;
  return content;
}
