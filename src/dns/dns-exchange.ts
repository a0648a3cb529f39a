// DNS server addresses, the RFC 5452 §9.1 response checks, and one exchange over TCP (RFC 1035 §4.2.2, RFC 7766).
import { connect, isIP } from 'node:net';
import { GatewayError } from '../errors';
import { decodeResponse, type DnsResponse } from './decode-response';

const HEADER_OCTETS = 12;
const CLASS_IN = 1;

/** A DNS server as configured: an IP literal and a port; `label` is the HOST:PORT used in metrics and answers. */
export interface DnsServerAddress {
  host: string;
  port: number;
  family: 4 | 6;
  label: string;
}

/** Why one exchange gave no usable answer; also the `kind` label of dns_errors_total. */
export type ExchangeFailureKind = 'timeout' | 'network' | 'malformed' | 'servfail' | 'refused';

/** A response that passed the checks, or why there is none. */
export type ExchangeOutcome = { ok: true; response: DnsResponse } | { ok: false; kind: ExchangeFailureKind; detail: string };

/** What a response must echo to be accepted: our random id and our question (RFC 5452 §9.1); `name` canonical. */
export interface ExpectedResponse {
  id: number;
  name: string;
  typeCode: number;
}

/**
 * Parse `HOST:PORT` (`[v6]:PORT` for IPv6). The host must be an IP literal: a DNS server's own name cannot be
 * looked up through it.
 * @throws GatewayError CONFIG_INVALID
 */
export function parseServerAddress(text: string): DnsServerAddress {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const host = match?.[1] ?? match?.[2] ?? '';
  const port = Number(match?.[3]);
  const family = isIP(host);
  if (family === 0 || !(port >= 1 && port <= 65_535)) {
    throw new GatewayError('CONFIG_INVALID', `dns server "${text}" is not IP:PORT (e.g. 127.0.0.1:5353 or [::1]:5353)`, { impsStatus: 500 });
  }
  return { host, port, family: family as 4 | 6, label: text };
}

/** Send one query over a new TCP connection with the 2-octet length prefix (RFC 1035 §4.2.2). */
export function exchangeTcp(server: DnsServerAddress, query: Buffer, expected: ExpectedResponse, signal: AbortSignal): Promise<ExchangeOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: server.host, port: server.port, noDelay: true });
    const finish = settleOnce(resolve, signal, () => socket.destroy());
    const prefix = Buffer.allocUnsafe(2);
    prefix.writeUInt16BE(query.length);
    socket.on('connect', () => socket.write(Buffer.concat([prefix, query])));
    let received: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      if (received.length < 2 || received.length < 2 + received.readUInt16BE(0)) return;
      finish(acceptResponse(received.subarray(2, 2 + received.readUInt16BE(0)), expected, false) ?? malformed('unexpected response'));
    });
    socket.on('error', (error) => finish({ ok: false, kind: 'network', detail: error.message }));
    socket.on('close', () => finish({ ok: false, kind: 'network', detail: 'connection closed before a whole response' }));
  });
}

/** Resolve once: on the first outcome, or as a timeout when the signal aborts; always release the socket. */
function settleOnce(resolve: (outcome: ExchangeOutcome) => void, signal: AbortSignal, release: () => void): (outcome: ExchangeOutcome) => void {
  let settled = false;
  const finish = (outcome: ExchangeOutcome): void => {
    if (settled) return;
    settled = true;
    signal.removeEventListener('abort', onAbort);
    release();
    resolve(outcome);
  };
  const onAbort = (): void => finish({ ok: false, kind: 'timeout', detail: 'no response before the deadline' });
  if (signal.aborted) queueMicrotask(onAbort);
  else signal.addEventListener('abort', onAbort, { once: true });
  return finish;
}

/**
 * Check a response against the query. Over UDP a wrong id or question means "not ours" (undefined: keep
 * waiting, RFC 5452 §9.1); over TCP the connection is ours, so it is malformed.
 */
export function acceptResponse(message: Buffer, expected: ExpectedResponse, datagram: boolean): ExchangeOutcome | undefined {
  if (message.length < HEADER_OCTETS) return notOurs(datagram, `response of ${message.length} octets`);
  if (message.readUInt16BE(0) !== expected.id) return notOurs(datagram, 'response id does not match the query');
  const response = decodeResponse(message);
  const question = response.questions[0];
  const sameQuestion =
    response.qr &&
    response.questions.length === 1 &&
    question !== undefined &&
    question.typeCode === expected.typeCode &&
    question.classCode === CLASS_IN &&
    question.name === expected.name;
  if (!sameQuestion) return notOurs(datagram, 'response question does not match the query');
  if (response.malformed !== undefined) return malformed(response.malformed);
  return { ok: true, response };
}

function notOurs(datagram: boolean, why: string): ExchangeOutcome | undefined {
  return datagram ? undefined : malformed(why);
}

function malformed(detail: string): ExchangeOutcome {
  return { ok: false, kind: 'malformed', detail };
}
