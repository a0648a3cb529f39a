// Group commit: the writes of one event-loop turn share one SQLite transaction (one WAL append) instead of one each.
import type Database from 'better-sqlite3';
import type { GatewayError } from '../errors';
import { storeWriteFailed } from './store-write-failed';

interface QueuedWrite {
  apply: () => unknown;
  resolve: (result: unknown) => void;
  reject: (error: GatewayError) => void;
}

/**
 * Queues synchronous write functions and applies them, in call order, in one transaction: on the next
 * `setImmediate` (every I/O callback of this turn has queued its writes by then), at once when `maxWrites` are
 * queued, or when `flush` is called (a read that must see them, closing). Each promise settles after the
 * commit that holds its write, so "resolved ⇒ stored" holds as with one transaction per write.
 */
export class GroupCommit {
  private queued: QueuedWrite[] = [];
  private flushScheduled = false;
  private readonly applyAll: (writes: QueuedWrite[]) => unknown[];

  constructor(
    db: Database.Database,
    private readonly maxWrites: number,
  ) {
    // better-sqlite3 rolls the whole transaction back when a write or the commit throws.
    this.applyAll = db.transaction((writes: QueuedWrite[]) => writes.map((write) => write.apply()));
  }

  /** Queue `apply` for the next commit; resolves with its result once committed, rejects if that commit fails. */
  write<T>(apply: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ apply, resolve: resolve as (result: unknown) => void, reject });
      if (this.queued.length >= this.maxWrites) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.flushScheduledWrites);
      }
    });
  }

  /** Commit everything queued now. A failed commit rejects every write it held; later writes start afresh. */
  flush(): void {
    const writes = this.queued;
    if (writes.length === 0) return;
    this.queued = [];
    let results: unknown[];
    try {
      results = this.applyAll(writes);
    } catch (error) {
      const failure = storeWriteFailed(error);
      for (const write of writes) write.reject(failure);
      return;
    }
    writes.forEach((write, index) => write.resolve(results[index]));
  }

  private readonly flushScheduledWrites = (): void => {
    this.flushScheduled = false;
    this.flush();
  };
}
