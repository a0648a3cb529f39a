// Replies from legacy customers (seed 000 use case 4, IM-0050): an MO SMS becomes an IM to the user it answers.
import { hash, randomUUID } from 'node:crypto';
import { toGatewayError } from '../errors';
import type { Logger } from '../log';
import type { GatewayMetrics } from '../metrics';
import type { SendMessageRequest } from '../ssp';
import type { RoutedMoReply, SmsStore } from '../store';
import { composeSms } from './compose-sms';
import { ConcatReassembler, reassemblyKey, type ReassembledSms } from './concat-reassembler';
import { normaliseSmsAddress, type ConversationCorrelator, type ReplyMatch } from './conversation-correlator';
import type { AdmitSmsTransaction } from './sms-origin';
import type { SmsRepliesConfig } from './sms-service-config';
import { RoutedReplies } from './routed-replies';
import type { MobileOriginatedSms, SmsTransport } from './sms-transport';
import { mobileOriginatedOf, pendingMoPartOf } from './stored-mo-part';

export interface MoReplyRouterOptions {
  transport: SmsTransport;
  correlator: ConversationCorrelator;
  /** Keeps the parts that wait for the others, so that a restart does not lose them. */
  store: SmsStore;
  admit: AdmitSmsTransaction;
  replies: SmsRepliesConfig;
  /** Milliseconds clock (injected for tests). */
  now: () => number;
  logger: Logger;
  metrics?: GatewayMetrics;
}

/** The help answer is one SMS whatever its text: cut rather than refused. */
const HELP_POLICY = { oversize: 'truncate', maxParts: 1, prefix: '', suffix: '' } as const;

/**
 * Joins concatenated replies (parts may arrive in any order), finds the conversation, and stores the IM
 * before resolving — the transport acknowledges the SMSC only then. A part that waits for the others is
 * stored before resolving too, and forgotten once its message is routed. An SMS that matches no
 * conversation is answered with the configured help text, never dropped silently.
 */
export class MoReplyRouter {
  private readonly reassembler: ConcatReassembler;
  private readonly routed: RoutedReplies;
  private timer: NodeJS.Timeout | undefined;
  /** Late replies that could not wait again, to be routed once more later, by the wait their rows name. */
  private readonly retries = new Map<NodeJS.Timeout, string | undefined>();
  /** Set while replies beyond the retry bound wait, stored, for `routeStranded`. */
  private strandedSweep: NodeJS.Timeout | undefined;
  /** Joined replies being routed now, by the wait their rows name (and how many routings): the sweep leaves them be. */
  private readonly inRoute = new Map<string, number>();
  private stopped = false;

  constructor(private readonly options: MoReplyRouterOptions) {
    this.reassembler = new ConcatReassembler({ timeoutMs: options.replies.reassemblyTimeoutMs, maxPending: options.replies.maxPendingReassemblies, clock: options.now });
    this.routed = new RoutedReplies({ keepMs: options.replies.reassemblyTimeoutMs, max: options.replies.maxPendingReassemblies, now: options.now });
  }

  /**
   * Take up the parts stored before a restart (call it before any MO arrives): each wait still ends a timeout
   * after its first part came. Rows of an older wait under the same key belong to a reply released before
   * (routed, or not yet: the crash came first): that reply is routed again as it stands — a duplicate to
   * admission if it was admitted — never joined with the newer wait's parts.
   */
  async start(): Promise<void> {
    const { store, replies } = this.options;
    for (const reply of await store.routedMoReplies(this.options.now() - replies.reassemblyTimeoutMs)) this.routed.restore(reply);
    for (const row of await store.pendingMoParts()) {
      const part = mobileOriginatedOf(row);
      const since = this.reassembler.waitingSince(part);
      const older = since !== undefined && since !== row.firstAtMs ? this.reassembler.takeOut(part) : undefined;
      if (older) this.routeLater(older);
      for (const released of this.reassembler.add(part, row.firstAtMs)) this.routeLater(released);
    }
    this.scheduleExpiry();
  }

  async onMobileOriginated(sms: MobileOriginatedSms): Promise<void> {
    // Offered again after its reply was routed or set to be retried (our acknowledgement was lost): acknowledged,
    // not made a reply of its own — stored with a reply to be retried, which may still need it after a restart.
    const repeat = this.reassembler.waitingSince(sms) === undefined ? this.routed.repeatOf(sms) : undefined;
    if (repeat) {
      await this.storeInWait(sms, repeat.retryingFromMs);
      return;
    }
    const released = this.reassembler.add(sms);
    this.scheduleExpiry();
    const completed = released.find((whole) => whole.parts.includes(sms));
    // Messages its arrival pushed out are not this part's business: the SMSC's answer for `sms` does not wait for them.
    for (const evicted of released) if (evicted !== completed) this.routeLater(evicted);
    try {
      await this.storeInWait(sms, this.reassembler.waitingSince(sms));
    } catch (error) {
      // Not acknowledged, so the SMSC offers `sms` again: kept in memory, it would be joined twice.
      this.reassembler.withdraw(sms);
      throw error;
    }
    if (completed) await this.routeReleased(completed, sms);
  }

  /** Cancel the reassembly and retry timers; parts still waiting stay stored, and `start` takes them up after a restart. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const retry of this.retries.keys()) clearTimeout(retry);
    this.retries.clear();
    clearTimeout(this.strandedSweep);
    this.strandedSweep = undefined;
  }

  /**
   * Route the message `sms` completed. The SMSC's acknowledgement of `sms` waits for the IM to be stored — or, when
   * that failed for now and the other parts cannot wait again, for `sms` to be stored with them for a retry.
   */
  private async routeReleased(whole: ReassembledSms, sms: MobileOriginatedSms): Promise<void> {
    const leave = this.enterRoute(whole);
    try {
      await this.routeHeld(whole, sms);
    } finally {
      leave();
    }
  }

  private async routeHeld(whole: ReassembledSms, sms: MobileOriginatedSms): Promise<void> {
    let routed: RoutedMoReply | undefined;
    try {
      await this.route(whole);
      routed = this.routed.remember(whole);
    } catch (error) {
      // Refused for good: the SMSC drops `sms`, and the parts before it go too, as they would without a restart.
      if (!toGatewayError(error).transient) {
        await this.forget(whole);
        throw error;
      }
      // Transient: the SMSC offers `sms` again, and the parts acknowledged before wait for it anew, still stored.
      if (await this.waitAgain(whole.parts.filter((part) => part !== sms), whole.firstAtMs)) throw error;
      // They cannot wait again: offered again, `sms` would start a message of its own besides the retried whole.
      // So the whole reply is retried here (or after a restart), and `sms` stored with it and acknowledged; should
      // that write fail, the SMSC offers `sms` again, and it is stored with the reply then (see onMobileOriginated).
      this.retryLater(whole);
      await this.storeInWait(sms, whole.firstAtMs);
      return;
    }
    await this.forget(whole, routed);
  }

  /** Store a part of a concatenated reply under the wait that began at `firstAtMs` (none: nothing to store); a failed write rejects. */
  private async storeInWait(sms: MobileOriginatedSms, firstAtMs: number | undefined): Promise<void> {
    if (sms.concatenation && firstAtMs !== undefined) await this.options.store.savePendingMoPart(pendingMoPartOf(sms, sms.concatenation, firstAtMs));
  }

  /** A reply released by time or by the pending bound: nobody waits for its outcome. */
  private routeLater(sms: ReassembledSms): void {
    const leave = this.enterRoute(sms);
    void this.route(sms)
      .then(
        () => this.forget(sms, this.routed.remember(sms)),
        (error: unknown) => this.lateRouteFailed(sms, error),
      )
      .finally(leave);
  }

  /**
   * Mark a joined reply as being routed until the returned function is called (after its rows are forgotten, or
   * it waits again or for a retry): until then its stored rows are its router's, not the sweep's.
   */
  private enterRoute(sms: ReassembledSms): () => void {
    const name = waitNameOf(sms);
    if (name === undefined) return () => undefined;
    this.inRoute.set(name, (this.inRoute.get(name) ?? 0) + 1);
    return () => {
      const left = (this.inRoute.get(name) ?? 1) - 1;
      if (left > 0) this.inRoute.set(name, left);
      else this.inRoute.delete(name);
    };
  }

  /**
   * Refused for good, a late reply is forgotten. After a transient failure (the SMSC not bound yet for the
   * help answer, the store busy) its parts wait again, still stored, and it is routed when that wait ends —
   * or sooner, should a missing part arrive; when they cannot wait (see waitAgain), or it is complete, it is
   * tried again a reassembly timeout later.
   */
  private async lateRouteFailed(sms: ReassembledSms, error: unknown): Promise<void> {
    if (!toGatewayError(error).transient) {
      this.options.logger.error({ err: error, from: sms.from }, 'incomplete sms reply lost');
      return this.forget(sms);
    }
    if (this.stopped) return;
    const waitsAgain = !sms.complete && (await this.waitAgain(sms.parts, sms.firstAtMs));
    this.options.logger.warn({ err: error, from: sms.from, waitsAgain }, 'late sms reply not routed yet');
    if (!waitsAgain) this.retryLater(sms);
  }

  /**
   * Put the parts of one reply back to wait, from now, and move their stored rows to that wait: the stored copy
   * names the wait in memory (the reply's id and the rows `forget` deletes depend on it). They wait only in a
   * wait of their own: not when their key has a newer wait (joined, the two replies would be admitted under
   * one id, one of them as a duplicate), nor when every slot is taken (making room would push out another
   * reply, and while the failure lasts the two would push each other out). False when they cannot wait (once
   * stopped there is nothing to do: true, the rows stay stored for the next start-up).
   * Should moving the rows fail, they keep the old start, and so does the reply: it is taken back out (false),
   * to be routed apart under the id its rows name; a part that joined its new wait meanwhile keeps that wait.
   */
  private async waitAgain(parts: readonly MobileOriginatedSms[], fromFirstAtMs: number | undefined): Promise<boolean> {
    const first = parts[0];
    if (this.stopped || !first) return true;
    if (this.reassembler.waitingSince(first) !== undefined || this.reassembler.pendingCount >= this.options.replies.maxPendingReassemblies) return false;
    const toFirstAtMs = this.options.now();
    for (const part of parts) for (const released of this.reassembler.add(part, toFirstAtMs)) this.routeLater(released);
    this.scheduleExpiry();
    if (!first.concatenation || fromFirstAtMs === undefined || fromFirstAtMs === toFirstAtMs) return true;
    try {
      await this.options.store.moveMoWait(reassemblyKey(first, first.concatenation), fromFirstAtMs, toFirstAtMs);
    } catch (error) {
      this.options.logger.warn({ err: error, from: first.from }, 'waiting sms reply parts not moved to their new wait: routed apart');
      const joinedMeanwhile = this.reassembler.takeOut(first)?.parts.filter((part) => !parts.includes(part)) ?? [];
      for (const part of joinedMeanwhile) for (const released of this.reassembler.add(part, toFirstAtMs)) this.routeLater(released);
      return false;
    }
    return true;
  }

  /**
   * Route a reply that could not wait again once more, a reassembly timeout later. Beyond the bound its parts
   * stay stored, and a sweep a reassembly timeout later routes every stored reply held nowhere in memory.
   */
  private retryLater(sms: ReassembledSms): void {
    if (this.stopped) return;
    this.routed.remember(sms, true);
    if (this.retries.size >= this.options.replies.maxPendingReassemblies) {
      this.sweepStrandedLater();
      return;
    }
    const retry = setTimeout(() => {
      this.retries.delete(retry);
      this.routeLater(sms);
    }, this.options.replies.reassemblyTimeoutMs);
    retry.unref();
    this.retries.set(retry, waitNameOf(sms));
  }

  private sweepStrandedLater(): void {
    if (this.strandedSweep || this.stopped) return;
    this.strandedSweep = setTimeout(() => {
      this.strandedSweep = undefined;
      this.routeStranded().catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'stored sms replies not read: swept again later');
        this.sweepStrandedLater();
      });
    }, this.options.replies.reassemblyTimeoutMs);
    this.strandedSweep.unref();
  }

  /**
   * Route the stored replies that neither wait in memory, nor wait for a retry, nor are being routed: those beyond
   * the retry bound, and rows a failed `forget` left behind. (Routed by others, a reply's first parts would be
   * admitted alone under its id, before the whole.) One routed and forgotten while the rows were read is
   * admitted again under the same id, whole: a duplicate.
   */
  private async routeStranded(): Promise<void> {
    const rows = await this.options.store.pendingMoParts();
    if (this.stopped) return;
    const held = new Set([...this.retries.values(), ...this.inRoute.keys()]);
    // Joins each wait's rows as start() does, then releases them all (a wait of 0 ms is over at once).
    const joiner = new ConcatReassembler({ timeoutMs: 0, maxPending: Number.MAX_SAFE_INTEGER, clock: this.options.now });
    const stranded: ReassembledSms[] = [];
    for (const row of rows) {
      const part = mobileOriginatedOf(row);
      if (this.reassembler.waitingSince(part) === row.firstAtMs || held.has(waitName(row.messageKey, row.firstAtMs))) continue;
      const since = joiner.waitingSince(part);
      const older = since !== undefined && since !== row.firstAtMs ? joiner.takeOut(part) : undefined;
      if (older) stranded.push(older);
      stranded.push(...joiner.add(part, row.firstAtMs));
    }
    for (const reply of [...stranded, ...joiner.expire()]) this.routeLater(reply);
  }

  /**
   * Delete the stored parts of a settled message; when it was `routed`, keep its parts' texts in their place for a
   * reassembly timeout, so that a part the SMSC offers again after a restart is still known as a repeat. A failure
   * is only logged: the IM is stored, and the rows left behind are routed once more after a restart — a duplicate
   * to admission (same id), never a loss.
   */
  private async forget(sms: ReassembledSms, routed?: RoutedMoReply): Promise<void> {
    const first = sms.parts[0];
    if (!first?.concatenation || sms.firstAtMs === undefined) return;
    const sequences = sms.parts.flatMap((part) => (part.concatenation ? [part.concatenation.sequence] : []));
    const memory = routed && { routedAtMs: routed.routedAtMs, texts: routed.texts, forgetBeforeMs: routed.routedAtMs - this.options.replies.reassemblyTimeoutMs };
    try {
      await this.options.store.deletePendingMoParts(reassemblyKey(first, first.concatenation), sms.firstAtMs, sequences, memory);
    } catch (error) {
      this.options.logger.error({ err: error, from: sms.from }, 'stored sms reply parts not deleted');
    }
  }

  private scheduleExpiry(): void {
    const at = this.reassembler.nextExpiryAt();
    if (at === undefined || this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const partial of this.reassembler.expire()) this.routeLater(partial);
      this.scheduleExpiry();
    }, Math.max(0, at - this.options.now()));
    this.timer.unref();
  }

  private async route(sms: ReassembledSms): Promise<void> {
    const customer = normaliseSmsAddress(sms.from);
    const match = await this.options.correlator.imUserFor(customer, normaliseSmsAddress(sms.to));
    this.options.metrics?.smsMobileOriginated.inc({ outcome: match ? (match.via === 'conversation' ? 'matched' : 'fallback') : 'unmatched' });
    if (!match) return this.answerHelp(sms, customer);
    if (!sms.complete) this.options.logger.warn({ missingParts: sms.missingParts, partCount: sms.partCount }, 'sms reply passed on incomplete');
    await this.options.admit(moTransactionId(sms), this.imOf(sms, customer, match));
  }

  private imOf(sms: ReassembledSms, customer: string, match: ReplyMatch): SendMessageRequest {
    const bytes = Buffer.from(sms.text, 'utf8');
    const sender = `wv:${customer}`;
    return {
      kind: 'SendMessageRequest',
      deliveryReport: false,
      metaInfo: { requestorUserID: sender },
      messageInfo: {
        messageID: randomUUID(),
        contentType: 'text/plain',
        contentSize: bytes.length,
        recipients: [{ kind: 'user', userID: match.imUser }],
        senderUserID: sender,
        dateTime: sms.receivedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
      content: { contentType: 'text/plain', transferEncoding: 'base64', bytes },
    };
  }

  /** A transient submit failure rejects, so the SMSC offers the SMS again later. */
  private async answerHelp(sms: ReassembledSms, customer: string): Promise<void> {
    const help = composeSms({ text: this.options.replies.helpText }, HELP_POLICY);
    this.options.logger.info({ to: sms.to }, 'sms matches no conversation: help answer');
    await this.options.transport.submit({ reference: randomUUID(), from: normaliseSmsAddress(sms.to), to: customer, sms: help, requestReceipt: false });
  }
}

/**
 * A joined reply is named by its key and the start of its wait, which its stored parts keep: after a restart
 * between storing its IM and forgetting its parts, the same reply — complete, or released incomplete by a wait
 * that ended during the restart — is a duplicate to admission. A single SMS is not stored: any id will do.
 */
function moTransactionId(sms: ReassembledSms): string {
  const name = waitNameOf(sms);
  return name === undefined ? `mo-${randomUUID()}` : `mo-${hash('sha256', name, 'base64url')}`;
}

/** A joined reply's key and the start of its wait, as its stored rows name it; undefined for a single SMS. */
function waitNameOf(sms: ReassembledSms): string | undefined {
  const first = sms.parts[0];
  return first?.concatenation && sms.firstAtMs !== undefined ? waitName(reassemblyKey(first, first.concatenation), sms.firstAtMs) : undefined;
}

function waitName(messageKey: string, firstAtMs: number): string {
  return `${messageKey}\u0000${firstAtMs}`;
}
