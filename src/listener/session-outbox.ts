// Outbound transactions of one SSP session, coalesced: several Transactions per Session POST (ssp-profile §2).
import { toGatewayError } from '../errors';
import type { Transaction } from '../ssp';

export interface SessionOutboxOptions {
  /** Transactions in one POST; 1 for a peer that takes only one per message. */
  maxTransactionsPerPost: number;
  /** POSTs outstanding at once to this peer; beyond it transactions wait and go out together. */
  maxPostsInFlight: number;
  /**
   * Sends one Session message with these transactions; resolves when the peer said "got it" (HTTP 200), with
   * the transactions that could not go out in it (each with its own error) when there are such.
   */
  send: (transactions: Transaction[]) => Promise<TransactionFailures | void>;
}

/** Transactions of a POST that failed on their own (the others went out). */
export type TransactionFailures = ReadonlyMap<Transaction, unknown>;

interface Queued {
  transaction: Transaction;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Each transaction waits at most until the end of the current event-loop turn, so a quiet link sends at once
 * while a busy one sends what the turn produced in one POST; when every connection is busy, transactions
 * wait for the next free one and share it. Per-transaction promises tell the caller its POST's fate.
 */
export class SessionOutbox {
  private queue: Queued[] = [];
  private postsInFlight = 0;
  private flushScheduled = false;

  constructor(private readonly options: SessionOutboxOptions) {}

  post(transaction: Transaction): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ transaction, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.postsInFlight >= this.options.maxPostsInFlight) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.postsInFlight < this.options.maxPostsInFlight) {
      const batch = this.queue.length <= this.options.maxTransactionsPerPost ? this.queue : this.queue.slice(0, this.options.maxTransactionsPerPost);
      this.queue = batch === this.queue ? [] : this.queue.slice(batch.length);
      this.postsInFlight += 1;
      this.options.send(batch.map((queued) => queued.transaction)).then(
        (failures) => this.settle(batch, (transaction) => failures?.get(transaction)),
        (error: unknown) => this.settle(batch, () => toGatewayError(error)),
      );
    }
  }

  /** Each transaction of the POST resolves, or rejects with the error `errorOf` gives it. */
  private settle(batch: Queued[], errorOf: (transaction: Transaction) => unknown): void {
    this.postsInFlight -= 1;
    for (const queued of batch) {
      const error = errorOf(queued.transaction);
      if (error === undefined) queued.resolve();
      else queued.reject(error);
    }
    if (this.queue.length > 0) this.scheduleFlush();
  }
}
