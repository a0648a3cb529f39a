// Decoders for presence data (ssp-profile.md §5; PresenceSubList of OMA IMPS PA 1.2), relayed uninterpreted.

import type { PresenceValue, XmlNode } from './messages';
import type { XmlElement } from './parse-xml';
import { findChild, findChildren, requireId } from './element-readers';

/** `<PresenceValue userID><PresenceSubList xmlns="…WV-PA1.2">attributes</PresenceSubList></PresenceValue>`. */
function decodePresenceValue(element: XmlElement): PresenceValue {
  const userID = requireId(element, 'userID');
  const subList = findChild(element, 'PresenceSubList');
  if (subList === undefined) return { userID, attributes: element.children.map(toXmlNode) };
  const value: PresenceValue = { userID, attributes: subList.children.map(toXmlNode) };
  if (subList.namespace !== undefined) value.namespace = subList.namespace;
  return value;
}

/** Every `<PresenceValue>` child, in document order. */
export function decodePresenceValues(parent: XmlElement): PresenceValue[] {
  return findChildren(parent, 'PresenceValue').map(decodePresenceValue);
}

function toXmlNode(element: XmlElement): XmlNode {
  const node: XmlNode = { name: element.name, attributes: element.attributes, children: element.children.map(toXmlNode) };
  if (element.text !== '') node.text = element.text;
  return node;
}
