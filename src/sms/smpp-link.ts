// One SMPP 3.4 ESME connection (§2.2 bind_transceiver, §4.11 enquire_link): bind, keep alive, reconnect with backoff.
import * as smpp from 'smpp';
import type { Pdu, Session } from 'smpp';
import { GatewayError } from '../errors';
import type { Logger } from '../log';
import { describeSmppStatus, SMPP_STATUS } from './smpp-status';

/** Where and how to bind, and the link's timers. */
export interface SmppLinkOptions {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType: string;
  enquireLinkIntervalMs: number;
  /** How long any request (bind, submit_sm, enquire_link) may wait for its response. */
  responseTimeoutMs: number;
  reconnectInitialDelayMs: number;
  reconnectMaxDelayMs: number;
}

/** What the link tells its owner. */
export interface SmppLinkListener {
  bound(): void;
  unbound(): void;
  /** A request PDU from the SMSC the link does not answer itself (deliver_sm); `respond` answers it. */
  request(pdu: Pdu, respond: (status: number) => void): void;
}

/** A request's response, or the GatewayError that replaced it (timeout, link down). */
export type ResponseCallback = (response: Pdu | GatewayError) => void;

interface Outstanding {
  sentAt: number;
  done: ResponseCallback;
}

/** Exactly one TCP connection at a time; after a failure it reconnects after `reconnectDelayMs`. */
export class SmppLink {
  private session: Session | undefined;
  private bound = false;
  private stopping = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private enquireTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly outstanding = new Map<number, Outstanding>();
  private firstAttempt: (() => void) | undefined;

  constructor(
    private readonly options: SmppLinkOptions,
    private readonly listener: SmppLinkListener,
    private readonly logger: Logger,
    private readonly random: () => number = Math.random,
  ) {}

  get isBound(): boolean {
    return this.bound;
  }

  /** Connect and bind; resolves after the first attempt, bound or not (later attempts run on their own). */
  start(): Promise<void> {
    this.stopping = false;
    return new Promise((resolve) => {
      this.firstAttempt = resolve;
      this.connect();
    });
  }

  /** Unbind politely (bounded by the response timeout), close, and stop reconnecting. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    const session = this.session;
    if (!session) return;
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    if (this.bound) this.request('unbind', {}, () => session.close());
    else session.destroy();
    const deadline = setTimeout(() => session.destroy(), this.options.responseTimeoutMs);
    await closed;
    clearTimeout(deadline);
  }

  /** Send a request PDU; `done` runs once, asynchronously, with the response or a GatewayError. */
  request(command: string, fields: Record<string, unknown>, done: ResponseCallback): void {
    const session = this.session;
    const pdu = new smpp.PDU(command, fields);
    if (session && session.socket.writableCorked === 0) {
      // A window refill sends several PDUs in one tick: one write (syscall) for all of them.
      session.socket.cork();
      process.nextTick(() => session.socket.uncork());
    }
    const sent = session !== undefined && session.send(pdu, (response) => this.onResponse(response));
    if (!sent) {
      setImmediate(done, smscDown(`cannot send ${command}: the SMPP connection is closed`));
      return;
    }
    this.outstanding.set(pdu.sequence_number, { sentAt: Date.now(), done });
  }

  private connect(): void {
    this.reconnectTimer = undefined;
    const session = smpp.connect({ host: this.options.host, port: this.options.port });
    this.session = session;
    session.on('connect', () => this.bind(session));
    // node-smpp also reports an unreadable PDU here and then stops reading: the session is lost either way.
    session.on('error', (error: Error) => {
      this.logger.warn({ err: error.message }, 'smpp connection error');
      session.destroy();
    });
    session.on('close', () => this.onClose(session));
    session.on('pdu', (pdu: Pdu) => this.onPdu(session, pdu));
  }

  private bind(session: Session): void {
    this.sweepTimer = setInterval(() => this.sweep(), Math.min(1000, Math.max(10, this.options.responseTimeoutMs / 4)));
    const fields = { system_id: this.options.systemId, password: this.options.password, system_type: this.options.systemType, interface_version: 0x34 };
    this.request('bind_transceiver', fields, (response) => {
      if (response instanceof GatewayError || response.command_status !== SMPP_STATUS.ESME_ROK) {
        const reason = response instanceof GatewayError ? response.message : describeSmppStatus(response.command_status);
        this.logger.error({ host: this.options.host, port: this.options.port, reason }, 'smpp bind refused');
        return session.destroy();
      }
      this.bound = true;
      this.attempt = 0;
      this.enquireTimer = setInterval(() => this.enquireLink(session), this.options.enquireLinkIntervalMs);
      this.logger.info({ host: this.options.host, port: this.options.port }, 'smpp bound');
      this.listener.bound();
      this.settleFirstAttempt();
    });
  }

  /** The SMSC says we are not bound (ESME_RINVBNDSTS) while TCP is up: drop the connection and bind anew. */
  rebind(reason: string): void {
    const session = this.session;
    if (!session) return;
    this.logger.warn({ reason }, 'smpp link not bound at the SMSC, reconnecting');
    session.destroy();
  }

  /** SMPP 3.4 §4.11: a link that no longer answers enquire_link, or is not bound, is dead even if TCP has not noticed. */
  private enquireLink(session: Session): void {
    this.request('enquire_link', {}, (response) => {
      if (this.session !== session) return;
      if (response instanceof GatewayError) {
        this.logger.warn({ reason: response.message }, 'smpp enquire_link unanswered, reconnecting');
        return session.destroy();
      }
      // Only "not bound" means the link is gone; another error status (throttling, a generic_nack) is the SMSC answering.
      if (response.command_status === SMPP_STATUS.ESME_RINVBNDSTS) this.rebind('enquire_link answered ESME_RINVBNDSTS');
    });
  }

  private onResponse(response: Pdu): void {
    const entry = this.outstanding.get(response.sequence_number);
    if (!entry) return;
    this.outstanding.delete(response.sequence_number);
    entry.done(response);
  }

  /** Fail requests whose response is overdue; Map order is send order, so the scan stops at the first fresh one. */
  private sweep(): void {
    const overdueBefore = Date.now() - this.options.responseTimeoutMs;
    for (const [sequence, entry] of this.outstanding) {
      if (entry.sentAt > overdueBefore) return;
      this.outstanding.delete(sequence);
      entry.done(new GatewayError('SMS_TIMEOUT', `no SMPP response within ${this.options.responseTimeoutMs} ms`, { impsStatus: 503, transient: true }));
    }
  }

  private onPdu(session: Session, pdu: Pdu): void {
    if (pdu.isResponse()) return;
    const respond = (status: number) => {
      if (this.session === session) session.send(pdu.response({ command_status: status }));
    };
    switch (pdu.command) {
      case 'enquire_link':
        return respond(SMPP_STATUS.ESME_ROK);
      case 'unbind':
        this.logger.warn({}, 'smpp unbind from smsc');
        return void session.send(pdu.response(), () => session.close());
      case 'deliver_sm':
        return this.listener.request(pdu, respond);
      case 'alert_notification':
        return;
      default:
        this.logger.warn({ command: pdu.command }, 'smpp request not supported');
        return respond(SMPP_STATUS.ESME_RINVCMDID);
    }
  }

  private onClose(session: Session): void {
    if (this.session !== session) return;
    this.session = undefined;
    clearInterval(this.enquireTimer);
    clearInterval(this.sweepTimer);
    const wasBound = this.bound;
    this.bound = false;
    // The window must see the link down before the failures below, or it would resubmit into a closed socket.
    if (wasBound) this.listener.unbound();
    const failures = [...this.outstanding.values()];
    this.outstanding.clear();
    const error = smscDown('the SMPP connection closed before the response');
    for (const entry of failures) entry.done(error);
    this.settleFirstAttempt();
    if (!this.stopping) this.scheduleReconnect(wasBound);
  }

  private scheduleReconnect(wasBound: boolean): void {
    const delayMs = reconnectDelayMs(this.attempt, this.options.reconnectInitialDelayMs, this.options.reconnectMaxDelayMs, this.random);
    this.attempt = Math.min(this.attempt + 1, 30);
    this.logger[wasBound ? 'warn' : 'info']({ delayMs, attempt: this.attempt }, 'smpp reconnect scheduled');
    this.reconnectTimer = setTimeout(() => this.connect(), delayMs);
  }

  private settleFirstAttempt(): void {
    this.firstAttempt?.();
    this.firstAttempt = undefined;
  }
}

/**
 * Delay before reconnect attempt `attempt` (0-based): the ceiling doubles from `initialMs` up to `maxMs`;
 * half of it is fixed (no storm of instant retries), half random (gateways restarted together spread out).
 */
export function reconnectDelayMs(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function smscDown(description: string): GatewayError {
  return new GatewayError('SMS_SMSC_DOWN', description, { impsStatus: 503, transient: true });
}
