// Durable SMS state (issue 5): submissions ↔ SMSC message ids for delivery reports, reply conversations and the
// parts of concatenated replies that wait for the others (IM-0050).

/** One IM → SMS submission to one recipient: what a delivery receipt must be traced back to. */
export interface SmsSubmission {
  /** Our id of the SMS (the transport's `reference`); Kannel and the SMPP receipt memory carry it back. */
  reference: string;
  /** The stored transaction it came from, and the recipient within it: at most one submission per pair. */
  recordId: string;
  recipient: string;
  /** IMPS messageID of the SendMessageRequest, for the DeliveryStatusReport. */
  messageID: string;
  originDomain: string;
  /** The IM user who wrote, to whom a DeliveryStatusReport goes; null when the request named none. */
  imSender: string | null;
  deliveryReport: boolean;
  /** Receipts needed for success: one per SMPP part, one per logical SMS with Kannel. */
  parts: number;
  /** `submitting` until the SMSC took every part; `submitted` after; `concluded` once its outcome is known. */
  state: 'submitting' | 'submitted' | 'concluded';
  createdAtMs: number;
}

/**
 * The outcome a receipt leads to: wait for more parts, or the submission's final success or failure —
 * repeated for a receipt after the conclusion (an SMSC re-sends when our acknowledgement was lost), so the
 * report can be stored again idempotently. `unknown`: no such submission.
 */
export type ReceiptConclusion = 'pending' | 'delivered' | 'failed' | 'unknown';

/**
 * A reply path (IM-0050): the legacy customer sees `replyNumber` as sender; an SMS from `customer` to
 * `replyNumber` belongs to `imUser`. One per (customer, replyNumber), so one customer can answer several IM users.
 */
export interface Conversation {
  customer: string;
  replyNumber: string;
  imUser: string;
  lastActiveAtMs: number;
}

/**
 * One part of a concatenated reply (TS 23.040 §9.2.3.24.1) that waits for the others. It was acknowledged to
 * the SMSC, which will not offer it again: after a restart only the store still has it.
 */
export interface PendingMoPart {
  /** The message it belongs to, as the reassembler names it; with `sequence`, the part's identity. */
  messageKey: string;
  /** 1-based. */
  sequence: number;
  total: number;
  /** The concatenation reference the handset chose. */
  reference: number;
  transport: 'smpp' | 'kannel';
  from: string;
  to: string;
  text: string;
  smsc?: string;
  receivedAtMs: number;
  /** When the message's first part arrived (gateway clock): its reassembly timeout counts from then, across restarts. */
  firstAtMs: number;
}

/** A reply passed on as an IM: its parts' texts by sequence, so that the SMSC's repeat of a part is known as one. */
export interface RoutedMoReply {
  messageKey: string;
  routedAtMs: number;
  texts: ReadonlyMap<number, string>;
}

/** What forgetting a routed reply's waiting parts remembers of it: see `SmsStore.deletePendingMoParts`. */
export interface RoutedMoMemory {
  routedAtMs: number;
  texts: ReadonlyMap<number, string>;
  /** Routed replies remembered before this are forgotten in the same write (they are older than a reassembly timeout). */
  forgetBeforeMs: number;
}

/**
 * SMS bookkeeping that must survive a restart. Implementations must pass test/store/sms-store.contract.ts.
 */
export interface SmsStore {
  /** Idempotent per (recordId, recipient): returns the submission already stored for the pair, else stores `entry`. */
  beginSubmission(entry: SmsSubmission): Promise<SmsSubmission>;
  /** The SMSC took every part: remember its message ids (may be empty: Kannel only names them in receipts). */
  markSubmitted(reference: string, smscMessageIds: string[]): Promise<void>;
  findByReference(reference: string): Promise<SmsSubmission | null>;
  findBySmscMessageId(smscMessageId: string): Promise<SmsSubmission | null>;
  /**
   * Count one final receipt; a failure or the last delivered part concludes the submission, and the conclusion
   * stays. `parts` are the names the receipt gives its part by (its index, its SMSC id): a receipt that
   * shares any of them with an earlier one is a repeat and counts once.
   */
  recordReceipt(reference: string, delivered: boolean, parts?: readonly string[]): Promise<ReceiptConclusion>;
  /** Insert or refresh the conversation on (customer, replyNumber). */
  saveConversation(conversation: Conversation): Promise<void>;
  /** The customer's conversations active at or after `sinceMs`, most recently active first. */
  conversationsOf(customer: string, sinceMs: number): Promise<Conversation[]>;
  /**
   * Forget conversations idle since before `beforeMs` and submissions created before it, whatever their
   * state: a receipt that late (SMSC validity is days, not weeks) no longer leads to a report. At most `limit`
   * of each, the oldest first (see purgeInSteps); resolves with how many of both it forgot.
   */
  purge(beforeMs: number, limit: number): Promise<number>;
  /**
   * Store a waiting part before it is acknowledged. One row per (messageKey, firstAtMs, sequence): a part the
   * SMSC repeats within one wait is stored once, the copy saved last winning; waits of one key keep their own.
   * Rejects with a transient STORE_WRITE_FAILED, so that the SMSC offers the part again.
   */
  savePendingMoPart(part: PendingMoPart): Promise<void>;
  /**
   * Forget these parts of the message whose wait began at `firstAtMs`: it was routed, or refused for good.
   * With `routed`, in the same write, remember its parts' texts as the key's routed reply (replacing the one
   * before) and forget routed replies older than `routed.forgetBeforeMs`: see `routedMoReplies`.
   */
  deletePendingMoParts(messageKey: string, firstAtMs: number, sequences: readonly number[], routed?: RoutedMoMemory): Promise<void>;
  /** The routed replies remembered since `sinceMs`, oldest first: the parts an SMSC may still offer again after a restart. */
  routedMoReplies(sinceMs: number): Promise<RoutedMoReply[]>;
  /** The parts of the wait that began at `fromFirstAtMs` wait on in a new wait, begun at `toFirstAtMs`. */
  moveMoWait(messageKey: string, fromFirstAtMs: number, toFirstAtMs: number): Promise<void>;
  /** Every waiting part, by first arrival of its message: the order the reassembler releases them on timeout. */
  pendingMoParts(): Promise<PendingMoPart[]>;
  close(): Promise<void>;
}
