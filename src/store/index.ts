export type { AcceptOutcome, NewTransaction, QueueDepth, RescheduleChange, StoredTransaction, TransactionStore, UncertainGroup } from './transaction-store';
export { SqliteTransactionStore } from './sqlite-transaction-store';
export { RecordIdGenerator, recordIds } from './record-id';
export { deserializeBody, serializeBody } from './serialize-body';
export { PURGE_STEP, purgeInSteps } from './purge-in-steps';
export type { Conversation, PendingMoPart, ReceiptConclusion, RoutedMoMemory, RoutedMoReply, SmsStore, SmsSubmission } from './sms-store';
export { SqliteSmsStore } from './sqlite-sms-store';
