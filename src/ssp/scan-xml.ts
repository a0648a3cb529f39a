// One-pass XML 1.0 markup scanner for SSP bodies (XML 1.0 §2–§3 well-formedness, ssp-profile.md §1 hardening).

import { malformed, type SspDecodeError } from './ssp-decode-error';
import { isNonAsciiNameChar, isNonAsciiNameStart } from './xml-name';

/** Structural bounds, enforced while scanning. */
export interface XmlStructureLimits {
  /** Deepest element nesting accepted (the envelope itself uses 5 levels; presence trees a few more). */
  maxDepth: number;
  /** Most attributes on one element. */
  maxAttributes: number;
  /** Longest run of character data (text or CDATA) between two tags. */
  maxTextLength: number;
}

/** What scanXml reports, in document order. Names and values are as written: no reference is expanded. */
export interface XmlScanHandler {
  /** `<name` of a start tag or empty-element tag; its attributes follow. */
  startTag(qualifiedName: string): void;
  attribute(qualifiedName: string, rawValue: string): void;
  /** The start tag is complete. An empty-element tag (`<name/>`) is followed by endTag at once. */
  startTagEnd(): void;
  /** The end tag matching the innermost open element. */
  endTag(): void;
  /**
   * Character data `xml.slice(start, end)` between two pieces of markup inside the root element, given as
   * bounds: most of it is white space between tags, which then costs no string.
   */
  text(xml: string, start: number, end: number): void;
  /** The content of a CDATA section (§2.7), which is never trimmed or decoded. */
  cdata(raw: string): void;
}

interface ScanState {
  readonly xml: string;
  readonly limits: XmlStructureLimits;
  readonly handler: XmlScanHandler;
  readonly open: string[];
  rootSeen: boolean;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

/**
 * Walk the text once, reporting markup to `handler` and throwing SSP_MALFORMED for anything an SSP body must
 * not be: a DOCTYPE or any other `<!` declaration (entity-expansion bombs and external entities, §2.8/§4.2 —
 * refused at its first two characters, nothing of it is read and there is no entity table to fill), a tag
 * that is unbalanced or mismatched (§3 element type match), malformed attributes (§3.1: quoted, separated),
 * a second root, text outside the root, and anything beyond `limits`.
 */
export function scanXml(xml: string, limits: XmlStructureLimits, handler: XmlScanHandler): void {
  const state: ScanState = { xml, limits, handler, open: [], rootSeen: false };
  let position = 0;
  for (;;) {
    const lt = xml.indexOf('<', position);
    const end = lt === -1 ? xml.length : lt;
    if (end > position) scanText(state, position, end);
    if (lt === -1) break;
    position = scanMarkup(state, lt);
  }
  const unclosed = state.open[state.open.length - 1];
  if (unclosed !== undefined) throw malformed(`XML is truncated: <${unclosed}> is not closed`);
  if (!state.rootSeen) throw malformed('XML has no root element');
}

function scanText(state: ScanState, from: number, to: number): void {
  if (to - from > state.limits.maxTextLength) throw malformed(`text exceeds ${state.limits.maxTextLength} characters`);
  if (state.open.length > 0) state.handler.text(state.xml, from, to);
  else if (!isXmlBlank(state.xml, from, to)) {
    throw malformed(state.rootSeen ? 'text after the root element' : 'text before the root element');
  }
}

function scanMarkup(state: ScanState, lt: number): number {
  const { xml } = state;
  const next = xml.charCodeAt(lt + 1);
  if (next === 0x3f /* ? */) return skipPast(xml, lt + 2, '?>', 'processing instruction');
  if (next === 0x21 /* ! */) {
    if (xml.startsWith('<!--', lt)) return skipPast(xml, lt + 4, '-->', 'comment');
    if (xml.startsWith('<![CDATA[', lt)) return scanCdata(state, lt);
    throw malformed('DOCTYPE and ENTITY declarations are refused');
  }
  if (next === SLASH) return scanEndTag(state, lt);
  return scanStartTag(state, lt);
}

/** Past the `terminator` that follows `from` (just after the opening `<?` or `<!--`, so `<!-->` is no comment). */
function skipPast(xml: string, from: number, terminator: string, what: string): number {
  const end = xml.indexOf(terminator, from);
  if (end === -1) throw malformed(`XML is truncated: unterminated ${what}`);
  return end + terminator.length;
}

function scanCdata(state: ScanState, lt: number): number {
  if (state.open.length === 0) throw malformed('CDATA outside the root element');
  const start = lt + 9;
  const end = state.xml.indexOf(']]>', start);
  if (end === -1) throw malformed('XML is truncated: unterminated CDATA section');
  if (end - start > state.limits.maxTextLength) throw malformed(`text exceeds ${state.limits.maxTextLength} characters`);
  state.handler.cdata(state.xml.slice(start, end));
  return end + 3;
}

function scanEndTag(state: ScanState, lt: number): number {
  const { xml } = state;
  const gt = xml.indexOf('>', lt);
  if (gt === -1) throw malformed('XML is truncated: unterminated end tag');
  const expected = state.open.pop();
  // Compared in place: the name is cut out of the text only when it does not match.
  const matches = expected !== undefined && xml.startsWith(expected, lt + 2) && skipSpace(xml, lt + 2 + expected.length) === gt;
  if (!matches) {
    // §3.1 ETag: white space may follow the name, never precede it.
    const name = xml.slice(lt + 2, gt).trimEnd();
    if (expected === undefined) throw malformed(`</${name}> closes no element`);
    if (expected !== name) throw malformed(`</${name}> does not close <${expected}>`);
  }
  state.handler.endTag();
  return gt + 1;
}

function scanStartTag(state: ScanState, lt: number): number {
  const { xml, open, limits, handler } = state;
  if (open.length === 0 && state.rootSeen) throw malformed('more than one root element');
  const nameEnd = endOfName(xml, lt + 1);
  const name = xml.slice(lt + 1, nameEnd);
  if (!isNameStart(name.charCodeAt(0))) throw malformed('invalid element name');
  if (!isTagDelimiter(xml.charCodeAt(nameEnd))) throw tagError(xml, nameEnd, 'invalid element name');
  if (open.length >= limits.maxDepth) throw malformed(`elements nest deeper than ${limits.maxDepth} levels`);
  state.rootSeen = true;
  handler.startTag(name);
  const gt = scanAttributes(state, name, nameEnd);
  handler.startTagEnd();
  if (xml.charCodeAt(gt - 1) === SLASH) handler.endTag();
  else open.push(name);
  return gt + 1;
}

/** Attributes up to the tag's `>` (returned); every value is quoted and may hold `>` but never `<` (§3.1). */
function scanAttributes(state: ScanState, element: string, from: number): number {
  const { xml, limits } = state;
  let count = 0;
  for (let i = skipSpace(xml, from); ; i = skipSpace(xml, i)) {
    const c = xml.charCodeAt(i);
    if (c === GT) return i;
    if (c === SLASH) {
      if (xml.charCodeAt(i + 1) === GT) return i + 1;
      throw tagError(xml, i + 1, `<${element}> has a stray "/"`);
    }
    if (++count > limits.maxAttributes) throw malformed(`<${element}> has more than ${limits.maxAttributes} attributes`);
    i = scanAttribute(state, element, i);
  }
}

/** One `name = "value"` (§3.1 Attribute, Eq); returns the index just past the closing quote. */
function scanAttribute(state: ScanState, element: string, from: number): number {
  const { xml } = state;
  if (!isNameStart(xml.charCodeAt(from))) throw tagError(xml, from, `<${element}> has a malformed attribute`);
  const nameEnd = endOfName(xml, from);
  const name = xml.slice(from, nameEnd);
  const equals = skipSpace(xml, nameEnd);
  if (xml.charCodeAt(equals) !== EQUALS) throw tagError(xml, equals, `<${element}> attribute ${name} has no value`);
  const open = skipSpace(xml, equals + 1);
  const quote = xml.charCodeAt(open);
  if (quote !== QUOTE && quote !== APOSTROPHE) throw tagError(xml, open, `<${element}> attribute ${name} is not quoted`);
  const close = xml.indexOf(quote === QUOTE ? '"' : "'", open + 1);
  if (close === -1) throw malformed('XML is truncated: unterminated attribute value');
  const value = xml.slice(open + 1, close);
  if (value.indexOf('<') !== -1) throw malformed('"<" in an attribute value');
  if (!isTagDelimiter(xml.charCodeAt(close + 1))) {
    throw tagError(xml, close + 1, `<${element}> lacks white space after attribute ${name}`);
  }
  state.handler.attribute(name, value);
  return close + 1;
}

/** What may follow a name or an attribute value inside a tag. */
function isTagDelimiter(c: number): boolean {
  return isSpace(c) || c === GT || c === SLASH;
}

/** The error for an unexpected character at `index` of a tag: the text ended, a `<`, or else `problem`. */
function tagError(xml: string, index: number, problem: string): SspDecodeError {
  if (index >= xml.length) return malformed('XML is truncated: unterminated start tag');
  return malformed(xml.charCodeAt(index) === LT ? '"<" inside a tag' : problem);
}

function endOfName(xml: string, from: number): number {
  let i = from;
  while (isNameChar(xml.charCodeAt(i))) i++;
  return i;
}

/** §2.3 S: space, tab, CR, LF. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function skipSpace(xml: string, from: number): number {
  let i = from;
  while (isSpace(xml.charCodeAt(i))) i++;
  return i;
}

/** Whether `xml.slice(from, to)` is only white space (§2.3 S). */
export function isXmlBlank(xml: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(xml.charCodeAt(i))) return false;
  return true;
}

/** §2.3 NameStartChar: ASCII letters, `_`, `:`, and the ranges beyond ASCII (xml-name). */
function isNameStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a || (c > 0x7f && isNonAsciiNameStart(c));
}

/** §2.3 NameChar in ASCII (a NameStartChar, a digit, `-` or `.`), as a table: names are the hot path. */
const ASCII_NAME_CHAR = Uint8Array.from({ length: 0x80 }, (_, c) =>
  isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e ? 1 : 0,
);

/** NaN (past the end) is no name character. */
function isNameChar(c: number): boolean {
  return c > 0x7f ? isNonAsciiNameChar(c) : ASCII_NAME_CHAR[c] === 1;
}
