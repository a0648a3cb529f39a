// SmsTransport over SMPP 3.4 as an ESME (bind_transceiver): windowed submit_sm, deliver_sm receipts and MO.
import { LRUCache } from 'lru-cache';
import type { Pdu } from 'smpp';
import { GatewayError, toGatewayError } from '../errors';
import { createLogger, type Logger } from '../log';
import { buildSubmitSm } from './build-submit-sm';
import { decodeDeliverSm } from './decode-deliver-sm';
import { normaliseSmscMessageId } from './normalise-smsc-message-id';
import type { SmppTransportConfig } from './sms-config';
import { SmppLink } from './smpp-link';
import { SMPP_STATUS, submitFailureOf } from './smpp-status';
import type { OutboundSms, SmsInboundHandler, SmsTransport, SmsTransportDeps, SmsTransportState, SubmitResult } from './sms-transport';
import { SubmitWindow, type PartOutcome } from './submit-window';

interface Submission {
  reference: string;
  partIndex: number;
}

/**
 * One bind_transceiver connection (SmppLink) with a SubmitWindow in front: at most `windowSize` submit_sm
 * outstanding, messages to one destination accepted in submission order, ESME_RTHROTTLED pausing the whole
 * link. Receipts (esm_class 0x04/0x20) and MO are decoded by `decodeDeliverSm`, handed to the inbound
 * handler, and only then acknowledged; every deliver_sm gets a deliver_sm_resp.
 */
export class SmppTransport implements SmsTransport {
  readonly kind = 'smpp' as const;
  private readonly link: SmppLink;
  private readonly window: SubmitWindow;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly listeners = new Set<(state: SmsTransportState) => void>();
  /** Normalised SMSC id → our reference, to label receipts while the submission is recent. */
  private readonly submissions: LRUCache<string, Submission>;
  private handler: SmsInboundHandler | undefined;
  private concatReference: number;

  constructor(
    private readonly config: SmppTransportConfig,
    deps: SmsTransportDeps = {},
  ) {
    this.logger = deps.logger ?? createLogger('silent');
    this.now = deps.now ?? (() => new Date());
    const random = deps.random ?? Math.random;
    this.concatReference = Math.floor(random() * 256);
    const { maxEntries, ttlSeconds } = config.receiptMemory;
    this.submissions = new LRUCache({ max: maxEntries, ttl: ttlSeconds * 1000 });
    this.window = new SubmitWindow(config, (fields, done) => this.sendPart(fields, done));
    const linkOptions = {
      host: config.host,
      port: config.port,
      systemId: config.systemId,
      password: config.password,
      systemType: config.systemType,
      enquireLinkIntervalMs: config.enquireLinkIntervalMs,
      responseTimeoutMs: config.responseTimeoutMs,
      reconnectInitialDelayMs: config.reconnect.initialDelayMs,
      reconnectMaxDelayMs: config.reconnect.maxDelayMs,
    };
    const listener = {
      bound: () => this.setLinkUp(true),
      unbound: () => this.setLinkUp(false),
      request: (pdu: Pdu, respond: (status: number) => void) => void this.onDeliverSm(pdu, respond),
    };
    this.link = new SmppLink(linkOptions, listener, this.logger, random);
  }

  get state(): SmsTransportState {
    return this.link.isBound ? 'connected' : 'disconnected';
  }

  /** Resolves after the first bind attempt; when the SMSC is down the link keeps retrying in the background. */
  start(): Promise<void> {
    return this.link.start();
  }

  stop(): Promise<void> {
    return this.link.stop();
  }

  async submit(outbound: OutboundSms, signal?: AbortSignal): Promise<SubmitResult> {
    const multipart = outbound.sms.segments.length > 1;
    if (multipart) this.concatReference = (this.concatReference + 1) & 0xff;
    const fields = buildSubmitSm(outbound, this.concatReference, this.config.serviceType);
    const format = this.config.messageIds.submitResponse;
    const submissions = outbound.requestReceipt ? this.submissions : undefined;
    const remember = submissions && ((partIndex: number, id: string) => submissions.set(normaliseSmscMessageId(id, format), { reference: outbound.reference, partIndex }));
    const rawIds = await this.window.submit(outbound.to, fields, signal, remember);
    const smscMessageIds = rawIds.map((id) => normaliseSmscMessageId(id, format));
    return { reference: outbound.reference, smscMessageIds, submittedAt: this.now() };
  }

  setInboundHandler(handler: SmsInboundHandler): void {
    this.handler = handler;
  }

  onStateChange(listener: (state: SmsTransportState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setLinkUp(up: boolean): void {
    this.window.setLinkUp(up);
    const state = this.state;
    for (const listener of this.listeners) listener(state);
  }

  private sendPart(fields: Record<string, unknown>, done: (outcome: PartOutcome) => void): void {
    this.link.request('submit_sm', fields, (response) => {
      if (response instanceof GatewayError) return done({ kind: 'failed', error: response });
      if (response.command_status === SMPP_STATUS.ESME_ROK) {
        return done({ kind: 'accepted', messageId: typeof response.message_id === 'string' ? response.message_id : '' });
      }
      const failure = submitFailureOf(response.command_status);
      if (failure.kind !== 'link-down') return done(failure);
      this.link.rebind('submit_sm answered ESME_RINVBNDSTS');
      done({ kind: 'failed', error: new GatewayError('SMS_SMSC_DOWN', 'the SMSC says the link is not bound', { impsStatus: 503, transient: true }) });
    });
  }

  /** Always answers the deliver_sm: OK once the consumer has taken it, an error status otherwise. */
  private async onDeliverSm(pdu: Pdu, respond: (status: number) => void): Promise<void> {
    const meaning = decodeDeliverSm(pdu, this.config.messageIds, this.now());
    if (meaning.kind === 'invalid') {
      this.logger.warn({ reason: meaning.reason, status: meaning.status }, 'smpp deliver_sm refused');
      return respond(meaning.status);
    }
    const handler = this.handler;
    if (!handler) {
      this.logger.warn({ kind: meaning.kind }, 'smpp deliver_sm before an inbound handler was set');
      return respond(SMPP_STATUS.ESME_RX_T_APPN);
    }
    try {
      if (meaning.kind === 'mo') await handler.mobileOriginated(meaning.sms);
      else {
        const known = meaning.receipt.smscMessageId === undefined ? undefined : this.submissions.get(meaning.receipt.smscMessageId);
        await handler.receipt(known ? { ...meaning.receipt, ...known } : meaning.receipt);
      }
      respond(SMPP_STATUS.ESME_ROK);
    } catch (error) {
      const failure = toGatewayError(error);
      this.logger.warn({ kind: meaning.kind, code: failure.code, transient: failure.transient }, 'smpp deliver_sm not taken');
      // SMPP 3.4 §5.1.3: RX_T_APPN asks the SMSC to retry later, RX_P_APPN refuses the message for good.
      respond(failure.transient ? SMPP_STATUS.ESME_RX_T_APPN : SMPP_STATUS.ESME_RX_P_APPN);
    }
  }
}
