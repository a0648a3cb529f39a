// The failure report owed to an originator: a DeliveryStatusReport stored as a transaction of its own, so that
// it is retried until the originator takes it, and sent to the originator's domain as it is, never routed.
import { statusOf, type SendMessageRequest } from '../ssp';
import { recordIds, type NewTransaction, type StoredTransaction } from '../store';
import type { RefusedTarget } from './answers';

/** `originDomain` of a stored failure report: `report:<the originator's domain>`. */
const REPORT_ORIGIN = 'report:';
/** A report is owed for at least as long as its message was valid, and never less than an hour. */
const MIN_REPORT_VALIDITY_MS = 3_600_000;

/**
 * The report of `record`'s failed recipients, as a new transaction. One per delivery round (recipients of one
 * message may fail in different rounds), and the same again when a round is repeated after a crash.
 */
export function failureReportFor(record: StoredTransaction, message: SendMessageRequest, failures: RefusedTarget[], ourDomain: string, nowMs: number): NewTransaction {
  const first = failures[0];
  return {
    id: recordIds.next(),
    originDomain: `${REPORT_ORIGIN}${record.originDomain}`,
    originTransactionID: `${record.id}/${record.attempts}`,
    body: {
      kind: 'DeliveryStatusReport',
      metaInfo: { requestorServiceID: `wv:@${ourDomain}` },
      result: statusOf(first?.status ?? 503, first?.reason, { detailedResults: failures.map((f) => ({ code: f.status, description: f.reason, userIDs: [f.target] })) }),
      deliveryTime: new Date(nowMs).toISOString(),
      messageInfo: message.messageInfo,
    },
    acceptedAtMs: nowMs,
    expiresAtMs: nowMs + Math.max(record.expiresAtMs - record.acceptedAtMs, MIN_REPORT_VALIDITY_MS),
    nextAttemptAtMs: nowMs,
  };
}

/** The originator a stored failure report is for, or undefined for any other record. */
export function reportedOriginOf(record: StoredTransaction): string | undefined {
  return record.originDomain.startsWith(REPORT_ORIGIN) ? record.originDomain.slice(REPORT_ORIGIN.length) : undefined;
}
