// Encoding a coalesced Session POST: a transaction that cannot be written fails alone; the others still go out.
import { encodeSspMessage, type SessionMessage, type Transaction } from '../ssp';
import type { TransactionFailures } from './session-outbox';

export interface EncodedSession {
  xml: string;
  /** The transactions in `xml` (empty: nothing to send). */
  sent: Transaction[];
  failures?: TransactionFailures;
}

/** The whole message at once; only when that fails, each transaction on its own to find the ones at fault. */
export function encodeEachThatCan(sessionID: string, transactions: Transaction[]): EncodedSession {
  const message: SessionMessage = { kind: 'session', sessionID, transactions };
  try {
    return { xml: encodeSspMessage(message), sent: transactions };
  } catch {
    const failures = new Map<Transaction, unknown>();
    const sent: Transaction[] = [];
    for (const transaction of transactions) {
      try {
        encodeSspMessage({ ...message, transactions: [transaction] });
        sent.push(transaction);
      } catch (error) {
        failures.set(transaction, error);
      }
    }
    return { xml: sent.length === 0 ? '' : encodeSspMessage({ ...message, transactions: sent }), sent, failures };
  }
}
