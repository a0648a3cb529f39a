// The narrow face of an SSP speaker that routing needs: ask a domain, answer a domain.
import type { TransactionBody } from '../ssp';

export interface SspRequester {
  /** Send a request to a domain (a session is set up on demand) and resolve with its answer. */
  request(domain: string, body: TransactionBody): Promise<TransactionBody>;
  /** Answer a request that `domain` sent us under `transactionID`. */
  respond(domain: string, transactionID: string, body: TransactionBody): Promise<void>;
}
