// The SMS side as an origin of stored transactions: receipts and replies enter the gateway's durable path.
import type { TransactionBody } from '../ssp';

/** `originDomain` of transactions the gateway creates from SMS traffic (no SSP peer answers for them). */
export const SMS_ORIGIN = 'sms:';

/**
 * Store `body` as a transaction from SMS_ORIGIN and start its delivery; resolves once it is stored, so the
 * transport may acknowledge the SMSC. Idempotent on `originTransactionID` (a repeated receipt is one report).
 */
export type AdmitSmsTransaction = (originTransactionID: string, body: TransactionBody) => Promise<void>;
