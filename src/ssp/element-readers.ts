// Typed field readers over XmlElement for the SSP decoder (ssp-profile.md §2–§6): missing → 400, bad value → 402.

import type { Mode } from './messages';
import type { XmlElement } from './parse-xml';
import { badParameter, malformed } from './ssp-decode-error';

/** Ids (transactionID, sessionID, userID, messageID, tokens) longer than this are refused: no peer needs more. */
const MAX_ID_LENGTH = 1024;

const NUMBER = /^\s*[0-9]{1,12}\s*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const WHITESPACE = /\s+/g;

/** First child with this local name. */
export function findChild(element: XmlElement, name: string): XmlElement | undefined {
  for (const child of element.children) if (child.name === name) return child;
  return undefined;
}

/** All children with this local name, in document order. */
export function findChildren(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** The first child with this local name; missing → 400 naming parent and child. */
export function requireChild(element: XmlElement, name: string): XmlElement {
  const child = findChild(element, name);
  if (child === undefined) throw malformed(`<${element.name}> lacks <${name}>`);
  return child;
}

/** An attribute by local name, untrimmed; missing → 400 naming element and attribute. */
export function requireAttribute(element: XmlElement, name: string): string {
  const value = element.attributes[name];
  if (value === undefined) throw malformed(`<${element.name}> lacks attribute ${name}`);
  return value;
}

/** An id attribute, trimmed (the deployed peer pads values) and bounded. */
export function requireId(element: XmlElement, name: string): string {
  return boundedId(requireAttribute(element, name).trim(), `<${element.name} ${name}>`);
}

/** An envelope id (transactionID, sessionID), which must not be empty either: nothing could be answered under it. */
export function requireEnvelopeId(element: XmlElement, name: string): string {
  const id = requireId(element, name);
  if (id === '') throw malformed(`<${element.name} ${name}> is empty`);
  return id;
}

/** An optional id attribute, trimmed and bounded like requireId. */
export function optionalId(element: XmlElement, name: string): string | undefined {
  const value = element.attributes[name];
  return value === undefined ? undefined : boundedId(value.trim(), `<${element.name} ${name}>`);
}

/** An id carried as element text (SecretToken, SearchString, UserID text form). */
export function idText(element: XmlElement): string {
  return boundedId(element.text.trim(), `<${element.name}>`);
}

function boundedId(value: string, where: string): string {
  if (value.length > MAX_ID_LENGTH) throw malformed(`${where} exceeds ${MAX_ID_LENGTH} characters`);
  return value;
}

/** A non-negative integer attribute (timeToLive, contentSize, validity, code); non-numeric → 402. */
export function optionalNumber(element: XmlElement, name: string): number | undefined {
  const value = element.attributes[name];
  if (value === undefined) return undefined;
  if (!NUMBER.test(value)) throw badParameter(`<${element.name} ${name}="${clip(value)}"> is not a number`);
  return Number(value);
}

/** A required non-negative integer attribute (Status code); missing → 400, non-numeric → 402. */
export function requireNumber(element: XmlElement, name: string): number {
  const value = optionalNumber(element, name);
  if (value === undefined) throw malformed(`<${element.name}> lacks attribute ${name}`);
  return value;
}

/** A non-negative integer element text (SearchLimit, TryAgainTimeout); non-numeric → 402. */
export function numberText(element: XmlElement): number {
  if (!NUMBER.test(element.text)) throw badParameter(`<${element.name}>${clip(element.text)}</${element.name}> is not a number`);
  return Number(element.text);
}

/** `Yes`/`No` flags (deliveryReport, clientOriginated), compared case-insensitively. */
export function optionalYesNo(element: XmlElement, name: string): boolean | undefined {
  const value = element.attributes[name];
  if (value === undefined) return undefined;
  const lower = value.trim().toLowerCase();
  if (lower === 'yes') return true;
  if (lower === 'no') return false;
  throw badParameter(`<${element.name} ${name}="${clip(value)}"> is neither Yes nor No`);
}

/** `mode="Request|Response"` of a (Setup)Transaction. */
export function readMode(element: XmlElement): Mode {
  const value = requireAttribute(element, 'mode').trim().toLowerCase();
  if (value === 'request') return 'Request';
  if (value === 'response') return 'Response';
  throw badParameter(`<${element.name} mode="${clip(element.attributes['mode'] ?? '')}"> is neither Request nor Response`);
}

/** Base64 text with line breaks and padding spaces removed (RFC 4648 §4 alphabet); anything else → 402. */
export function base64Text(element: XmlElement): Buffer {
  const compact = element.text.replace(WHITESPACE, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1) throw badParameter(`<${element.name}> is not valid base64`);
  return Buffer.from(compact, 'base64');
}

/** Quote at most 40 characters of a peer's value in a description. */
function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
