// SSP session set-up with domain verification by call-back (ssp-profile §4), in both roles.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../errors';
import type { Logger } from '../log';
import type { GatewayMetrics } from '../metrics';
import { parseServiceId, serviceIdOf } from '../routing/user-id';
import { md5Digest, statusOf, type SetupElement, type SetupMessage } from '../ssp';
import type { PeerDirectory, PeerEndpoint } from './peer-directory';
import type { SessionTable, SspSession } from './session-table';

/**
 * Posts a set-up message to the first of a domain's endpoints that takes it; returns the one that did.
 * `onAttempt` runs before each try, because the peer's next step may arrive before our POST's HTTP 200 does.
 */
export type SetupSender = (
  endpoints: PeerEndpoint[],
  message: SetupMessage,
  onAttempt?: (endpoint: PeerEndpoint) => void,
) => Promise<PeerEndpoint>;

export interface SetupHandshakeOptions {
  domain: string;
  timeToLiveSeconds: number;
  timeoutMs: number;
  directory: PeerDirectory;
  sessions: SessionTable;
  send: SetupSender;
  newTransactionId: () => string;
  now: () => number;
  logger: Logger;
  metrics?: GatewayMetrics;
}

/** A set-up a peer started with us: we called its claimed domain back with our token. */
interface ResponderAttempt {
  domain: string;
  transactionID: string;
  theirToken: string;
  ourToken: string;
  endpoint?: PeerEndpoint;
  stage: 'calling-back' | 'token-sent' | 'login-answered';
  expiresAtMs: number;
}

/** A set-up we started; settles the callers waiting for a session with that domain. */
interface InitiatorAttempt {
  domain: string;
  transactionID: string;
  ourToken: string;
  ourSessionID: string;
  endpoint?: PeerEndpoint;
  stage: 'token-sent' | 'login-sent' | 'response-sent';
  timeToLiveSeconds: number;
  settle: (error: GatewayError | null, session?: SspSession) => void;
}

const newToken = (): string => randomBytes(16).toString('hex');

function digestMatches(received: Buffer, token: string): boolean {
  const expected = md5Digest(token);
  return received.length === expected.length && timingSafeEqual(received, expected);
}

function refusal(transactionID: string, code: number, description: string): SetupMessage {
  return { kind: 'setup', mode: 'Response', transactionID, body: { kind: 'Status', status: statusOf(code, description) } };
}

export class SetupHandshake {
  private readonly responding = new Map<string, ResponderAttempt>();
  private readonly initiating = new Map<string, InitiatorAttempt>();
  private readonly waiting = new Map<string, Promise<SspSession>>();

  constructor(private readonly options: SetupHandshakeOptions) {}

  /** A live session with `domain`, setting one up first if needed; concurrent callers share one set-up. */
  sessionWith(domain: string): Promise<SspSession> {
    const existing = this.options.sessions.forDomain(domain);
    if (existing) return Promise.resolve(existing);
    let pending = this.waiting.get(domain);
    if (!pending) {
      pending = this.initiate(domain).finally(() => this.waiting.delete(domain));
      this.waiting.set(domain, pending);
    }
    return pending;
  }

  /**
   * Handle one inbound set-up message. Returns a refusal to put in the HTTP response body when the message
   * cannot be tied to a set-up in progress; every other answer goes out as a separate POST.
   */
  receive(message: SetupMessage, remoteAddress: string): SetupMessage | undefined {
    const { body, mode, transactionID } = message;
    if (body.kind === 'Status') return this.abort(message);
    if (mode === 'Request') {
      if (body.kind === 'SendSecretToken') return this.onTokenRequest(transactionID, body, remoteAddress);
      if (body.kind === 'LoginRequest') return this.onLoginRequest(transactionID, body);
      return this.onLoginResponseRequest(transactionID, body);
    }
    return this.onInitiatorAnswer(transactionID, body);
  }

  /** Forget responder attempts that stalled; called by the housekeeping timer. */
  sweep(): void {
    const now = this.options.now();
    for (const [key, attempt] of this.responding) if (attempt.expiresAtMs <= now) this.responding.delete(key);
  }

  // ---- responder role: a peer sets up a session with us ----

  private onTokenRequest(transactionID: string, body: SetupElement & { kind: 'SendSecretToken' }, remoteAddress: string) {
    const domain = parseServiceId(body.serviceID);
    if (!domain) return refusal(transactionID, 400, `serviceID ${body.serviceID} is not of the form wv:@domain`);
    const policy = this.options.directory.policyFor(domain);
    if (!policy.agreed) {
      this.countSetup('responder', 'not_agreed');
      return refusal(transactionID, 506, `no interworking agreement with ${domain}`);
    }
    if (policy.allowFrom.length > 0 && !policy.allowFrom.includes(remoteAddress)) {
      this.countSetup('responder', 'source_refused');
      return refusal(transactionID, 506, `set-up for ${domain} is not allowed from ${remoteAddress}`);
    }
    if (policy.secret !== undefined && body.secretToken !== policy.secret) {
      this.countSetup('responder', 'secret_refused');
      return refusal(transactionID, 409, `secret token for ${domain} does not match the agreed secret`);
    }
    const attempt: ResponderAttempt = {
      domain,
      transactionID,
      theirToken: body.secretToken,
      ourToken: policy.secret ?? newToken(),
      stage: 'calling-back',
      expiresAtMs: this.options.now() + this.options.timeoutMs * 3,
    };
    this.responding.set(`${domain} ${transactionID}`, attempt);
    void this.callBack(attempt);
    return undefined;
  }

  /** Send our token to the address DNS (or config) gives for the claimed domain: that proves the claim. */
  private async callBack(attempt: ResponderAttempt): Promise<void> {
    const key = `${attempt.domain} ${attempt.transactionID}`;
    try {
      const endpoints = await this.options.directory.endpointsFor(attempt.domain);
      if (endpoints.length === 0) throw new GatewayError('SSP_DOMAIN_NOT_SUPPORTED', `${attempt.domain} has no SSP server`, { impsStatus: 516 });
      const token: SetupElement = { kind: 'SendSecretToken', serviceID: serviceIdOf(this.options.domain), protocol: 'WV-SSP', protocolVersion: '1.3', secretToken: attempt.ourToken };
      await this.options.send(endpoints, { kind: 'setup', mode: 'Response', transactionID: attempt.transactionID, body: token }, (endpoint) => {
        attempt.endpoint = endpoint;
        attempt.stage = 'token-sent';
      });
    } catch (error) {
      this.responding.delete(key);
      this.countSetup('responder', 'callback_failed');
      this.options.logger.warn({ peer: attempt.domain, err: error }, 'set-up call-back failed');
    }
  }

  private onLoginRequest(transactionID: string, body: SetupElement & { kind: 'LoginRequest' }) {
    const domain = parseServiceId(body.serviceID) ?? '';
    const key = `${domain} ${transactionID}`;
    const attempt = this.responding.get(key);
    if (!attempt || attempt.stage !== 'token-sent' || !attempt.endpoint) {
      this.countSetup('responder', 'unexpected_login');
      return refusal(transactionID, 400, `no session set-up with ${domain || body.serviceID} awaits a LoginRequest for transaction ${transactionID}`);
    }
    if (!digestMatches(body.passwordDigest, attempt.ourToken)) {
      this.responding.delete(key);
      this.countSetup('responder', 'digest_refused');
      const answer = refusal(transactionID, 409, 'PasswordDigest does not match the secret token we sent');
      void this.options.send([attempt.endpoint], answer).catch(() => undefined);
      return undefined;
    }
    attempt.stage = 'login-answered';
    void this.answer(attempt, {
      kind: 'LoginRequest',
      serviceID: serviceIdOf(this.options.domain),
      timeToLiveSeconds: Math.min(body.timeToLiveSeconds ?? Infinity, this.options.timeToLiveSeconds),
      passwordDigest: md5Digest(attempt.theirToken),
    });
    return undefined;
  }

  private onLoginResponseRequest(transactionID: string, body: SetupElement) {
    if (body.kind !== 'LoginResponse') return refusal(transactionID, 400, `${body.kind} cannot be sent as a set-up request here`);
    const domain = body.sessionID.slice(body.sessionID.lastIndexOf('@') + 1).toLowerCase();
    const key = `${domain} ${transactionID}`;
    const attempt = this.responding.get(key);
    if (!attempt || attempt.stage !== 'login-answered' || !attempt.endpoint) {
      return refusal(transactionID, 400, `no session set-up with ${domain} awaits a LoginResponse for transaction ${transactionID}`);
    }
    this.responding.delete(key);
    if (body.status.code !== 200) {
      this.countSetup('responder', 'peer_refused');
      return undefined;
    }
    const session = this.establish(attempt.domain, newSessionId(this.options.domain), body.sessionID, attempt.endpoint, body.timeToLiveSeconds);
    this.countSetup('responder', 'established');
    void this.answer(attempt, {
      kind: 'LoginResponse',
      sessionID: session.ourSessionID,
      timeToLiveSeconds: session.timeToLiveSeconds,
      status: statusOf(200),
    });
    return undefined;
  }

  private async answer(attempt: ResponderAttempt, body: SetupElement): Promise<void> {
    if (!attempt.endpoint) return;
    try {
      await this.options.send([attempt.endpoint], { kind: 'setup', mode: 'Response', transactionID: attempt.transactionID, body });
    } catch (error) {
      this.responding.delete(`${attempt.domain} ${attempt.transactionID}`);
      this.options.logger.warn({ peer: attempt.domain, err: error }, 'set-up answer failed');
    }
  }

  // ---- initiator role: we set up a session with a peer ----

  private async initiate(domain: string): Promise<SspSession> {
    const endpoints = await this.options.directory.endpointsFor(domain);
    if (endpoints.length === 0) {
      throw new GatewayError('SSP_DOMAIN_NOT_SUPPORTED', `domain ${domain} has no SSP server`, { impsStatus: 516 });
    }
    const policy = this.options.directory.policyFor(domain);
    return new Promise<SspSession>((resolve, reject) => {
      const timer = setTimeout(() => settle(new GatewayError('SSP_SETUP_FAILED', `session set-up with ${domain} timed out`, { impsStatus: 503, transient: true })), this.options.timeoutMs);
      const settle = (error: GatewayError | null, session?: SspSession) => {
        clearTimeout(timer);
        if (this.initiating.get(domain) === attempt) this.initiating.delete(domain);
        this.countSetup('initiator', error ? 'failed' : 'established');
        if (error || !session) reject(error);
        else resolve(session);
      };
      const attempt: InitiatorAttempt = {
        domain,
        transactionID: this.options.newTransactionId(),
        ourToken: policy.secret ?? newToken(),
        ourSessionID: newSessionId(this.options.domain),
        stage: 'token-sent',
        timeToLiveSeconds: this.options.timeToLiveSeconds,
        settle,
      };
      this.initiating.set(domain, attempt);
      const token: SetupElement = { kind: 'SendSecretToken', serviceID: serviceIdOf(this.options.domain), protocol: 'WV-SSP', protocolVersion: '1.3', secretToken: attempt.ourToken };
      this.options
        .send(endpoints, { kind: 'setup', mode: 'Request', transactionID: attempt.transactionID, body: token }, (endpoint) => {
          attempt.endpoint = endpoint;
        })
        .catch((error: unknown) => settle(asSetupFailure(domain, error)));
    });
  }

  private onInitiatorAnswer(transactionID: string, body: SetupElement): SetupMessage | undefined {
    const attempt = this.initiatorAttemptFor(transactionID, body);
    if (!attempt) {
      this.countSetup('initiator', 'unsolicited_answer');
      return undefined;
    }
    if (body.kind === 'SendSecretToken' && attempt.stage === 'token-sent') return this.sendLogin(attempt, body.secretToken);
    if (body.kind === 'LoginRequest' && attempt.stage === 'login-sent') return this.checkPeerLogin(attempt, body);
    if (body.kind === 'LoginResponse' && attempt.stage === 'response-sent') {
      if (body.status.code !== 200) return this.fail(attempt, `peer refused the session: ${body.status.code} ${body.status.description ?? ''}`);
      const peerDomain = body.sessionID.slice(body.sessionID.lastIndexOf('@') + 1).toLowerCase();
      if (peerDomain !== attempt.domain) return this.fail(attempt, `peer announced session ${body.sessionID} outside its domain ${attempt.domain}`);
      const ttl = Math.min(body.timeToLiveSeconds ?? attempt.timeToLiveSeconds, attempt.timeToLiveSeconds);
      attempt.settle(null, this.establish(attempt.domain, attempt.ourSessionID, body.sessionID, attempt.endpoint as PeerEndpoint, ttl));
      return undefined;
    }
    return this.fail(attempt, `unexpected ${body.kind} answer during set-up`);
  }

  /** The deployed peer answers SendSecretToken under its own new transactionID: match it by domain then. */
  private initiatorAttemptFor(transactionID: string, body: SetupElement): InitiatorAttempt | undefined {
    for (const attempt of this.initiating.values()) if (attempt.transactionID === transactionID) return attempt;
    if (body.kind !== 'SendSecretToken') return undefined;
    const domain = parseServiceId(body.serviceID);
    const attempt = domain ? this.initiating.get(domain) : undefined;
    return attempt?.stage === 'token-sent' ? attempt : undefined;
  }

  private sendLogin(attempt: InitiatorAttempt, theirToken: string): undefined {
    attempt.stage = 'login-sent';
    const login: SetupElement = { kind: 'LoginRequest', serviceID: serviceIdOf(this.options.domain), timeToLiveSeconds: attempt.timeToLiveSeconds, passwordDigest: md5Digest(theirToken) };
    void this.sendInitiatorStep(attempt, login);
    return undefined;
  }

  private checkPeerLogin(attempt: InitiatorAttempt, body: SetupElement & { kind: 'LoginRequest' }): undefined {
    if (!digestMatches(body.passwordDigest, attempt.ourToken)) return this.fail(attempt, 'peer PasswordDigest does not match our secret token');
    attempt.timeToLiveSeconds = Math.min(body.timeToLiveSeconds ?? attempt.timeToLiveSeconds, attempt.timeToLiveSeconds);
    attempt.stage = 'response-sent';
    void this.sendInitiatorStep(attempt, { kind: 'LoginResponse', sessionID: attempt.ourSessionID, timeToLiveSeconds: attempt.timeToLiveSeconds, status: statusOf(200) });
    return undefined;
  }

  private async sendInitiatorStep(attempt: InitiatorAttempt, body: SetupElement): Promise<void> {
    try {
      await this.options.send([attempt.endpoint as PeerEndpoint], { kind: 'setup', mode: 'Request', transactionID: attempt.transactionID, body });
    } catch (error) {
      attempt.settle(asSetupFailure(attempt.domain, error));
    }
  }

  private fail(attempt: InitiatorAttempt, description: string): undefined {
    attempt.settle(new GatewayError('SSP_SETUP_FAILED', `session set-up with ${attempt.domain} failed: ${description}`, { impsStatus: 503, transient: true }));
    return undefined;
  }

  /** A Status in place of a set-up step ends the attempt it belongs to, in either role. */
  private abort(message: SetupMessage): undefined {
    const description = message.body.kind === 'Status' ? `${message.body.status.code} ${message.body.status.description ?? ''}`.trim() : '';
    for (const attempt of this.initiating.values()) if (attempt.transactionID === message.transactionID) this.fail(attempt, `peer answered ${description}`);
    for (const [key, attempt] of this.responding) if (attempt.transactionID === message.transactionID) this.responding.delete(key);
    return undefined;
  }

  private establish(domain: string, ourSessionID: string, theirSessionID: string, endpoint: PeerEndpoint, ttlSeconds?: number): SspSession {
    const timeToLiveSeconds = Math.min(ttlSeconds ?? this.options.timeToLiveSeconds, this.options.timeToLiveSeconds);
    const session: SspSession = {
      peerDomain: domain,
      peerLabel: this.options.directory.policyFor(domain).label,
      ourSessionID,
      theirSessionID,
      url: endpoint.url,
      ...(endpoint.hostHeader ? { hostHeader: endpoint.hostHeader } : {}),
      ...(endpoint.tls ? { tls: endpoint.tls } : {}),
      timeToLiveSeconds,
      expiresAtMs: this.options.now() + timeToLiveSeconds * 1000,
    };
    this.options.sessions.add(session);
    this.options.logger.info({ peer: domain, ourSessionID, theirSessionID, timeToLiveSeconds }, 'ssp session established');
    return session;
  }

  private countSetup(role: 'initiator' | 'responder', outcome: string): void {
    this.options.metrics?.sspSetups.inc({ role, outcome });
  }
}

function newSessionId(domain: string): string {
  return `${randomBytes(8).toString('hex')}@${domain}`;
}

function asSetupFailure(domain: string, error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('SSP_SETUP_FAILED', `session set-up with ${domain} failed: ${(error as Error).message}`, { impsStatus: 503, transient: true, cause: error });
}
