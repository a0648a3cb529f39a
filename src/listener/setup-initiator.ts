// Set-up, initiator role (ssp-profile §4): we send our token to the peer's SSP address and log in with its.
import { GatewayError } from '../errors';
import { parseServiceId, serviceIdOf } from '../routing/user-id';
import { md5Digest, statusOf, type SetupElement, type SetupMessage } from '../ssp';
import type { PeerEndpoint } from './peer-directory';
import type { SspSession } from './session-table';
import { asSetupFailure, countSetup, digestMatches, establishSession, newSessionId, newToken, sameSource, sessionDomainOf, sourceAllowed, type SetupOptions } from './setup-common';

/** A set-up we started; settles the callers waiting for a session with that domain. */
interface InitiatorAttempt {
  domain: string;
  transactionID: string;
  ourToken: string;
  ourSessionID: string;
  endpoint?: PeerEndpoint;
  /** Where the peer's LoginRequest with the right digest came from: only that address may announce its session. */
  loginFrom?: string;
  stage: 'token-sent' | 'login-sent' | 'response-sent';
  timeToLiveSeconds: number;
  settle: (error: GatewayError | null, session?: SspSession) => void;
}

export class SetupInitiator {
  private readonly initiating = new Map<string, InitiatorAttempt>();
  private readonly waiting = new Map<string, Promise<SspSession>>();

  constructor(private readonly options: SetupOptions) {}

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

  /** The peer ended the attempt with a Status (from an address its agreement allows). */
  abort(transactionID: string, description: string, remoteAddress: string): void {
    for (const attempt of this.initiating.values()) {
      if (attempt.transactionID === transactionID && sourceAllowed(this.options, attempt.domain, remoteAddress)) this.fail(attempt, `peer answered ${description}`);
    }
  }

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
        countSetup(this.options, 'initiator', error ? 'failed' : 'established');
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
        .send(domain, endpoints, { kind: 'setup', mode: 'Request', transactionID: attempt.transactionID, body: token }, (endpoint) => {
          attempt.endpoint = endpoint;
        })
        .catch((error: unknown) => settle(asSetupFailure(domain, error)));
    });
  }

  /**
   * A set-up answer from the peer we are setting up with. Where the agreement names the peer's addresses
   * (allowFrom), an answer from elsewhere is ignored: it must not end or steer the attempt.
   */
  receiveAnswer(transactionID: string, body: SetupElement, remoteAddress: string): SetupMessage | undefined {
    const attempt = this.initiatorAttemptFor(transactionID, body);
    if (!attempt) {
      countSetup(this.options, 'initiator', 'unsolicited_answer');
      return undefined;
    }
    if (!sourceAllowed(this.options, attempt.domain, remoteAddress)) {
      countSetup(this.options, 'initiator', 'source_refused');
      return undefined;
    }
    if (body.kind === 'SendSecretToken' && attempt.stage === 'token-sent') return this.sendLogin(attempt, body.secretToken);
    if (body.kind === 'LoginRequest' && attempt.stage === 'login-sent') return this.checkPeerLogin(attempt, body, remoteAddress);
    if (body.kind === 'LoginResponse' && attempt.stage === 'response-sent') {
      if (!sameSource(this.options, attempt.domain, attempt.loginFrom, remoteAddress)) {
        countSetup(this.options, 'initiator', 'source_refused');
        return undefined;
      }
      if (body.status.code !== 200) return this.fail(attempt, `peer refused the session: ${body.status.code} ${body.status.description ?? ''}`);
      const peerDomain = sessionDomainOf(body.sessionID);
      if (peerDomain !== attempt.domain) return this.fail(attempt, `peer announced session ${body.sessionID} outside its domain ${attempt.domain}`);
      const ttl = Math.min(body.timeToLiveSeconds ?? attempt.timeToLiveSeconds, attempt.timeToLiveSeconds);
      attempt.settle(null, establishSession(this.options, attempt.domain, attempt.ourSessionID, body.sessionID, attempt.endpoint as PeerEndpoint, ttl));
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

  private checkPeerLogin(attempt: InitiatorAttempt, body: SetupElement & { kind: 'LoginRequest' }, remoteAddress: string): undefined {
    if (!digestMatches(body.passwordDigest, attempt.ourToken)) return this.fail(attempt, 'peer PasswordDigest does not match our secret token');
    attempt.loginFrom = remoteAddress;
    attempt.timeToLiveSeconds = Math.min(body.timeToLiveSeconds ?? attempt.timeToLiveSeconds, attempt.timeToLiveSeconds);
    attempt.stage = 'response-sent';
    void this.sendInitiatorStep(attempt, { kind: 'LoginResponse', sessionID: attempt.ourSessionID, timeToLiveSeconds: attempt.timeToLiveSeconds, status: statusOf(200) });
    return undefined;
  }

  private async sendInitiatorStep(attempt: InitiatorAttempt, body: SetupElement): Promise<void> {
    try {
      await this.options.send(attempt.domain, [attempt.endpoint as PeerEndpoint], { kind: 'setup', mode: 'Request', transactionID: attempt.transactionID, body });
    } catch (error) {
      attempt.settle(asSetupFailure(attempt.domain, error));
    }
  }

  private fail(attempt: InitiatorAttempt, description: string): undefined {
    attempt.settle(new GatewayError('SSP_SETUP_FAILED', `session set-up with ${attempt.domain} failed: ${description}`, { impsStatus: 503, transient: true }));
    return undefined;
  }
}
