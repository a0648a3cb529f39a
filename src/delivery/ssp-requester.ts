// The narrow face of an SSP speaker that routing needs: ask a domain, answer a domain.
import type { TransactionBody } from '../ssp';

export interface SspRequester {
  /**
   * Send a request to a domain (a session is set up on demand) and resolve with its answer. A stable
   * `transactionID` lets the peer recognise a repeat of the same request after our restart.
   */
  request(domain: string, body: TransactionBody, options?: { transactionID?: string }): Promise<TransactionBody>;
  /** Answer a request that `domain` sent us under `transactionID`. */
  respond(domain: string, transactionID: string, body: TransactionBody): Promise<void>;
}
