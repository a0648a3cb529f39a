// The one failure a store write reports: transient, so whoever asked retries later (or the SMSC offers again).
import { GatewayError } from '../errors';

/** Wrap what SQLite threw (disk full, busy, closed) as STORE_WRITE_FAILED. */
export function storeWriteFailed(error: unknown): GatewayError {
  return new GatewayError('STORE_WRITE_FAILED', `store write failed: ${error instanceof Error ? error.message : String(error)}`, { impsStatus: 500, transient: true, cause: error });
}
