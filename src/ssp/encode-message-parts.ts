// Writers for the parts shared by SSP transactions (ssp-profile.md §5–§6): Status, MetaInfo, MessageInfo, content, presence.

import type { ContentData, DetailedResult, MessageInfo, MetaInfo, PresenceValue, Recipient, Status, XmlNode } from './messages';
import { PRESENCE_NAMESPACE } from './namespaces';
import { escapeXmlAttribute, escapeXmlText } from './xml-escape';
import { attribute, checkedAttributeName, checkedName, element, integer, numberAttribute, yesNoAttribute } from './xml-writers';

/** `<tag userID="…"/>` for each id: User, UserID, VerUserID carry the id as an attribute (as deployed). */
export function encodeUserIDs(tag: string, userIDs: readonly string[]): string {
  let xml = '';
  for (const userID of userIDs) xml += `<${tag} userID="${escapeXmlAttribute(userID)}"/>`;
  return xml;
}

function encodeDetailedResult(result: DetailedResult): string {
  const description = result.description === undefined ? '' : `<StatusDescription>${escapeXmlText(result.description)}</StatusDescription>`;
  return element('DetailedResult', ` code="${integer(result.code)}"`, description + encodeUserIDs('UserID', result.userIDs));
}

/** `<Status code>` with StatusDescription, DetailedResult… and TryAgainTimeout when present (§6). */
export function encodeStatus(status: Status): string {
  let inner = status.description === undefined ? '' : `<StatusDescription>${escapeXmlText(status.description)}</StatusDescription>`;
  if (status.detailedResults !== undefined) for (const result of status.detailedResults) inner += encodeDetailedResult(result);
  if (status.tryAgainTimeoutSeconds !== undefined) inner += `<TryAgainTimeout>${integer(status.tryAgainTimeoutSeconds)}</TryAgainTimeout>`;
  return element('Status', ` code="${integer(status.code)}"`, inner);
}

/** `<MetaInfo clientOriginated><Requestor serviceID><User userID/></Requestor></MetaInfo>`; nothing when absent. */
export function encodeMetaInfo(metaInfo: MetaInfo | undefined): string {
  if (metaInfo === undefined) return '';
  const user = metaInfo.requestorUserID === undefined ? '' : encodeUserIDs('User', [metaInfo.requestorUserID]);
  const requestor = metaInfo.requestorServiceID === undefined && user === ''
    ? ''
    : element('Requestor', attribute('serviceID', metaInfo.requestorServiceID), user);
  return element('MetaInfo', yesNoAttribute('clientOriginated', metaInfo.clientOriginated), requestor);
}

function encodeRecipient(recipient: Recipient): string {
  return recipient.kind === 'user'
    ? encodeUserIDs('User', [recipient.userID])
    : `<Group${attribute('groupID', recipient.groupID)}/>`;
}

/** All recipients go in one `<Recipient>`, which may name several users and groups. */
export function encodeMessageInfo(info: MessageInfo): string {
  const attributes = attribute('messageID', info.messageID) + attribute('contentType', info.contentType)
    + numberAttribute('contentSize', info.contentSize) + numberAttribute('validity', info.validitySeconds);
  let inner = info.recipients.length === 0 ? '' : `<Recipient>${info.recipients.map(encodeRecipient).join('')}</Recipient>`;
  if (info.senderUserID !== undefined) inner += `<Sender>${encodeUserIDs('User', [info.senderUserID])}</Sender>`;
  if (info.dateTime !== undefined) inner += `<DateTime format="iso8601">${escapeXmlText(info.dateTime)}</DateTime>`;
  return element('MessageInfo', attributes, inner);
}

/** `<ContentData>`: base64 when the transfer encoding says so, else the bytes as UTF-8 text. */
export function encodeContentData(content: ContentData | undefined): string {
  if (content === undefined) return '';
  const type = attribute('contentType', content.contentType);
  return content.transferEncoding === 'base64'
    ? `<ContentData${type} encoding="base64">${content.bytes.toString('base64')}</ContentData>`
    : `<ContentData${type}>${escapeXmlText(content.bytes.toString('utf8'))}</ContentData>`;
}

function encodeXmlNode(node: XmlNode): string {
  const name = checkedName(node.name);
  let attributes = '';
  for (const key in node.attributes) attributes += attribute(checkedAttributeName(key), node.attributes[key]);
  const text = node.text === undefined ? '' : escapeXmlText(node.text);
  return element(name, attributes, text + node.children.map(encodeXmlNode).join(''));
}

/** `<PresenceValue userID><PresenceSubList xmlns>…</PresenceSubList></PresenceValue>` (namespace WV-PA1.2 by default). */
export function encodePresenceValues(values: readonly PresenceValue[]): string {
  let xml = '';
  for (const value of values) {
    const subList = `<PresenceSubList xmlns="${escapeXmlAttribute(value.namespace ?? PRESENCE_NAMESPACE)}">${value.attributes.map(encodeXmlNode).join('')}</PresenceSubList>`;
    xml += `<PresenceValue${attribute('userID', value.userID)}>${subList}</PresenceValue>`;
  }
  return xml;
}

/** `<AttributeList><OnlineStatus/>…</AttributeList>`; nothing when no attribute is named. */
export function encodeAttributeList(names: readonly string[]): string {
  return names.length === 0 ? '' : `<AttributeList>${names.map((name) => `<${checkedName(name)}/>`).join('')}</AttributeList>`;
}
