// Kannel 1.4 callbacks → receipts and MO (user guide: dlr-url escapes %d %A %p %F; sms-service post-url X-Kannel-* headers).
import { TextDecoder } from 'node:util';
import { concatenationOf, parseUdh } from './concatenation-udh';
import { normaliseSmscMessageId } from './normalise-smsc-message-id';
import { isFinalReceiptState, receiptStateOfKannelDlr } from './receipt-state';
import type { ConcatenationInfo, DeliveryReceipt, MobileOriginatedSms } from './sms-transport';

/** A decoded callback, or the HTTP status and reason to refuse it with. */
export type KannelDecoded<T> = { ok: true; value: T } | { ok: false; status: number; reason: string };

/** Header values as Node gives them (lower-case names). */
export type HeaderValues = Record<string, string | string[] | undefined>;

/** Our reference travels in the dlr-url as base64url, so no character of it can clash with Kannel's %-escapes. */
export function encodeDlrReference(reference: string): string {
  return Buffer.from(reference, 'utf8').toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A DLR GET: `ref` (ours), `type` (%d), `answer` (%A), `to` (%p), `smscid` (%F). */
export function decodeKannelDlr(query: URLSearchParams, receivedAt: Date): KannelDecoded<DeliveryReceipt> {
  const ref = query.get('ref') ?? '';
  const reference = BASE64URL.test(ref) ? Buffer.from(ref, 'base64url').toString('utf8') : '';
  if (!reference) return refuse(400, 'missing or garbled ref');
  const typeText = query.get('type') ?? '';
  const state = /^[0-9]{1,2}$/.test(typeText) ? receiptStateOfKannelDlr(Number(typeText)) : undefined;
  if (!state) return refuse(400, 'type must be one Kannel DLR value: 1, 2, 4, 8 or 16');
  const answer = query.get('answer') ?? '';
  const smscId = normaliseSmscMessageId(query.get('smscid') ?? '', 'text');
  const recipient = query.get('to') ?? '';
  const delivered = state === 'delivered';
  const receipt: DeliveryReceipt = {
    transport: 'kannel',
    reference,
    state,
    final: isFinalReceiptState(state),
    delivered,
    rawStatus: answer,
    receivedAt,
    ...(smscId ? { smscMessageId: smscId } : {}),
    ...(recipient ? { recipient } : {}),
    ...(!delivered && answer ? { errorCode: answer } : {}),
  };
  return { ok: true, value: receipt };
}

/** Kannel X-Kannel-Coding (Kannel's DC_7BIT / DC_8BIT / DC_UCS2). */
const CODING_8BIT = '1';

/** An MO POST from smsbox's post-url: text/plain body in the announced charset, sender etc. in X-Kannel-*. */
export function decodeKannelMo(headers: HeaderValues, body: Buffer, receivedAt: Date): KannelDecoded<MobileOriginatedSms> {
  const from = header(headers, 'x-kannel-from');
  const to = header(headers, 'x-kannel-to');
  if (!from) return refuse(400, 'missing X-Kannel-From (set send-sender = true in the sms-service)');
  if (!to) return refuse(400, 'missing X-Kannel-To');
  if (header(headers, 'x-kannel-coding') === CODING_8BIT) return refuse(415, 'binary (8-bit) MO is not text');
  const text = decodeBody(body, charsetOf(header(headers, 'content-type')));
  if (!text.ok) return text;
  let concatenation: ConcatenationInfo | undefined;
  const udhText = header(headers, 'x-kannel-udh');
  if (udhText) {
    const elements = parseUdh(Buffer.from(decodeURIComponentBytes(udhText)));
    if (!elements) return refuse(400, 'garbled X-Kannel-UDH');
    concatenation = concatenationOf(elements);
  }
  const smsc = header(headers, 'x-kannel-smsc');
  const sms: MobileOriginatedSms = {
    transport: 'kannel',
    from,
    to,
    text: text.value,
    receivedAt,
    ...(concatenation ? { concatenation } : {}),
    ...(smsc ? { smsc } : {}),
  };
  return { ok: true, value: sms };
}

function decodeBody(body: Buffer, charset: string): KannelDecoded<string> {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    return refuse(415, `charset ${JSON.stringify(charset)} is not supported`);
  }
  try {
    return { ok: true, value: decoder.decode(body) };
  } catch {
    return refuse(400, `body is not valid ${charset}`);
  }
}

/** `text/plain; charset="UTF-16BE"` → `UTF-16BE`; smsbox always names one, UTF-8 is the fallback. */
function charsetOf(contentType: string): string {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match?.[1] ?? 'utf-8';
}

/** X-Kannel-UDH arrives url-encoded (`%05%00%03…`); decode to octets, not to UTF-8 text. */
function decodeURIComponentBytes(text: string): number[] {
  const octets: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const hex = text.slice(index + 1, index + 3);
    if (text[index] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      octets.push(Number.parseInt(hex, 16));
      index += 2;
    } else octets.push(text.charCodeAt(index) & 0xff);
  }
  return octets;
}

function header(headers: HeaderValues, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

function refuse<T>(status: number, reason: string): KannelDecoded<T> {
  return { ok: false, status, reason };
}
