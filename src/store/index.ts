export type { AcceptOutcome, NewTransaction, QueueDepth, StoredTransaction, TransactionStore } from './transaction-store';
export { SqliteTransactionStore } from './sqlite-transaction-store';
export { deserializeBody, serializeBody } from './serialize-body';
