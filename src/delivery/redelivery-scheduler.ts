// The one loop that (re)starts deliveries: fresh ones at once, queued ones when due, all of them after a restart.
import type { Logger } from '../log';
import type { GatewayMetrics } from '../metrics';
import { purgeInSteps, type StoredTransaction, type TransactionStore } from '../store';

export interface RedeliverySchedulerOptions {
  store: TransactionStore;
  deliver: (record: StoredTransaction) => Promise<void>;
  now: () => number;
  pollMs: number;
  /** Due records fetched per poll. */
  batchSize: number;
  /** Delivery rounds running at once; beyond it due records wait for the next poll. */
  concurrency: number;
  /** How long done records are kept to recognise retransmissions. */
  dedupRetentionMs: number;
  /** A claimed record is not handed out again before this long (its round is bounded by answer timeouts). */
  leaseMs: number;
  logger: Logger;
  metrics?: GatewayMetrics;
}

/** Queue metrics and forgetting old duplicates: by the clock, however often the drain polls. */
const HOUSEKEEPING_EVERY_MS = 1000;

/** Purge steps per housekeeping (see purgeInSteps): 20,000 records a second, far above the rate they come in. */
const PURGE_STEPS_PER_HOUSEKEEPING = 40;

export class RedeliveryScheduler {
  /** Records whose round is running, with the attempts they had when it started. */
  private readonly inFlight = new Map<string, number>();
  /**
   * Records the store handed out again after their running round had rescheduled them (it was still answering
   * the origin): that claim leased them for a whole lease, so they are released when the round ends. A claim
   * from before the round's own reschedule (a round longer than the lease) needs nothing: the reschedule that
   * follows sets the retry time.
   */
  private readonly claimedWhileRunning = new Set<string>();
  private depths = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private polling = false;
  /** A poll is already set to run at once. */
  private pollSoon = false;
  /** The last claim filled its limit: more is due (a queue draining after its peer came back). */
  private backlog = false;
  private lastHousekeepingAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: RedeliverySchedulerOptions) {}

  /** Start a delivery round for a record unless one is already running for it. */
  run(record: StoredTransaction): void {
    const runningAttempts = this.inFlight.get(record.id);
    if (runningAttempts !== undefined) {
      if (record.attempts > runningAttempts) this.claimedWhileRunning.add(record.id);
      return;
    }
    this.inFlight.set(record.id, record.attempts);
    void this.options.deliver(record).finally(() => this.finished(record.id));
  }

  /** Waiting transactions for a next hop, as of the last housekeeping. */
  queueDepth(target: string): number {
    return this.depths.get(target) ?? 0;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stop polling and let running rounds finish (bounded by their own timeouts). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.inFlight.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /**
   * A round ended: release its record if the store handed it out again meanwhile (see claimedWhileRunning), and
   * while a backlog drains, claim the next batch as soon as rounds ending have made room for it, not at the next
   * poll: otherwise the drain idles up to `pollMs` between batches.
   */
  private finished(id: string): void {
    this.inFlight.delete(id);
    if (this.claimedWhileRunning.delete(id)) {
      // It was due when claimed; the store's current state, not the claimed copy, is what the next round takes.
      this.options.store.release(id, this.options.now()).then(
        () => (this.polling || this.pollSoon ? undefined : this.schedule(0)),
        (error: unknown) => this.options.logger.warn({ id, err: error }, 'lease release failed; the record waits for its lease'),
      );
    }
    if (this.backlog && !this.polling && !this.pollSoon && this.hasRoomForBatch()) this.schedule(0);
  }

  /**
   * Room for a whole batch (at most half the concurrency, so that rounds still run while the next batch is
   * claimed): claiming a few records whenever one round ends would cost a store query per round.
   */
  private hasRoomForBatch(): boolean {
    const batch = Math.min(this.options.batchSize, Math.ceil(this.options.concurrency / 2));
    return this.options.concurrency - this.inFlight.size >= batch;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.pollSoon = delayMs === 0;
    this.timer = setTimeout(() => void this.poll(), delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    this.polling = true;
    this.pollSoon = false;
    try {
      const room = this.options.concurrency - this.inFlight.size;
      if (room > 0) {
        const now = this.options.now();
        const limit = Math.min(room, this.options.batchSize);
        const due = await this.options.store.claimDue(now, limit, now + this.options.leaseMs);
        for (const record of due) this.run(record);
        this.backlog = due.length === limit;
      }
      const now = this.options.now();
      if (now - this.lastHousekeepingAtMs >= HOUSEKEEPING_EVERY_MS) {
        this.lastHousekeepingAtMs = now;
        await this.housekeeping(now);
      }
    } catch (error) {
      this.options.logger.error({ err: error }, 'redelivery poll failed');
    } finally {
      this.polling = false;
    }
    this.schedule(this.backlog && this.hasRoomForBatch() ? 0 : this.options.pollMs);
  }

  /** About once a second: queue metrics, and forgetting old duplicates. */
  private async housekeeping(now: number): Promise<void> {
    const depths = await this.options.store.queueDepths();
    const next = new Map(depths.map((d) => [d.target, d.depth]));
    for (const target of this.depths.keys()) {
      if (!next.has(target)) {
        this.options.metrics?.queueDepth.set({ target }, 0);
        this.options.metrics?.queueOldestAge.set({ target }, 0);
      }
    }
    for (const depth of depths) {
      this.options.metrics?.queueDepth.set({ target: depth.target }, depth.depth);
      this.options.metrics?.queueOldestAge.set({ target: depth.target }, Math.max(0, (now - depth.oldestAcceptedAtMs) / 1000));
    }
    this.depths = next;
    const beforeMs = now - this.options.dedupRetentionMs;
    await purgeInSteps((limit) => this.options.store.purgeDone(beforeMs, limit), PURGE_STEPS_PER_HOUSEKEEPING, () => this.stopped);
  }
}
