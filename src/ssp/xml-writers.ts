// Small string writers for the SSP encoder (XML 1.0 §3.1 tags): template strings, no generic builder.

import { GatewayError } from '../errors';
import { escapeXmlAttribute } from './xml-escape';

/** ` name="value"`, or nothing when the value is absent. */
export function attribute(name: string, value: string | undefined): string {
  return value === undefined ? '' : ` ${name}="${escapeXmlAttribute(value)}"`;
}

/** ` name="n"` for a non-negative integer, or nothing when absent. */
export function numberAttribute(name: string, value: number | undefined): string {
  return value === undefined ? '' : ` ${name}="${integer(value)}"`;
}

/** ` name="Yes|No"`, or nothing when absent. */
export function yesNoAttribute(name: string, value: boolean | undefined): string {
  return value === undefined ? '' : value ? ` ${name}="Yes"` : ` ${name}="No"`;
}

/** `<name attrs>inner</name>`, collapsed to `<name attrs/>` when empty. */
export function element(name: string, attributes: string, inner: string): string {
  return inner === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${inner}</${name}>`;
}

/** Strict writing: a count, size or code that is not a non-negative integer is a bug upstream, not wire data. */
export function integer(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new GatewayError('INTERNAL', `cannot encode ${String(value)} as an SSP number`, { impsStatus: 500 });
  }
  return String(value);
}

const XML_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;
/** Attribute names may keep the predeclared `xml:` prefix (xml:lang), see parseXml. */
const XML_ATTRIBUTE_NAME = /^(?:xml:)?[A-Za-z_][A-Za-z0-9._-]*$/;

/** Element names taken from data (presence attribute trees, AttributeList) must be XML names (§2.3). */
export function checkedName(name: string): string {
  return checked(XML_NAME, name, 'element');
}

/** Attribute names taken from data (presence attribute trees). */
export function checkedAttributeName(name: string): string {
  return checked(XML_ATTRIBUTE_NAME, name, 'attribute');
}

function checked(pattern: RegExp, name: string, what: string): string {
  if (!pattern.test(name)) {
    throw new GatewayError('INTERNAL', `cannot encode "${name.slice(0, 40)}" as an XML ${what} name`, { impsStatus: 500 });
  }
  return name;
}
