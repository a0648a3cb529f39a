// SMPP submit window (SMPP 3.4 §2.7 asynchronous operation): bounded outstanding submit_sm, throttle pause, ordered resubmission.
import { GatewayError } from '../errors';

/** The outcome of one submit_sm, reported exactly once and never synchronously from `SendPart`. */
export type PartOutcome = { kind: 'accepted'; messageId: string } | { kind: 'throttled' } | { kind: 'failed'; error: GatewayError };

/** Told about each accepted part at once, before the message settles (receipts can overtake the rest). */
export type PartAccepted = (partIndex: number, messageId: string) => void;

/** Sends one submit_sm with `fields` and reports its outcome through `done`. */
export type SendPart = (fields: Record<string, unknown>, done: (outcome: PartOutcome) => void) => void;

/** Window size, back-pressure bound and throttling behaviour. */
export interface SubmitWindowOptions {
  /** Most submit_sm awaiting their response at once. */
  windowSize: number;
  /** Most messages accepted by `submit` and not yet settled; beyond it `submit` refuses (back-pressure). */
  maxPendingMessages: number;
  /** How long the whole link pauses after ESME_RTHROTTLED before resubmitting. */
  throttlePauseMs: number;
  /** Throttled resubmissions of one part before its message fails as SMS_THROTTLED (transient). */
  maxThrottleRetries: number;
}

interface MessageJob {
  key: string;
  parts: PartJob[];
  ids: string[];
  remaining: number;
  /** A part went on the wire: cancelling can no longer take the message back. */
  started: boolean;
  settled: boolean;
  resolve: (ids: string[]) => void;
  reject: (error: GatewayError) => void;
  detachAbort: () => void;
  onAccepted: PartAccepted | undefined;
}

interface PartJob {
  message: MessageJob;
  index: number;
  fields: Record<string, unknown>;
  /** Global submission order, used to resubmit throttled parts in their original order. */
  order: number;
  throttles: number;
}

/**
 * Ordering guarantee: messages to one destination (`key`) are accepted by the SMSC in submission order —
 * the next message to a destination is sent only once the previous one is fully accepted or failed —
 * while messages to different destinations share the window. A global order cannot be promised with a
 * window above 1: an SMSC may throttle one PDU and accept the next one already in flight.
 */
export class SubmitWindow {
  private linkUp = false;
  private pause: NodeJS.Timeout | undefined;
  private outstanding = 0;
  private pending = 0;
  private nextOrder = 0;
  private ready: PartJob[] = [];
  private readyHead = 0;
  private readonly retries: PartJob[] = [];
  private readonly active = new Map<string, MessageJob>();
  private readonly waiting = new Map<string, MessageJob[]>();

  constructor(
    private readonly options: SubmitWindowOptions,
    private readonly sendPart: SendPart,
  ) {}

  /** Queue the parts of one message to `key`; resolves with one SMSC message id per part, in order. */
  submit(key: string, partFields: Record<string, unknown>[], signal?: AbortSignal, onAccepted?: PartAccepted): Promise<string[]> {
    if (!this.linkUp) return Promise.reject(smscDown('the SMPP link is not bound'));
    if (this.pending >= this.options.maxPendingMessages) {
      return Promise.reject(new GatewayError('SMS_THROTTLED', 'the SMPP submit queue is full', { impsStatus: 503, transient: true }));
    }
    if (signal?.aborted) return Promise.reject(cancelled(signal));
    return new Promise<string[]>((resolve, reject) => {
      const message: MessageJob = {
        key,
        parts: [],
        ids: [],
        remaining: partFields.length,
        started: false,
        settled: false,
        resolve,
        reject,
        detachAbort: () => {},
        onAccepted,
      };
      message.parts = partFields.map((fields, index) => ({ message, index, fields, order: 0, throttles: 0 }));
      if (signal) {
        const onAbort = () => this.abort(message, signal);
        signal.addEventListener('abort', onAbort, { once: true });
        message.detachAbort = () => signal.removeEventListener('abort', onAbort);
      }
      this.pending++;
      const queue = this.waiting.get(key);
      if (!this.active.has(key)) this.activate(message);
      else if (queue) queue.push(message);
      else this.waiting.set(key, [message]);
      this.pump();
    });
  }

  /** Bound: start sending. Unbound: every unsettled message fails as SMS_SMSC_DOWN (the caller retries). */
  setLinkUp(up: boolean): void {
    this.linkUp = up;
    if (up) return this.pump();
    clearTimeout(this.pause);
    this.pause = undefined;
    const unsettled = [...this.active.values(), ...[...this.waiting.values()].flat()];
    this.active.clear();
    this.waiting.clear();
    this.ready = [];
    this.readyHead = 0;
    this.retries.length = 0;
    const error = smscDown('the SMPP link went down before the SMSC accepted every part');
    for (const message of unsettled) this.settle(message, error);
  }

  private activate(message: MessageJob): void {
    this.active.set(message.key, message);
    for (const part of message.parts) {
      part.order = this.nextOrder++;
      this.ready.push(part);
    }
  }

  private pump(): void {
    while (this.linkUp && !this.pause && this.outstanding < this.options.windowSize) {
      const part = this.nextPart();
      if (!part) return;
      part.message.started = true;
      this.outstanding++;
      this.sendPart(part.fields, (outcome) => this.onOutcome(part, outcome));
    }
  }

  /** Throttled parts first (in original order), then the FIFO; parts of settled messages are dropped. */
  private nextPart(): PartJob | undefined {
    for (let part = this.retries.shift(); part; part = this.retries.shift()) if (!part.message.settled) return part;
    while (this.readyHead < this.ready.length) {
      const part = this.ready[this.readyHead++] as PartJob;
      if (this.readyHead > 4096 && this.readyHead * 2 > this.ready.length) {
        this.ready = this.ready.slice(this.readyHead);
        this.readyHead = 0;
      }
      if (!part.message.settled) return part;
    }
    return undefined;
  }

  private onOutcome(part: PartJob, outcome: PartOutcome): void {
    this.outstanding--;
    const message = part.message;
    if (!message.settled) {
      if (outcome.kind === 'accepted') {
        message.ids[part.index] = outcome.messageId;
        message.onAccepted?.(part.index, outcome.messageId);
        if (--message.remaining === 0) this.finish(message);
      } else if (outcome.kind === 'throttled') this.throttled(part);
      else this.finish(message, outcome.error);
    }
    this.pump();
  }

  private throttled(part: PartJob): void {
    if (++part.throttles > this.options.maxThrottleRetries) {
      const error = new GatewayError('SMS_THROTTLED', `the SMSC throttled a part ${part.throttles} times`, { impsStatus: 503, transient: true });
      return this.finish(part.message, error);
    }
    const at = this.retries.findIndex((queued) => queued.order > part.order);
    this.retries.splice(at < 0 ? this.retries.length : at, 0, part);
    // SMPP 3.4 §5.1.3 ESME_RTHROTTLED: the SMSC wants less traffic, so the whole link rests, not just this PDU.
    this.pause ??= setTimeout(() => {
      this.pause = undefined;
      this.pump();
    }, this.options.throttlePauseMs);
  }

  /** Settle a message and let the next message to its destination go. */
  private finish(message: MessageJob, error?: GatewayError): void {
    this.settle(message, error);
    if (this.active.get(message.key) !== message) return;
    this.active.delete(message.key);
    const queue = this.waiting.get(message.key);
    for (let next = queue?.shift(); next; next = queue?.shift()) {
      if (next.settled) continue;
      this.activate(next);
      break;
    }
    if (queue?.length === 0) this.waiting.delete(message.key);
  }

  private settle(message: MessageJob, error?: GatewayError): void {
    if (message.settled) return;
    message.settled = true;
    this.pending--;
    message.detachAbort();
    if (error) message.reject(error);
    else message.resolve(message.ids);
  }

  /** Honoured only before any part is on the wire: a sent submit_sm cannot be recalled, its outcome decides. */
  private abort(message: MessageJob, signal: AbortSignal): void {
    if (message.started || message.settled) return;
    this.finish(message, cancelled(signal));
    this.pump();
  }
}

function smscDown(description: string): GatewayError {
  return new GatewayError('SMS_SMSC_DOWN', description, { impsStatus: 503, transient: true });
}

function cancelled(signal: AbortSignal): GatewayError {
  return new GatewayError('SMS_TIMEOUT', 'the SMS submission was cancelled before it was sent', { impsStatus: 503, transient: true, cause: signal.reason });
}
