// Correlates asynchronous SSP answers with the requests we sent, by transactionID only (ssp-profile §1).
import { GatewayError } from '../errors';
import type { TransactionBody } from '../ssp';

interface Waiting {
  resolve: (body: TransactionBody) => void;
  reject: (error: GatewayError) => void;
  deadlineMs: number;
  description: string;
}

/** One map of outstanding requests, expired by the node's housekeeping timer rather than a timer each. */
export class AnswerWaiter {
  private readonly waiting = new Map<string, Waiting>();

  constructor(private readonly now: () => number) {}

  wait(transactionID: string, timeoutMs: number, description: string): Promise<TransactionBody> {
    return new Promise((resolve, reject) => {
      this.waiting.set(transactionID, { resolve, reject, deadlineMs: this.now() + timeoutMs, description });
    });
  }

  /** Deliver an answer; false when nothing waits for that transactionID (late, duplicate or unsolicited). */
  settle(transactionID: string, body: TransactionBody): boolean {
    const waiting = this.waiting.get(transactionID);
    if (!waiting) return false;
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
