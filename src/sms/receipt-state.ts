// Delivery receipt states: SMPP 3.4 §5.2.28 message_state and Appendix B `stat:` values, Kannel DLR types.

/**
 * Where a message stands. SMPP final states: delivered, expired, deleted, undeliverable, accepted (read on
 * the subscriber's behalf by customer service), unknown, rejected. Intermediate: enroute (SMPP), buffered
 * (Kannel 4: queued in the SMSC) and submitted (Kannel 8: the SMSC acknowledged the submission).
 */
export type ReceiptState =
  | 'delivered'
  | 'expired'
  | 'deleted'
  | 'undeliverable'
  | 'accepted'
  | 'unknown'
  | 'rejected'
  | 'enroute'
  | 'buffered'
  | 'submitted';

const INTERMEDIATE: ReadonlySet<ReceiptState> = new Set(['enroute', 'buffered', 'submitted']);

/** True when no further receipt follows a receipt in this state. */
export function isFinalReceiptState(state: ReceiptState): boolean {
  return !INTERMEDIATE.has(state);
}

/** SMPP 3.4 Appendix B `stat:` words (7 letters by convention); matched case-insensitively. */
const SMPP_STAT_WORDS: Readonly<Record<string, ReceiptState>> = {
  DELIVRD: 'delivered',
  EXPIRED: 'expired',
  DELETED: 'deleted',
  UNDELIV: 'undeliverable',
  ACCEPTD: 'accepted',
  UNKNOWN: 'unknown',
  REJECTD: 'rejected',
  ENROUTE: 'enroute',
};

/** The state a `stat:` word names, or undefined for a word SMPP does not define. */
export function receiptStateOfStat(word: string): ReceiptState | undefined {
  return SMPP_STAT_WORDS[word.toUpperCase()];
}

/** SMPP 3.4 §5.2.28 message_state values 1–9 (9 = skipped, SMPP 5.0, is a failed delivery). */
const SMPP_MESSAGE_STATES: ReadonlyArray<ReceiptState | undefined> = [
  undefined,
  'enroute',
  'delivered',
  'expired',
  'deleted',
  'undeliverable',
  'accepted',
  'unknown',
  'rejected',
  'undeliverable',
];

/** The state a message_state TLV value names, or undefined for a value outside 1–9. */
export function receiptStateOfMessageState(value: number): ReceiptState | undefined {
  return SMPP_MESSAGE_STATES[value];
}

/** Kannel dlr-url `%d` types (Kannel user guide, dlr-mask): one bit per report. */
const KANNEL_DLR_TYPES: ReadonlyMap<number, ReceiptState> = new Map([
  [1, 'delivered'],
  [2, 'undeliverable'],
  [4, 'buffered'],
  [8, 'submitted'],
  [16, 'rejected'],
]);

/** The state a Kannel DLR type names, or undefined for anything but 1, 2, 4, 8, 16. */
export function receiptStateOfKannelDlr(type: number): ReceiptState | undefined {
  return KANNEL_DLR_TYPES.get(type);
}
