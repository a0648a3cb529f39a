// The outbound side of an SSP node: Session transactions coalesced per session, set-up messages tried per endpoint.
import { GatewayError } from '../errors';
import type { PeerClient } from '../delivery';
import type { Logger } from '../log';
import type { GatewayMetrics } from '../metrics';
import { decodeSspMessage, encodeSspMessage, isFaulty, type SetupMessage, type SspMessage, type Transaction } from '../ssp';
import { encodeEachThatCan } from './encode-session';
import type { PeerDirectory, PeerEndpoint } from './peer-directory';
import { SessionOutbox, type TransactionFailures } from './session-outbox';
import type { SspSession } from './session-table';

export interface PeerPosterOptions {
  directory: PeerDirectory;
  peerClient: PeerClient;
  /** Transactions per Session POST unless the peer's policy says otherwise (ssp-profile §2 allows several). */
  maxTransactionsPerPost?: number;
  /** POSTs outstanding at once per session (match the client's connections per origin). */
  maxPostsInFlight?: number;
  logger: Logger;
  metrics?: GatewayMetrics;
  /** An SSP message a peer put in the HTTP response body to our POST to `domain`: it speaks for that domain only. */
  onResponseBody: (message: SspMessage, from: string, domain: string) => void;
  /** An answer to one of our requests that a peer which lost our session put in the response body (see below). */
  onOwnAnswer: (session: SspSession, transaction: Transaction) => void;
}

/** Peers may put an SSP answer in the HTTP response body (ssp-profile §1); it passes the same checks as a POST. */
export class PeerPoster {
  private readonly outboxes = new WeakMap<SspSession, SessionOutbox>();

  constructor(private readonly options: PeerPosterOptions) {}

  /** Resolves once the peer took the POST holding `transaction` (HTTP 200); its answer comes as a POST of its own. */
  postTransaction(session: SspSession, transaction: Transaction): Promise<void> {
    let outbox = this.outboxes.get(session);
    if (!outbox) {
      outbox = new SessionOutbox({
        maxTransactionsPerPost: this.options.directory.policyFor(session.peerDomain).maxTransactionsPerPost ?? this.options.maxTransactionsPerPost ?? 1,
        maxPostsInFlight: this.options.maxPostsInFlight ?? 16,
        send: (transactions) => this.postSession(session, transactions),
      });
      this.outboxes.set(session, outbox);
    }
    return outbox.post(transaction);
  }

  /** Send a set-up message to the first of `endpoints` that takes it; resolves with that endpoint. */
  async postSetup(domain: string, endpoints: PeerEndpoint[], message: SetupMessage, onAttempt?: (endpoint: PeerEndpoint) => void): Promise<PeerEndpoint> {
    const xml = encodeSspMessage(message);
    let lastError: unknown = new GatewayError('PEER_UNREACHABLE', 'no endpoint to send to', { impsStatus: 503, transient: true });
    for (const endpoint of endpoints) {
      onAttempt?.(endpoint);
      try {
        const result = await this.options.peerClient.post(endpoint.url, xml, {
          transactionID: message.transactionID,
          ...(endpoint.hostHeader ? { hostHeader: endpoint.hostHeader } : {}),
          ...(endpoint.tls ? { tls: endpoint.tls } : {}),
        });
        const answer = this.decodeResponseBody(result.body, endpoint.url);
        if (answer) this.options.onResponseBody(answer, endpoint.url, domain);
        return endpoint;
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  private async postSession(session: SspSession, transactions: Transaction[]): Promise<TransactionFailures | void> {
    const { xml, sent, failures } = encodeEachThatCan(session.ourSessionID, transactions);
    if (sent.length === 0) return failures;
    this.options.metrics?.transactionsPerPost.observe({ peer: session.peerLabel }, sent.length);
    const result = await this.options.peerClient.post(session.url, xml, {
      transactionID: (sent[0] as Transaction).transactionID,
      sessionID: session.ourSessionID,
      ...(session.hostHeader ? { hostHeader: session.hostHeader } : {}),
      ...(session.tls ? { tls: session.tls } : {}),
    });
    const answer = this.decodeResponseBody(result.body, session.url);
    if (answer) this.acceptSessionResponseBody(answer, session, sent);
    return failures;
  }

  /**
   * A peer that no longer knows our session (it restarted) refuses in the HTTP response under the session id we
   * sent, which matches no session of its own: such answers to our own requests of this POST settle them (a 604
   * then makes the node set up anew). Anything else goes through the usual checks.
   */
  private acceptSessionResponseBody(message: SspMessage, session: SspSession, sent: Transaction[]): void {
    if (message.kind !== 'session' || message.sessionID !== session.ourSessionID) return this.options.onResponseBody(message, session.url, session.peerDomain);
    const ours = new Set(sent.filter((t) => t.mode === 'Request').map((t) => t.transactionID));
    for (const transaction of message.transactions) {
      if (isFaulty(transaction) || transaction.mode !== 'Response' || !ours.has(transaction.transactionID)) continue;
      this.options.onOwnAnswer(session, transaction);
    }
  }

  /** Empty: no answer in the body. An unreadable one is logged and ignored (the answer may still come by POST). */
  private decodeResponseBody(body: string, from: string): SspMessage | undefined {
    if (body.trim() === '') return undefined;
    try {
      return decodeSspMessage(body);
    } catch (error) {
      this.options.logger.info({ from, err: error }, 'unreadable ssp answer in http response body ignored');
      return undefined;
    }
  }
}
