// Shared by both set-up roles (ssp-profile §4): options, tokens, digests, refusals, establishing a session.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../errors';
import type { Logger } from '../log';
import type { GatewayMetrics } from '../metrics';
import { md5Digest, statusOf, type SetupMessage } from '../ssp';
import type { PeerDirectory, PeerEndpoint } from './peer-directory';
import type { SessionTable, SspSession } from './session-table';

/**
 * Posts a set-up message to the first of `domain`'s endpoints that takes it; returns the one that did.
 * `onAttempt` runs before each try, because the peer's next step may arrive before our POST's HTTP 200 does.
 */
export type SetupSender = (
  domain: string,
  endpoints: PeerEndpoint[],
  message: SetupMessage,
  onAttempt?: (endpoint: PeerEndpoint) => void,
) => Promise<PeerEndpoint>;

export interface SetupOptions {
  domain: string;
  timeToLiveSeconds: number;
  timeoutMs: number;
  directory: PeerDirectory;
  sessions: SessionTable;
  send: SetupSender;
  /** Ids of the set-ups we start (newSetupTransactionId; tests inject their own). */
  newTransactionId: () => string;
  now: () => number;
  logger: Logger;
  metrics?: GatewayMetrics;
}

export const newToken = (): string => randomBytes(16).toString('hex');

/**
 * Before a session exists the transactionID is all that ties a peer's step to our set-up, and without
 * `allowFrom` any address may send one: a guessable id (a counter) would let a stranger end our set-up with a
 * forged Status. 96 random bits cannot be guessed.
 */
export const newSetupTransactionId = (): string => randomBytes(12).toString('hex');

export function newSessionId(domain: string): string {
  return `${randomBytes(8).toString('hex')}@${domain}`;
}

/** The domain a session id was announced for: the part after the last `@`. */
export function sessionDomainOf(sessionID: string): string {
  return sessionID.slice(sessionID.lastIndexOf('@') + 1).toLowerCase();
}

export function digestMatches(received: Buffer, token: string): boolean {
  const expected = md5Digest(token);
  return received.length === expected.length && timingSafeEqual(received, expected);
}

export function refusal(transactionID: string, code: number, description: string): SetupMessage {
  return { kind: 'setup', mode: 'Response', transactionID, body: { kind: 'Status', status: statusOf(code, description) } };
}

export function asSetupFailure(domain: string, error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('SSP_SETUP_FAILED', `session set-up with ${domain} failed: ${(error as Error).message}`, { impsStatus: 503, transient: true, cause: error });
}

/**
 * The source of a set-up message that came in the HTTP response to our own POST to `domain`'s address (from
 * DNS or config): that channel is that peer itself, for its own domain only. Any other source is the remote
 * address of an inbound POST.
 */
export function answerToOurRequest(domain: string): string {
  return `the response to our own request to ${domain}`;
}

/** Whether a set-up message for `domain` may come from `source` (the agreement's allowFrom, if any). */
export function sourceAllowed(options: SetupOptions, domain: string, source: string): boolean {
  if (source === answerToOurRequest(domain)) return true;
  const { allowFrom } = options.directory.policyFor(domain);
  return allowFrom.length === 0 || allowFrom.includes(source);
}

/**
 * Whether a later set-up step comes from the peer that proved the digest from `bound`: the same address, the
 * response to our own request, or — for a peer that sends from several addresses — one its allowFrom lists.
 */
export function sameSource(options: SetupOptions, domain: string, bound: string | undefined, source: string): boolean {
  if (bound === undefined) return false;
  if (source === bound || source === answerToOurRequest(domain)) return true;
  const { allowFrom } = options.directory.policyFor(domain);
  return allowFrom.includes(source);
}

export function countSetup(options: SetupOptions, role: 'initiator' | 'responder', outcome: string): void {
  options.metrics?.sspSetups.inc({ role, outcome });
}

/** Record a session both sides agreed on; its life is the shorter of both sides' timeToLive. */
export function establishSession(options: SetupOptions, domain: string, ourSessionID: string, theirSessionID: string, endpoint: PeerEndpoint, ttlSeconds?: number): SspSession {
  const timeToLiveSeconds = Math.min(ttlSeconds ?? options.timeToLiveSeconds, options.timeToLiveSeconds);
  const session: SspSession = {
    peerDomain: domain,
    peerLabel: options.directory.policyFor(domain).label,
    ourSessionID,
    theirSessionID,
    url: endpoint.url,
    ...(endpoint.hostHeader ? { hostHeader: endpoint.hostHeader } : {}),
    ...(endpoint.tls ? { tls: endpoint.tls } : {}),
    timeToLiveSeconds,
    expiresAtMs: options.now() + timeToLiveSeconds * 1000,
  };
  options.sessions.add(session);
  options.logger.info({ peer: domain, ourSessionID, theirSessionID, timeToLiveSeconds }, 'ssp session established');
  return session;
}
