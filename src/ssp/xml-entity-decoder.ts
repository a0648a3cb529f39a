// XML 1.0 §4.6 predefined entities and §4.1 character references, the only references an SSP body may use.

const REFERENCE = /&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g;

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML 1.0 §2.2 Char: a reference to anything else (NUL, surrogates, U+FFFE/F) is left as written. */
function isXmlChar(code: number): boolean {
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  if (code >= 0xd800 && code <= 0xdfff) return false;
  return code <= 0x10ffff && code !== 0xfffe && code !== 0xffff;
}

function replaceReference(match: string, decimal?: string, hex?: string, name?: string): string {
  if (name !== undefined) return PREDEFINED[name] ?? match;
  const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
  return isXmlChar(code) ? String.fromCodePoint(code) : match;
}

/**
 * Expand references in one text or attribute value. Anything else that starts with `&` stays literal: the
 * deployed peer writes StatusDescription unescaped (profile §2), so be lenient reading.
 */
export function decodeXmlReferences(value: string): string {
  return value.indexOf('&') === -1 ? value : value.replace(REFERENCE, replaceReference);
}
