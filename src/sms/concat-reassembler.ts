// Joins the parts of a concatenated MO SMS (3GPP TS 23.040 §9.2.3.24.1) that an SMSC hands over one by one.
import type { ConcatenationInfo, MobileOriginatedSms } from './sms-transport';

/** A whole MO SMS: the parts' texts joined in sequence order. */
export interface ReassembledSms extends Omit<MobileOriginatedSms, 'concatenation'> {
  /** False when the timeout (or the pending bound) ended the wait before every part arrived. */
  complete: boolean;
  /** Parts announced by the UDH (1 for a plain SMS). */
  partCount: number;
  /** 1-based sequence numbers that never arrived; empty when complete. */
  missingParts: number[];
  /** The parts it was joined from, in sequence order. */
  parts: readonly MobileOriginatedSms[];
  /** When its wait began (a concatenated message only): with its key, what names it across a restart. */
  firstAtMs?: number;
}

/** Bounds and clock of a ConcatReassembler. */
export interface ConcatReassemblerOptions {
  /** How long to wait for the missing parts after the first part arrived. */
  timeoutMs: number;
  /** Most messages waiting for parts at once; beyond it the oldest is released incomplete. */
  maxPending: number;
  /** Milliseconds clock (injected for tests). */
  clock: () => number;
}

/** What the parts of one message share: their sender, recipient, bearer and UDH reference and total. */
export function reassemblyKey(sms: MobileOriginatedSms, info: ConcatenationInfo): string {
  return [sms.transport, sms.from, sms.to, info.reference, info.total].join('\u0000');
}

/** The key of the message `sms` is a part of; undefined for a plain SMS. */
function keyOf(sms: MobileOriginatedSms): string | undefined {
  const info = sms.concatenation;
  return info && info.total > 1 ? reassemblyKey(sms, info) : undefined;
}

interface PendingMessage {
  firstAt: number;
  total: number;
  parts: Map<number, MobileOriginatedSms>;
}

/**
 * Pure, timer-free reassembly: the owner calls `add` per part and `expire` from its scheduler at
 * `nextExpiryAt()`. Policy on timeout: the parts that arrived are released joined in order with
 * `complete: false` and the missing sequence numbers — a reply the user wrote is never dropped silently
 * (IM-0050), and the consumer decides how to flag the gap. A repeated part (the SMSC re-sends when our
 * acknowledgement was lost) is ignored.
 */
export class ConcatReassembler {
  private readonly pending = new Map<string, PendingMessage>();

  constructor(private readonly options: ConcatReassemblerOptions) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Add one MO SMS; returns the messages it completes (itself when not concatenated) and any evicted one.
   * `firstAt` starts the wait when `sms` is the first part to arrive: now, or the original arrival of a part
   * reloaded after a restart (reloaded oldest first, so that `expire` still finds them in order).
   */
  add(sms: MobileOriginatedSms, firstAt = this.options.clock()): ReassembledSms[] {
    const info = sms.concatenation;
    const key = keyOf(sms);
    if (!info || key === undefined) return [joined([sms], 1, true)];
    let message = this.pending.get(key);
    const released: ReassembledSms[] = [];
    if (!message) {
      if (this.pending.size >= this.options.maxPending) released.push(...this.evictOldest());
      message = { firstAt, total: info.total, parts: new Map() };
      this.pending.set(key, message);
    }
    if (!message.parts.has(info.sequence)) message.parts.set(info.sequence, sms);
    if (message.parts.size === message.total) {
      this.pending.delete(key);
      released.push(release(message));
    }
    return released;
  }

  /** Take back a part just added (its store write failed, so the SMSC offers it again); a part kept from before stays. */
  withdraw(sms: MobileOriginatedSms): void {
    const wait = this.waitOf(sms);
    const sequence = sms.concatenation?.sequence;
    if (!wait || sequence === undefined || wait.message.parts.get(sequence) !== sms) return;
    wait.message.parts.delete(sequence);
    if (wait.message.parts.size === 0) this.pending.delete(wait.key);
  }

  /** End the wait of the message `sms` would join: it is released as it stands (incomplete), if it waits. */
  takeOut(sms: MobileOriginatedSms): ReassembledSms | undefined {
    const wait = this.waitOf(sms);
    if (!wait) return undefined;
    this.pending.delete(wait.key);
    return release(wait.message);
  }

  /** When the wait of the message `sms` is a part of began, while that message waits; else undefined. */
  waitingSince(sms: MobileOriginatedSms): number | undefined {
    return this.waitOf(sms)?.message.firstAt;
  }

  /** The wait of the message `sms` is a part of, if it waits. */
  private waitOf(sms: MobileOriginatedSms): { key: string; message: PendingMessage } | undefined {
    const key = keyOf(sms);
    const message = key === undefined ? undefined : this.pending.get(key);
    return key === undefined || message === undefined ? undefined : { key, message };
  }

  /** Release every message whose wait is over, incomplete, oldest first. */
  expire(): ReassembledSms[] {
    const now = this.options.clock();
    const released: ReassembledSms[] = [];
    for (const [key, message] of this.pending) {
      // Insertion order is arrival order of first parts, so the first unexpired one ends the scan.
      if (message.firstAt + this.options.timeoutMs > now) break;
      this.pending.delete(key);
      released.push(release(message));
    }
    return released;
  }

  /** When `expire` next has work (clock milliseconds), or undefined when nothing waits. */
  nextExpiryAt(): number | undefined {
    for (const message of this.pending.values()) return message.firstAt + this.options.timeoutMs;
    return undefined;
  }

  private evictOldest(): ReassembledSms[] {
    for (const [key, message] of this.pending) {
      this.pending.delete(key);
      return [release(message)];
    }
    return [];
  }
}

function release(message: PendingMessage): ReassembledSms {
  const ordered = [...message.parts.entries()].sort(([a], [b]) => a - b).map(([, part]) => part);
  const reassembled = { ...joined(ordered, message.total, message.parts.size === message.total), firstAtMs: message.firstAt };
  for (let sequence = 1; sequence <= message.total; sequence++) {
    if (!message.parts.has(sequence)) reassembled.missingParts.push(sequence);
  }
  return reassembled;
}

function joined(parts: MobileOriginatedSms[], partCount: number, complete: boolean): ReassembledSms {
  const first = parts[0] as MobileOriginatedSms;
  const last = parts[parts.length - 1] as MobileOriginatedSms;
  const { concatenation: _ignored, ...rest } = first;
  return {
    ...rest,
    text: parts.map((part) => part.text).join(''),
    receivedAt: last.receivedAt,
    complete,
    partCount,
    missingParts: [],
    parts,
  };
}
