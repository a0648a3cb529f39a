// Small string writers for the SSP encoder (XML 1.0 §3.1 tags): template strings, no generic builder.

import { GatewayError } from '../errors';
import { escapeXmlAttribute } from './xml-escape';
import { isXmlLocalName } from './xml-name';

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

/** Element names taken from data (presence attribute trees, AttributeList) must be XML names (§2.3). */
export function checkedName(name: string): string {
  return checked(isXmlLocalName(name), name, 'element');
}

/** Attribute names taken from data (presence attribute trees); they may keep the predeclared `xml:` prefix (xml:lang). */
export function checkedAttributeName(name: string): string {
  return checked(isXmlLocalName(name.startsWith('xml:') ? name.slice(4) : name), name, 'attribute');
}

function checked(valid: boolean, name: string, what: string): string {
  if (!valid) {
    throw new GatewayError('INTERNAL', `cannot encode "${name.slice(0, 40)}" as an XML ${what} name`, { impsStatus: 500 });
  }
  return name;
}
