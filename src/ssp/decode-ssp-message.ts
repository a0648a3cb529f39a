// WV-SSP 1.3 decoder, bytes → typed message (ssp-profile.md §2 envelope; set-up §4; Session transactions §5).

import { isUtf8 } from 'node:buffer';
import type { FaultyTransaction, Mode, SessionMessage, SetupMessage, SspMessage, Transaction } from './messages';
import { parseXml, type XmlElement } from './parse-xml';
import { readMode, requireEnvelopeId } from './element-readers';
import { decodeSetupElement } from './decode-setup-element';
import { decodeTransactionBody } from './decode-transaction-body';
import { SspDecodeError, malformed } from './ssp-decode-error';

/** Bounds on what one body may cost to decode. */
export interface SspDecodeOptions {
  /** Largest body accepted, in bytes (UTF-8). */
  maxBytes?: number;
  /** Deepest element nesting. */
  maxDepth?: number;
  /** Most attributes on one element. */
  maxAttributes?: number;
  /** Longest text value (ContentData is the longest legitimate one). */
  maxTextLength?: number;
}

/** The bounds used when the caller gives none. */
export const DEFAULT_SSP_DECODE_LIMITS: Readonly<Required<SspDecodeOptions>> = Object.freeze({
  maxBytes: 256 * 1024,
  maxDepth: 32,
  maxAttributes: 32,
  maxTextLength: 64 * 1024,
});

/**
 * Decode one SSP body. Throws SspDecodeError when the envelope cannot be read (carrying the transactionID and
 * sessionID once they were readable); a Session transaction that cannot be read becomes a FaultyTransaction
 * (unknown element → 501, missing field → 400, bad value → 402) so that the others are still served.
 */
export function decodeSspMessage(body: Buffer | string, options?: SspDecodeOptions): SspMessage {
  const limits = options === undefined ? DEFAULT_SSP_DECODE_LIMITS : { ...DEFAULT_SSP_DECODE_LIMITS, ...options };
  const xml = bodyText(body, limits.maxBytes);
  const root = parseXml(xml, limits);
  if (root.name !== 'WV-SSP-Message') throw malformed(`root element is <${root.name}>, expected <WV-SSP-Message>`);
  const envelope = onlyChild(root);
  if (envelope.name === 'SetupTransaction') return decodeSetupTransaction(envelope);
  if (envelope.name === 'Session') return decodeSession(envelope);
  throw malformed(`<WV-SSP-Message> holds <${envelope.name}>, expected <SetupTransaction> or <Session>`);
}

/** UTF-8 only (profile §2): a body that is not valid UTF-8 is refused rather than guessed at. */
function bodyText(body: Buffer | string, maxBytes: number): string {
  if (typeof body === 'string') {
    if (body.length > maxBytes || (body.length * 3 > maxBytes && Buffer.byteLength(body, 'utf8') > maxBytes)) {
      throw tooLarge(maxBytes);
    }
    return stripBom(body);
  }
  if (body.length > maxBytes) throw tooLarge(maxBytes);
  if (!isUtf8(body)) throw malformed('body is not valid UTF-8');
  return stripBom(body.toString('utf8'));
}

function tooLarge(maxBytes: number): SspDecodeError {
  return new SspDecodeError('SSP_TOO_LARGE', `body exceeds ${maxBytes} bytes`, { impsStatus: 400 });
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function onlyChild(element: XmlElement): XmlElement {
  const [first, ...rest] = element.children;
  if (first === undefined) throw malformed(`<${element.name}> carries no element`);
  if (rest.length > 0) throw malformed(`<${element.name}> carries ${element.children.length} elements, expected one`);
  return first;
}

function decodeSetupTransaction(element: XmlElement): SetupMessage {
  const transactionID = requireEnvelopeId(element, 'transactionID');
  try {
    return { kind: 'setup', mode: readMode(element), transactionID, body: decodeSetupElement(onlyChild(element)) };
  } catch (error) {
    throw error instanceof SspDecodeError ? error.within({ transactionID }) : error;
  }
}

function decodeSession(element: XmlElement): SessionMessage {
  const sessionID = requireEnvelopeId(element, 'sessionID');
  const transactions: Array<Transaction | FaultyTransaction> = [];
  try {
    for (const child of element.children) {
      if (child.name !== 'Transaction') throw malformed(`<Session> holds <${child.name}>, expected <Transaction>`);
      transactions.push(decodeTransaction(child));
    }
    if (transactions.length === 0) throw malformed('<Session> carries no <Transaction>');
  } catch (error) {
    throw error instanceof SspDecodeError ? error.within({ sessionID }) : error;
  }
  return { kind: 'session', sessionID, transactions };
}

/** Without a transactionID nothing can be answered, so that fails the envelope; anything else only this one. */
function decodeTransaction(element: XmlElement): Transaction | FaultyTransaction {
  const transactionID = requireEnvelopeId(element, 'transactionID');
  let mode: Mode = 'Request';
  try {
    mode = readMode(element);
    return { mode, transactionID, body: decodeTransactionBody(onlyChild(element)) };
  } catch (error) {
    if (!(error instanceof SspDecodeError)) throw error;
    return { mode, transactionID, fault: { impsStatus: error.impsStatus, description: error.message } };
  }
}
