// The transactionID under which a stored transaction goes to one next hop.
import { hash } from 'node:crypto';

/**
 * Stable per (record, hop, recipients): a repeat of one attempt (a retry, or after our restart) is a duplicate
 * at the peer, which answers it without delivering again; recipients sent to the same hop in a later round
 * (ENUM answered for them only then) form a new transaction that the peer's duplicate check must not swallow.
 * Recipients of an earlier send whose outcome is unknown go under that send's transactionID instead (hop-transactions).
 */
export function outboundTransactionID(recordId: string, hop: string, targets: readonly string[]): string {
  if (targets.length === 0) return `${recordId}-${hop}`;
  // One-shot hash: no Hash object per call (one call per transaction and hop on the delivery path).
  const recipients = hash('sha256', targets.length === 1 ? (targets[0] as string) : [...targets].sort().join('\n'), 'base64url').slice(0, 8);
  return `${recordId}-${hop}-${recipients}`;
}
