// One SSP speaker: sessions, set-up, asynchronous request/answer correlation (ssp-profile §1, §3–§5).
import { randomBytes } from 'node:crypto';
import { GatewayError, toGatewayError } from '../errors';
import { isFaulty, statusLabel, statusOf, type SessionMessage, type SetupMessage, type SspMessage, type Transaction, type TransactionBody } from '../ssp';
import { AnswerWaiter } from './answer-waiter';
import type { PeerEndpoint } from './peer-directory';
import { PeerPoster, type PeerPosterOptions } from './peer-poster';
import { needsKeepAlive } from './session-keep-alive';
import { SessionTable, type SspSession } from './session-table';
import { answerToOurRequest, newSetupTransactionId } from './setup-common';
import { SetupHandshake } from './setup-handshake';

/**
 * What the node does with a validated request from a peer. The HTTP 200 waits for the returned promise, so a
 * handler that stores the request durably makes "acknowledged" mean "stored". Answers go via `respond`.
 */
export interface InboundRequestHandler {
  onRequest(session: SspSession, transaction: Transaction): Promise<void> | void;
}

/** The outbound settings go to the node's PeerPoster as they are. */
export interface SspNodeOptions extends Omit<PeerPosterOptions, 'onResponseBody' | 'onOwnAnswer'> {
  domain: string;
  timeToLiveSeconds: number;
  answerTimeoutMs: number;
  now?: () => number;
  /** Answers nobody waits for (late, duplicate, or to requests sent by other means); logged otherwise. */
  onUnmatchedAnswer?: (peerDomain: string, transaction: Transaction) => void;
}

export class SspNode {
  readonly sessions: SessionTable;
  private readonly handshake: SetupHandshake;
  private readonly answers: AnswerWaiter;
  private readonly poster: PeerPoster;
  private readonly now: () => number;
  private readonly transactionPrefix = randomBytes(4).toString('hex');
  private transactionCounter = 0;
  private handler: InboundRequestHandler | undefined;
  private draining = false;
  private housekeeping: NodeJS.Timeout | undefined;

  constructor(private readonly options: SspNodeOptions) {
    this.now = options.now ?? Date.now;
    this.sessions = new SessionTable(this.now, options.metrics);
    this.answers = new AnswerWaiter(this.now);
    this.poster = new PeerPoster({
      ...options,
      onResponseBody: (message, from, domain) => this.receiveResponseBody(message, from, domain),
      onOwnAnswer: (session, transaction) => {
        this.count('in', transaction.body);
        this.answers.settle(transaction.transactionID, session.peerDomain, transaction.body);
      },
    });
    this.handshake = new SetupHandshake({
      domain: options.domain,
      timeToLiveSeconds: options.timeToLiveSeconds,
      timeoutMs: options.answerTimeoutMs,
      directory: options.directory,
      sessions: this.sessions,
      send: (domain, endpoints, message, onAttempt) => this.sendSetup(domain, endpoints, message, onAttempt),
      newTransactionId: newSetupTransactionId,
      now: this.now,
      logger: options.logger,
      ...(options.metrics ? { metrics: options.metrics } : {}),
    });
  }

  setHandler(handler: InboundRequestHandler): void {
    this.handler = handler;
  }

  start(): void {
    const everyMs = Math.max(50, Math.min(1000, this.options.answerTimeoutMs / 4));
    this.housekeeping = setInterval(() => this.sweep(), everyMs);
    this.housekeeping.unref();
  }

  /** Graceful shutdown, step 1: refuse new requests (503) while answers to our own requests still come in. */
  drain(): void {
    this.draining = true;
  }

  stop(): void {
    if (this.housekeeping) clearInterval(this.housekeeping);
    this.answers.failAll(new GatewayError('SSP_TIMEOUT', 'gateway is shutting down', { impsStatus: 503, transient: true }));
  }

  /** Take one inbound SSP document; resolves with what to put in the HTTP response body (refusals only). */
  async receive(message: SspMessage, remoteAddress: string): Promise<SspMessage | undefined> {
    if (message.kind === 'setup') {
      this.count('in', message.body);
      return this.handshake.receive(message, remoteAddress);
    }
    return this.receiveSession(message);
  }

  /**
   * Send a request to a domain (setting a session up first if needed) and await its answer. A caller that may
   * repeat the request after a crash passes its own stable `transactionID`, so the peer can spot the repeat.
   */
  async request(domain: string, body: TransactionBody, options: { transactionID?: string } = {}): Promise<TransactionBody> {
    const answer = await this.requestOnce(domain, body, options.transactionID);
    if (answer.kind !== 'Status' || answer.status.code !== 604) return answer;
    // The peer no longer knows our session (it restarted or expired it early): set up anew, once.
    const stale = this.sessions.forDomain(domain);
    if (stale) this.sessions.remove(stale);
    return this.requestOnce(domain, body, options.transactionID);
  }

  /** Answer a peer's request under our session with it. */
  async respond(domain: string, transactionID: string, body: TransactionBody): Promise<void> {
    const session = await this.handshake.sessionWith(domain);
    await this.post(session, { mode: 'Response', transactionID, body });
  }

  private async requestOnce(domain: string, body: TransactionBody, stableTransactionID?: string): Promise<TransactionBody> {
    const session = await this.handshake.sessionWith(domain);
    const transactionID = stableTransactionID ?? this.newTransactionId();
    const started = this.now();
    const answer = this.answers.wait(transactionID, session.peerDomain, this.options.answerTimeoutMs, `${body.kind} to ${domain}`);
    try {
      await this.post(session, { mode: 'Request', transactionID, body });
    } catch (error) {
      const failure = toGatewayError(error);
      // The verified address stopped answering: forget the session so the next try sets up through DNS again.
      // A transaction we could not write (INTERNAL) says nothing about the peer.
      if (failure.code !== 'INTERNAL') this.sessions.remove(session);
      this.answers.fail(transactionID, failure);
    }
    const peer = session.peerLabel;
    let result: TransactionBody;
    try {
      result = await answer;
    } catch (error) {
      this.options.metrics?.peerRequests.inc({ peer, status: toGatewayError(error).code === 'SSP_TIMEOUT' ? 'timeout' : 'unreachable' });
      throw error;
    }
    session.lastUsedMs = this.now();
    const seconds = (this.now() - started) / 1000;
    this.options.metrics?.sspTransactionDuration.observe({ type: body.kind }, seconds);
    this.options.metrics?.peerLatency.observe({ peer }, seconds);
    this.options.metrics?.peerRequests.inc({ peer, status: 'status' in result && result.status ? statusLabel(result.status.code) : 'none' });
    return result;
  }

  private async receiveSession(message: SessionMessage): Promise<SspMessage | undefined> {
    const session = this.sessions.byPeerSessionId(message.sessionID);
    if (!session) {
      this.options.metrics?.sspRejectedRequests.inc({ reason: 'unknown_session' });
      return refuseAll(message, 604, `session ${message.sessionID} is unknown or expired here: set up a session first`);
    }
    session.lastUsedMs = this.now();
    const accepted: Array<Promise<void> | void> = [];
    for (const transaction of message.transactions) {
      if (isFaulty(transaction)) {
        this.options.metrics?.sspTransactions.inc({ direction: 'in', type: 'invalid', status: String(transaction.fault.impsStatus) });
        const { transactionID, fault } = transaction;
        // An unreadable answer to our request settles that request as failed (a Status is no answer to an answer).
        if (transaction.mode === 'Response') {
          const unreadable = statusOf(fault.impsStatus, `the answer of ${session.peerDomain} could not be read: ${fault.description}`);
          this.onAnswer(session, { mode: 'Response', transactionID, body: { kind: 'Status', status: unreadable } });
        } else void this.answerQuietly(session, transactionID, { kind: 'Status', status: statusOf(fault.impsStatus, fault.description) });
        continue;
      }
      this.count('in', transaction.body);
      if (transaction.mode === 'Response') this.onAnswer(session, transaction);
      else accepted.push(this.onRequest(session, transaction));
    }
    await Promise.all(accepted);
    return undefined;
  }

  private onAnswer(session: SspSession, transaction: Transaction): void {
    if (!this.answers.settle(transaction.transactionID, session.peerDomain, transaction.body)) {
      this.options.onUnmatchedAnswer?.(session.peerDomain, transaction);
      this.options.logger.info({ peer: session.peerDomain, transactionID: transaction.transactionID, type: transaction.body.kind }, 'answer matches no request');
    }
  }

  private onRequest(session: SspSession, transaction: Transaction): Promise<void> | void {
    const { body } = transaction;
    if (body.kind === 'KeepAliveRequest') {
      this.sessions.refresh(session, Math.min(body.timeToLiveSeconds ?? this.options.timeToLiveSeconds, this.options.timeToLiveSeconds));
      void this.answerQuietly(session, transaction.transactionID, { kind: 'Status', status: statusOf(200) });
      return;
    }
    if (body.kind === 'LogoutRequest') {
      void this.answerQuietly(session, transaction.transactionID, { kind: 'Status', status: statusOf(200) }).finally(() => this.sessions.remove(session));
      return;
    }
    if (!this.handler) {
      void this.answerQuietly(session, transaction.transactionID, { kind: 'Status', status: statusOf(501, `${body.kind} is not served here`) });
      return;
    }
    if (this.draining) {
      void this.answerQuietly(session, transaction.transactionID, { kind: 'Status', status: statusOf(503, 'gateway is shutting down', { tryAgainTimeoutSeconds: 5 }) });
      return;
    }
    return this.handler.onRequest(session, transaction);
  }

  /** Answer within the session the request came in (it is verified); failures are logged, not thrown. */
  private async answerQuietly(session: SspSession, transactionID: string, body: TransactionBody): Promise<void> {
    try {
      await this.post(session, { mode: 'Response', transactionID, body });
    } catch (error) {
      this.options.logger.warn({ peer: session.peerDomain, transactionID, err: error }, 'answer could not be sent');
    }
  }

  private post(session: SspSession, transaction: Transaction): Promise<void> {
    this.count('out', transaction.body);
    return this.poster.postTransaction(session, transaction);
  }

  private sendSetup(domain: string, endpoints: PeerEndpoint[], message: SetupMessage, onAttempt?: (endpoint: PeerEndpoint) => void): Promise<PeerEndpoint> {
    this.count('out', message.body);
    return this.poster.postSetup(domain, endpoints, message, onAttempt);
  }

  /** An answer in the HTTP response to our POST to `domain`'s verified address: it speaks for that domain only. */
  private receiveResponseBody(message: SspMessage, from: string, domain: string): void {
    this.receive(message, answerToOurRequest(domain)).catch((error: unknown) => this.options.logger.warn({ from, err: error }, 'ssp answer in http response body failed'));
  }

  private sweep(): void {
    this.answers.sweep();
    this.sessions.sweep();
    this.handshake.sweep();
    this.keepAliveBusySessions();
  }

  /** Refresh sessions in use before they lapse; idle ones may expire and be set up again on demand. */
  private keepAliveBusySessions(): void {
    const now = this.now();
    for (const session of this.sessions.all().filter((s) => needsKeepAlive(s, now))) {
      session.keepAliveInFlight = true;
      this.requestOnce(session.peerDomain, { kind: 'KeepAliveRequest', timeToLiveSeconds: session.timeToLiveSeconds })
        .then((answer) => {
          if (answer.kind === 'Status' && answer.status.code === 200) this.sessions.refresh(session, session.timeToLiveSeconds);
        })
        .catch((error: unknown) => this.options.logger.warn({ peer: session.peerDomain, err: error }, 'keep-alive failed'))
        .finally(() => (session.keepAliveInFlight = false));
    }
  }

  private newTransactionId(): string {
    this.transactionCounter += 1;
    return `${this.transactionPrefix}-${this.transactionCounter}`;
  }

  private count(direction: 'in' | 'out', body: { kind: string; status?: { code: number } }): void {
    this.options.metrics?.sspTransactions.inc({ direction, type: body.kind, status: body.status ? statusLabel(body.status.code) : 'none' });
  }
}

function refuseAll(message: SessionMessage, code: number, description: string): SessionMessage {
  return {
    kind: 'session',
    sessionID: message.sessionID,
    transactions: message.transactions.map((transaction) => ({
      mode: 'Response' as const,
      transactionID: transaction.transactionID,
      body: { kind: 'Status' as const, status: statusOf(code, description) },
    })),
  };
}
