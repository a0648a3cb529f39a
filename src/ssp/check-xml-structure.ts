// Hardening pre-scan of an SSP body (XML 1.0 §2.1 well-formedness, ssp-profile.md §1): refuse before parsing.

import { malformed } from './ssp-decode-error';

/** Structural bounds applied before any parser sees the text. */
export interface XmlStructureLimits {
  /** Deepest element nesting accepted (the envelope itself uses 5 levels; presence trees a few more). */
  maxDepth: number;
  /** Most attributes on one element. */
  maxAttributes: number;
  /** Longest run of character data (text or CDATA) between two tags. */
  maxTextLength: number;
}

interface ScanState {
  readonly xml: string;
  readonly limits: XmlStructureLimits;
  readonly open: string[];
  rootSeen: boolean;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

/**
 * Walk the markup once and throw SSP_MALFORMED for anything the lenient parser would silently accept or
 * must never see: DOCTYPE/ENTITY declarations (entity-expansion bombs, XML 1.0 §2.8/§4.2 — refused outright,
 * SSP never needs a DTD), unbalanced or mismatched tags (§3 element type match), more than one root,
 * text outside the root, too deep nesting, too many attributes, over-long text.
 */
export function checkXmlStructure(xml: string, limits: XmlStructureLimits): void {
  const state: ScanState = { xml, limits, open: [], rootSeen: false };
  let position = 0;
  for (;;) {
    const lt = xml.indexOf('<', position);
    checkText(state, position, lt === -1 ? xml.length : lt);
    if (lt === -1) break;
    position = scanMarkup(state, lt);
  }
  const unclosed = state.open[state.open.length - 1];
  if (unclosed !== undefined) throw malformed(`XML is truncated: <${unclosed}> is not closed`);
  if (!state.rootSeen) throw malformed('XML has no root element');
}

function scanMarkup(state: ScanState, lt: number): number {
  const { xml } = state;
  const next = xml.charCodeAt(lt + 1);
  if (next === 0x3f /* ? */) return skipPast(xml, lt, '?>', 'processing instruction');
  if (next === 0x21 /* ! */) {
    if (xml.startsWith('<!--', lt)) return skipPast(xml, lt, '-->', 'comment');
    if (xml.startsWith('<![CDATA[', lt)) return scanCdata(state, lt);
    throw malformed('DOCTYPE and ENTITY declarations are refused');
  }
  if (next === SLASH) return scanEndTag(state, lt);
  return scanStartTag(state, lt);
}

function skipPast(xml: string, from: number, terminator: string, what: string): number {
  const end = xml.indexOf(terminator, from + 2);
  if (end === -1) throw malformed(`XML is truncated: unterminated ${what}`);
  return end + terminator.length;
}

function scanCdata(state: ScanState, lt: number): number {
  if (state.open.length === 0) throw malformed('CDATA outside the root element');
  const end = skipPast(state.xml, lt, ']]>', 'CDATA section');
  if (end - lt - 12 > state.limits.maxTextLength) {
    throw malformed(`text exceeds ${state.limits.maxTextLength} characters`);
  }
  return end;
}

function checkText(state: ScanState, from: number, to: number): void {
  if (to - from > state.limits.maxTextLength) throw malformed(`text exceeds ${state.limits.maxTextLength} characters`);
  if (state.open.length > 0 || from === to) return;
  if (state.xml.slice(from, to).trim() !== '') {
    throw malformed(state.rootSeen ? 'text after the root element' : 'text before the root element');
  }
}

function scanEndTag(state: ScanState, lt: number): number {
  const gt = state.xml.indexOf('>', lt);
  if (gt === -1) throw malformed('XML is truncated: unterminated end tag');
  const name = state.xml.slice(lt + 2, gt).trim();
  const expected = state.open.pop();
  if (expected === undefined) throw malformed(`</${name}> closes no element`);
  if (expected !== name) throw malformed(`</${name}> does not close <${expected}>`);
  return gt + 1;
}

function scanStartTag(state: ScanState, lt: number): number {
  const { xml, open, limits } = state;
  if (open.length === 0 && state.rootSeen) throw malformed('more than one root element');
  const nameEnd = endOfName(xml, lt + 1);
  const name = xml.slice(lt + 1, nameEnd);
  if (!isNameStart(name.charCodeAt(0))) throw malformed('invalid element name');
  if (open.length >= limits.maxDepth) throw malformed(`elements nest deeper than ${limits.maxDepth} levels`);
  const { gt, attributes } = scanAttributes(xml, nameEnd);
  if (attributes > limits.maxAttributes) throw malformed(`<${name}> has more than ${limits.maxAttributes} attributes`);
  state.rootSeen = true;
  if (xml.charCodeAt(gt - 1) !== SLASH) open.push(name);
  return gt + 1;
}

/** Find the tag's closing `>`, skipping quoted attribute values (which may hold `>`, never `<`: XML 1.0 §3.1). */
function scanAttributes(xml: string, from: number): { gt: number; attributes: number } {
  let attributes = 0;
  for (let i = from; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (c === QUOTE || c === APOSTROPHE) {
      const close = xml.indexOf(c === QUOTE ? '"' : "'", i + 1);
      if (close === -1) throw malformed('XML is truncated: unterminated attribute value');
      const lt = xml.indexOf('<', i + 1);
      if (lt !== -1 && lt < close) throw malformed('"<" in an attribute value');
      attributes++;
      i = close;
    } else if (c === GT) {
      return { gt: i, attributes };
    } else if (c === LT) {
      throw malformed('"<" inside a tag');
    }
  }
  throw malformed('XML is truncated: unterminated start tag');
}

function endOfName(xml: string, from: number): number {
  let i = from;
  for (; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (c === GT || c === SLASH || c <= 0x20) break;
  }
  return i;
}

/** XML 1.0 §2.3 NameStartChar, simplified: ASCII letters, `_`, `:` and anything beyond ASCII. */
function isNameStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a || c > 0x7f;
}
