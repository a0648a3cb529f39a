// Correlates asynchronous SSP answers with the requests we sent: by transactionID (ssp-profile §1) and peer domain.
import { GatewayError } from '../errors';
import type { TransactionBody } from '../ssp';

interface Waiting {
  /** Only a session with this domain may answer: our transactionIDs are guessable, sessions are verified. */
  peerDomain: string;
  resolve: (body: TransactionBody) => void;
  reject: (error: GatewayError) => void;
  deadlineMs: number;
  description: string;
}

/** One map of outstanding requests, expired by the node's housekeeping timer rather than a timer each. */
export class AnswerWaiter {
  private readonly waiting = new Map<string, Waiting>();

  constructor(private readonly now: () => number) {}

  /**
   * The answer `peerDomain` will give under `transactionID`. The promise is marked handled at once: the caller
   * awaits it only after its POST, and a deadline or shutdown may reject it before then.
   */
  wait(transactionID: string, peerDomain: string, timeoutMs: number, description: string): Promise<TransactionBody> {
    const answer = new Promise<TransactionBody>((resolve, reject) => {
      this.waiting.set(transactionID, { peerDomain, resolve, reject, deadlineMs: this.now() + timeoutMs, description });
    });
    answer.catch(() => undefined);
    return answer;
  }

  /**
   * Deliver an answer from a session with `peerDomain`; false when nothing of that domain waits for that
   * transactionID (late, duplicate, unsolicited, or another peer's guess).
   */
  settle(transactionID: string, peerDomain: string, body: TransactionBody): boolean {
    const waiting = this.waiting.get(transactionID);
    if (!waiting || waiting.peerDomain !== peerDomain) return false;
    this.waiting.delete(transactionID);
    waiting.resolve(body);
    return true;
  }

  fail(transactionID: string, error: GatewayError): void {
    const waiting = this.waiting.get(transactionID);
    if (!waiting) return;
    this.waiting.delete(transactionID);
    waiting.reject(error);
  }

  sweep(): void {
    const now = this.now();
    for (const [transactionID, waiting] of this.waiting) {
      if (waiting.deadlineMs > now) continue;
      this.waiting.delete(transactionID);
      waiting.reject(new GatewayError('SSP_TIMEOUT', `no answer to ${waiting.description} in time`, { impsStatus: 503, transient: true }));
    }
  }

  failAll(error: GatewayError): void {
    for (const transactionID of [...this.waiting.keys()]) this.fail(transactionID, error);
  }

  get size(): number {
    return this.waiting.size;
  }
}
