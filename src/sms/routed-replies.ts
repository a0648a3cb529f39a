// Replies routed in the last reassembly timeout: the parts the SMSC may offer again once more.
import { reassemblyKey, type ReassembledSms } from './concat-reassembler';
import type { RoutedMoReply } from '../store';
import type { MobileOriginatedSms } from './sms-transport';

export interface RoutedRepliesOptions {
  /** How long a routed reply's parts are recognised: a reassembly timeout. */
  keepMs: number;
  /** Most replies remembered; the oldest is forgotten first. */
  max: number;
  now: () => number;
}

interface RoutedReply {
  atMs: number;
  texts: ReadonlyMap<number, string>;
  /** Not routed yet but acknowledged and to be retried: the wait its stored rows name. */
  retryingFromMs?: number;
}

/** A part offered again: of a reply routed, or of one acknowledged and to be retried (`retryingFromMs`). */
export interface RepeatedPart {
  retryingFromMs?: number;
}

/**
 * An SMSC offers a part again when our acknowledgement was lost. While its message waits, the reassembler takes
 * the repeat once; once the message was routed, the repeat would start a message of its own and reach the IM
 * user twice. A part with the key, sequence and text of a part of a reply routed within `keepMs` is such a
 * repeat (a new message reusing the UDH reference has other text). The store keeps what `remember` returns
 * with the routed reply's rows, and `restore` takes it up after a restart (the crash may have lost our
 * acknowledgement).
 */
export class RoutedReplies {
  private readonly byKey = new Map<string, RoutedReply>();

  constructor(private readonly options: RoutedRepliesOptions) {}

  /**
   * `retrying`: acknowledged and stored, to be routed by a retry; its repeats are stored with it, not made replies.
   * Returns what to store with a routed reply (undefined for a single SMS).
   */
  remember(reply: ReassembledSms, retrying = false): RoutedMoReply | undefined {
    const first = reply.parts[0];
    if (!first?.concatenation) return undefined;
    const messageKey = reassemblyKey(first, first.concatenation);
    const texts = new Map(reply.parts.flatMap((part) => (part.concatenation ? [[part.concatenation.sequence, part.text] as const] : [])));
    const routedAtMs = this.options.now();
    this.byKey.delete(messageKey);
    this.byKey.set(messageKey, { atMs: routedAtMs, texts, ...(retrying && reply.firstAtMs !== undefined ? { retryingFromMs: reply.firstAtMs } : {}) });
    this.forgetOld();
    return { messageKey, routedAtMs, texts };
  }

  /** A reply routed before a restart, as the store kept it (take them up oldest first). */
  restore(reply: RoutedMoReply): void {
    this.byKey.delete(reply.messageKey);
    this.byKey.set(reply.messageKey, { atMs: reply.routedAtMs, texts: reply.texts });
    this.forgetOld();
  }

  repeatOf(sms: MobileOriginatedSms): RepeatedPart | undefined {
    if (!sms.concatenation) return undefined;
    const routed = this.byKey.get(reassemblyKey(sms, sms.concatenation));
    if (routed === undefined || this.options.now() - routed.atMs > this.options.keepMs || routed.texts.get(sms.concatenation.sequence) !== sms.text) return undefined;
    return routed.retryingFromMs === undefined ? {} : { retryingFromMs: routed.retryingFromMs };
  }

  /** Insertion order is routing order: drop from the front what is too old or beyond the bound. */
  private forgetOld(): void {
    const now = this.options.now();
    for (const [key, routed] of this.byKey) {
      if (now - routed.atMs <= this.options.keepMs && this.byKey.size <= this.options.max) return;
      this.byKey.delete(key);
    }
  }
}
