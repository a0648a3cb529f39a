// XML 1.0 (fifth edition) §2.3 name characters beyond ASCII: one definition for reading and for writing, so that
// every name the scanner accepts from a peer can be written again when the message is forwarded.

type CodeRanges = ReadonlyArray<readonly [number, number]>;

/** NameStartChar beyond ASCII, as UTF-16 code units (a surrogate pair stands for #x10000–#xEFFFF). */
const NAME_START: CodeRanges = [
  [0xc0, 0xd6],
  [0xd8, 0xf6],
  [0xf8, 0x2ff],
  [0x370, 0x37d],
  [0x37f, 0x1fff],
  [0x200c, 0x200d],
  [0x2070, 0x218f],
  [0x2c00, 0x2fef],
  [0x3001, 0xd7ff],
  [0xd800, 0xdfff],
  [0xf900, 0xfdcf],
  [0xfdf0, 0xfffd],
];

/** What NameChar adds to NameStartChar beyond ASCII. */
const NAME_ONLY: CodeRanges = [
  [0xb7, 0xb7],
  [0x300, 0x36f],
  [0x203f, 0x2040],
];

function inRanges(ranges: CodeRanges, c: number): boolean {
  for (const [from, to] of ranges) if (c >= from && c <= to) return true;
  return false;
}

/** A code unit above 0x7f that may start a name. */
export function isNonAsciiNameStart(c: number): boolean {
  return inRanges(NAME_START, c);
}

/** A code unit above 0x7f that may continue a name. */
export function isNonAsciiNameChar(c: number): boolean {
  return inRanges(NAME_START, c) || inRanges(NAME_ONLY, c);
}

/** A name without a namespace prefix (NCName): what presence trees and attribute lists carry. */
export function isXmlLocalName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ascii = c <= 0x7f;
    const start = ascii ? (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f : isNonAsciiNameStart(c);
    if (start) continue;
    if (i === 0) return false;
    if (ascii ? !((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e) : !isNonAsciiNameChar(c)) return false;
  }
  return true;
}
