// Set-up, responder role (ssp-profile §4): a peer claims a domain; we call that domain back to verify it.
import { GatewayError } from '../errors';
import { parseServiceId, serviceIdOf } from '../routing/user-id';
import { md5Digest, statusOf, type SetupElement, type SetupMessage } from '../ssp';
import type { PeerEndpoint } from './peer-directory';
import { countSetup, digestMatches, establishSession, newSessionId, newToken, refusal, sameSource, sessionDomainOf, sourceAllowed, type SetupOptions } from './setup-common';

/** A set-up a peer started with us: we called its claimed domain back with our token. */
interface ResponderAttempt {
  domain: string;
  transactionID: string;
  theirToken: string;
  ourToken: string;
  endpoint?: PeerEndpoint;
  /**
   * Where the LoginRequest with the right digest came from: only that address may finish the set-up. The
   * LoginResponse carries no proof of its own, and a transactionID is easy to guess.
   */
  loginFrom?: string;
  stage: 'calling-back' | 'token-sent' | 'login-answered';
  expiresAtMs: number;
}

export class SetupResponder {
  private readonly responding = new Map<string, ResponderAttempt>();

  constructor(private readonly options: SetupOptions) {}

  /** A set-up request from a peer; returns a refusal for the HTTP response body, or undefined. */
  receiveRequest(message: SetupMessage, remoteAddress: string): SetupMessage | undefined {
    const { body, transactionID } = message;
    if (body.kind === 'SendSecretToken') return this.onTokenRequest(transactionID, body, remoteAddress);
    if (body.kind === 'LoginRequest') return this.onLoginRequest(transactionID, body, remoteAddress);
    return this.onLoginResponseRequest(transactionID, body, remoteAddress);
  }

  /** Forget attempts that stalled; called by the housekeeping timer. */
  sweep(): void {
    const now = this.options.now();
    for (const [key, attempt] of this.responding) if (attempt.expiresAtMs <= now) this.responding.delete(key);
  }

  /** The peer ended the attempt with a Status; from an address the attempt does not come from, it ends nothing. */
  abort(transactionID: string, remoteAddress: string): void {
    for (const [key, attempt] of this.responding) {
      if (attempt.transactionID !== transactionID || !this.fromPeer(attempt, remoteAddress)) continue;
      this.responding.delete(key);
    }
  }

  private fromPeer(attempt: ResponderAttempt, remoteAddress: string): boolean {
    return sourceAllowed(this.options, attempt.domain, remoteAddress) && (attempt.loginFrom === undefined || sameSource(this.options, attempt.domain, attempt.loginFrom, remoteAddress));
  }

  private onTokenRequest(transactionID: string, body: SetupElement & { kind: 'SendSecretToken' }, remoteAddress: string) {
    const domain = parseServiceId(body.serviceID);
    if (!domain) return refusal(transactionID, 400, `serviceID ${body.serviceID} is not of the form wv:@domain`);
    const policy = this.options.directory.policyFor(domain);
    if (!policy.agreed) {
      countSetup(this.options, 'responder', 'not_agreed');
      return refusal(transactionID, 506, `no interworking agreement with ${domain}`);
    }
    if (!sourceAllowed(this.options, domain, remoteAddress)) {
      countSetup(this.options, 'responder', 'source_refused');
      return refusal(transactionID, 506, `set-up for ${domain} is not allowed from ${remoteAddress}`);
    }
    if (policy.secret !== undefined && body.secretToken !== policy.secret) {
      countSetup(this.options, 'responder', 'secret_refused');
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
      await this.options.send(attempt.domain, endpoints, { kind: 'setup', mode: 'Response', transactionID: attempt.transactionID, body: token }, (endpoint) => {
        attempt.endpoint = endpoint;
        attempt.stage = 'token-sent';
      });
    } catch (error) {
      this.responding.delete(key);
      countSetup(this.options, 'responder', 'callback_failed');
      this.options.logger.warn({ peer: attempt.domain, err: error }, 'set-up call-back failed');
    }
  }

  private onLoginRequest(transactionID: string, body: SetupElement & { kind: 'LoginRequest' }, remoteAddress: string) {
    const domain = parseServiceId(body.serviceID) ?? '';
    const key = `${domain} ${transactionID}`;
    const attempt = this.responding.get(key);
    if (!attempt || attempt.stage !== 'token-sent' || !attempt.endpoint || !this.fromPeer(attempt, remoteAddress)) {
      countSetup(this.options, 'responder', 'unexpected_login');
      return refusal(transactionID, 400, `no session set-up with ${domain || body.serviceID} awaits a LoginRequest for transaction ${transactionID}`);
    }
    if (!digestMatches(body.passwordDigest, attempt.ourToken)) {
      this.responding.delete(key);
      countSetup(this.options, 'responder', 'digest_refused');
      const answer = refusal(transactionID, 409, 'PasswordDigest does not match the secret token we sent');
      void this.options.send(attempt.domain, [attempt.endpoint], answer).catch(() => undefined);
      return undefined;
    }
    attempt.stage = 'login-answered';
    attempt.loginFrom = remoteAddress;
    void this.answer(attempt, {
      kind: 'LoginRequest',
      serviceID: serviceIdOf(this.options.domain),
      timeToLiveSeconds: Math.min(body.timeToLiveSeconds ?? Infinity, this.options.timeToLiveSeconds),
      passwordDigest: md5Digest(attempt.theirToken),
    });
    return undefined;
  }

  private onLoginResponseRequest(transactionID: string, body: SetupElement, remoteAddress: string) {
    if (body.kind !== 'LoginResponse') return refusal(transactionID, 400, `${body.kind} cannot be sent as a set-up request here`);
    const domain = sessionDomainOf(body.sessionID);
    const key = `${domain} ${transactionID}`;
    const attempt = this.responding.get(key);
    if (!attempt || attempt.stage !== 'login-answered' || !attempt.endpoint || !sameSource(this.options, attempt.domain, attempt.loginFrom, remoteAddress)) {
      if (attempt?.stage === 'login-answered') countSetup(this.options, 'responder', 'source_refused');
      return refusal(transactionID, 400, `no session set-up with ${domain} awaits a LoginResponse for transaction ${transactionID}`);
    }
    this.responding.delete(key);
    if (body.status.code !== 200) {
      countSetup(this.options, 'responder', 'peer_refused');
      return undefined;
    }
    const session = establishSession(this.options, attempt.domain, newSessionId(this.options.domain), body.sessionID, attempt.endpoint, body.timeToLiveSeconds);
    countSetup(this.options, 'responder', 'established');
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
      await this.options.send(attempt.domain, [attempt.endpoint], { kind: 'setup', mode: 'Response', transactionID: attempt.transactionID, body });
    } catch (error) {
      this.responding.delete(`${attempt.domain} ${attempt.transactionID}`);
      this.options.logger.warn({ peer: attempt.domain, err: error }, 'set-up answer failed');
    }
  }
}
