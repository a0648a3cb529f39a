// Durable SMS state (issue 5): submissions ↔ SMSC message ids for delivery reports, and reply conversations (IM-0050).

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
   * state: a receipt that late (SMSC validity is days, not weeks) no longer leads to a report.
   */
  purge(beforeMs: number): Promise<number>;
  close(): Promise<void>;
}
