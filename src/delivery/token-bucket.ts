// Token buckets for rate limits (seed 003 PP2-17/18): refuse excess at once instead of queueing it.

export interface TokenBucketOptions {
  transactionsPerSecond: number;
  burst: number;
  now: () => number;
}

export class TokenBucket {
  private tokens: number;
  private updatedAtMs: number;

  constructor(private readonly options: TokenBucketOptions) {
    this.tokens = options.burst;
    this.updatedAtMs = options.now();
  }

  /** Take one token if there is one. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whole seconds until a token will be there (for TryAgainTimeout). */
  secondsUntilNext(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - this.tokens) / this.options.transactionsPerSecond));
  }

  private refill(): void {
    const now = this.options.now();
    this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.updatedAtMs) / 1000) * this.options.transactionsPerSecond);
    this.updatedAtMs = now;
  }
}
