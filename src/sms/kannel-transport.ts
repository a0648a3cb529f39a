// SmsTransport over Kannel 1.4 smsbox: MT by sendsms POST (X-Kannel-* headers), DLR and MO via HTTP callbacks.
import { Agent, request } from 'undici';
import { GatewayError } from '../errors';
import { createLogger, type Logger } from '../log';
import { smppAddressOf } from './build-submit-sm';
import { encodeDlrReference } from './decode-kannel-callback';
import { createKannelCallbackHandler, type KannelCallbackHandler } from './kannel-callback-handler';
import type { KannelTransportConfig } from './sms-config';
import type { OutboundSms, SmsInboundHandler, SmsTransport, SmsTransportDeps, SmsTransportState, SubmitResult } from './sms-transport';

/** Kannel X-Kannel-Coding: 0 = 7-bit (smsbox converts its UTF-8 to GSM), 2 = UCS-2. smsbox never switches by itself. */
const KANNEL_CODING = { gsm7: '0', ucs2: '2' } as const;

/**
 * smsbox splits long text itself (UDH 8-bit reference, 153 septets / 67 UCS-2 units, as composeSms does)
 * only if the sendsms-user has max-messages > 1 and concatenation = true; otherwise it silently truncates
 * to one SMS and still answers 202, hence `maxMessages` here. smsbox reports one DLR per logical SMS.
 */
export class KannelTransport implements SmsTransport {
  readonly kind = 'kannel' as const;
  /** Serves `…/dlr` and `…/mo` under `callbackUrl`; mount it, or run it with `startKannelCallbackServer`. */
  readonly handleCallback: KannelCallbackHandler;
  private readonly agent: Agent;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly dlrUrlBase: string;
  private readonly listeners = new Set<(state: SmsTransportState) => void>();
  private handler: SmsInboundHandler | undefined;
  private currentState: SmsTransportState = 'disconnected';

  constructor(
    private readonly config: KannelTransportConfig,
    deps: SmsTransportDeps = {},
  ) {
    this.logger = deps.logger ?? createLogger('silent');
    this.now = deps.now ?? (() => new Date());
    this.agent = new Agent({ connections: 16, keepAliveTimeout: 30_000 });
    const token = config.callbackToken === undefined ? '' : `&token=${encodeURIComponent(config.callbackToken)}`;
    // Kannel substitutes %d (type), %A (SMSC answer), %p (receiver), %F (SMSC message id) when it calls back.
    this.dlrUrlBase = `${config.callbackUrl.replace(/\/+$/, '')}/dlr?type=%d&answer=%A&to=%p&smscid=%F${token}&ref=`;
    const callbackOptions = { maxBodyBytes: config.maxCallbackBodyBytes, now: this.now, logger: this.logger };
    this.handleCallback = createKannelCallbackHandler(config.callbackToken === undefined ? callbackOptions : { ...callbackOptions, token: config.callbackToken }, () => this.handler);
  }

  get state(): SmsTransportState {
    return this.currentState;
  }

  /** Probe smsbox with our credentials and no receiver: "400 Missing receiver" proves it is up and knows us. */
  async start(): Promise<void> {
    try {
      const { statusCode, body } = await this.post({}, '', AbortSignal.timeout(this.config.requestTimeoutMs));
      const text = await body.text();
      if (statusCode === 403) this.logger.error({ status: statusCode, answer: text }, 'kannel refused our sendsms credentials');
      this.setState(statusCode === 403 ? 'disconnected' : 'connected');
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'kannel sendsms not reachable');
      this.setState('disconnected');
    }
  }

  async stop(): Promise<void> {
    await this.agent.close();
    this.setState('disconnected');
  }

  async submit(outbound: OutboundSms, signal?: AbortSignal): Promise<SubmitResult> {
    const parts = outbound.sms.segments.length;
    if (parts > this.config.maxMessages) {
      throw new GatewayError('SMS_TOO_LONG', `the SMS needs ${parts} parts; the Kannel sendsms user allows ${this.config.maxMessages}`, { impsStatus: 402 });
    }
    // Validation also keeps spaces out of X-Kannel-To, where smsbox would read several receivers.
    smppAddressOf(outbound.from, 'from');
    smppAddressOf(outbound.to, 'to');
    const headers: Record<string, string> = {
      'x-kannel-from': outbound.from,
      'x-kannel-to': outbound.to,
      'x-kannel-coding': KANNEL_CODING[outbound.sms.encoding],
      ...(this.config.smsc ? { 'x-kannel-smsc': this.config.smsc } : {}),
      ...(outbound.requestReceipt
        ? { 'x-kannel-dlr-mask': String(this.config.dlrMask), 'x-kannel-dlr-url': this.dlrUrlBase + encodeDlrReference(outbound.reference) }
        : {}),
    };
    const { statusCode, body } = await this.send(headers, outbound.sms.text, signal);
    const answer = (await body.text()).trim();
    if (statusCode === 200 || statusCode === 202) return { reference: outbound.reference, smscMessageIds: [], submittedAt: this.now() };
    const description = `smsbox answered ${statusCode}: ${answer.slice(0, 200)}`;
    if (statusCode >= 500) throw new GatewayError('SMS_REJECTED', description, { impsStatus: 503, transient: true });
    if (statusCode === 403) this.logger.error({ status: statusCode, answer }, 'kannel refused our sendsms credentials');
    throw new GatewayError('SMS_REJECTED', description, { impsStatus: 500 });
  }

  setInboundHandler(handler: SmsInboundHandler): void {
    this.handler = handler;
  }

  onStateChange(listener: (state: SmsTransportState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** POST with timeout; a network failure marks the link down and is a transient SMS_SMSC_DOWN. */
  private async send(headers: Record<string, string>, text: string, signal?: AbortSignal) {
    const timeout = AbortSignal.timeout(this.config.requestTimeoutMs);
    try {
      const response = await this.post(headers, text, signal ? AbortSignal.any([signal, timeout]) : timeout);
      this.setState('connected');
      return response;
    } catch (error) {
      // Cancelled or unanswered: smsbox may still have taken it, so the caller's retry may duplicate (as with SMPP).
      if (signal?.aborted) throw new GatewayError('SMS_TIMEOUT', 'the SMS submission was cancelled', { impsStatus: 503, transient: true, cause: error });
      if (timeout.aborted) throw new GatewayError('SMS_TIMEOUT', `smsbox did not answer within ${this.config.requestTimeoutMs} ms`, { impsStatus: 503, transient: true, cause: error });
      this.setState('disconnected');
      throw new GatewayError('SMS_SMSC_DOWN', `Kannel sendsms failed: ${(error as Error).message}`, { impsStatus: 503, transient: true, cause: error });
    }
  }

  private post(headers: Record<string, string>, text: string, signal: AbortSignal) {
    return request(this.config.sendsmsUrl, {
      method: 'POST',
      dispatcher: this.agent,
      signal,
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        'x-kannel-username': this.config.username,
        'x-kannel-password': this.config.password,
        ...headers,
      },
      body: text,
    });
  }

  private setState(state: SmsTransportState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const listener of this.listeners) listener(state);
  }
}
