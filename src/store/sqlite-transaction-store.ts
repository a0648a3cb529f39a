// Embedded durable store: one SQLite file in WAL mode (better-sqlite3), survives process crashes.
import type Database from 'better-sqlite3';
import type { TransactionBody } from '../ssp';
import { GroupCommit } from './group-commit';
import { openSqlite } from './open-sqlite';
import { deserializeBody, serializeBody } from './serialize-body';
import { NO_TARGETS, NO_UNCERTAIN_GROUPS, type AcceptOutcome, type NewTransaction, type QueueDepth, type RescheduleChange, type StoredTransaction, type TransactionStore, type UncertainGroup } from './transaction-store';

interface Row {
  id: string;
  origin_domain: string;
  origin_tid: string;
  body: string;
  state: 'pending' | 'done';
  target: string | null;
  accepted_at: number;
  expires_at: number;
  attempts: number;
  next_attempt_at: number;
  answer: string | null;
  uncertain_groups: string | null;
}

// Partial indexes, so that each periodic query reads only its own rows, never the whole table: claimDue the
// pending ones, queueDepths the queued ones (covering: no table row is read), purgeDone the done ones.
// They replace inbound_due (state first), with which queueDepths read the whole table, bodies included, each
// second; a file written before is migrated on open. `target` holds the hops a record waits for, separated by a
// space (a file written when it held one hop reads the same): queueDepths groups by that list, then per hop. uncertain_groups (JSON, null when there are none, so that
// most records pay nothing for it) came later too: a file without it gets it on open (addUncertainGroupsColumn).
const SCHEMA = `
CREATE TABLE IF NOT EXISTS inbound (
  id TEXT PRIMARY KEY,
  origin_domain TEXT NOT NULL,
  origin_tid TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL,
  target TEXT,
  accepted_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  answer TEXT,
  uncertain_groups TEXT,
  UNIQUE (origin_domain, origin_tid)
);
DROP INDEX IF EXISTS inbound_due;
CREATE INDEX IF NOT EXISTS inbound_pending_due ON inbound (next_attempt_at, accepted_at) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS inbound_queued ON inbound (target, accepted_at) WHERE state = 'pending' AND target IS NOT NULL;
CREATE INDEX IF NOT EXISTS inbound_done_age ON inbound (accepted_at) WHERE state = 'done';
`;

const HOP_SEPARATOR = ' ';

/** Writes of one event-loop turn are committed together; a batch this large is committed at once. */
const MAX_WRITES_PER_COMMIT = 256;

/**
 * A file written before uncertain groups existed gets their column; before the statements, which name it.
 * Look and add in one write transaction: two replicas opening the old file at once must not both add it.
 */
function addUncertainGroupsColumn(db: Database.Database): void {
  db.transaction(() => {
    const columns = db.pragma('table_info(inbound)') as Array<{ name: string }>;
    if (!columns.some((column) => column.name === 'uncertain_groups')) db.exec('ALTER TABLE inbound ADD COLUMN uncertain_groups TEXT');
  }).immediate();
}

function toRecord(row: Row): StoredTransaction {
  return {
    id: row.id,
    originDomain: row.origin_domain,
    originTransactionID: row.origin_tid,
    body: deserializeBody(row.body),
    state: row.state,
    targets: row.target === null ? NO_TARGETS : row.target.split(HOP_SEPARATOR),
    acceptedAtMs: row.accepted_at,
    expiresAtMs: row.expires_at,
    attempts: row.attempts,
    nextAttemptAtMs: row.next_attempt_at,
    answer: row.answer === null ? null : deserializeBody(row.answer),
    uncertainGroups: row.uncertain_groups === null ? NO_UNCERTAIN_GROUPS : (JSON.parse(row.uncertain_groups) as UncertainGroup[]),
  };
}

/**
 * Writes (accept, complete, reschedule) are group-committed (see GroupCommit): each call's promise resolves once
 * the transaction holding it is committed, so a caller that acknowledges after `await accept` acknowledges only
 * what is stored. Bodies are serialised before queuing: a body that cannot be written fails its own call, not
 * its batch. Reads and purges first commit the writes still queued, so that they see every call made before.
 */
export class SqliteTransactionStore implements TransactionStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly writes: GroupCommit;

  /** `path` ':memory:' keeps everything in memory (tests); any other path is a file, created if absent. */
  constructor(path: string) {
    this.db = openSqlite(path, SCHEMA);
    addUncertainGroupsColumn(this.db);
    this.statements = {
      insert: this.db.prepare(
        `INSERT INTO inbound (id, origin_domain, origin_tid, body, state, accepted_at, expires_at, next_attempt_at)
         VALUES (@id, @originDomain, @originTransactionID, @body, 'pending', @acceptedAtMs, @expiresAtMs, @nextAttemptAtMs)
         ON CONFLICT (origin_domain, origin_tid) DO NOTHING`,
      ),
      byOrigin: this.db.prepare<[string, string], Row>('SELECT * FROM inbound WHERE origin_domain = ? AND origin_tid = ?'),
      complete: this.db.prepare<[string | null, string]>("UPDATE inbound SET state = 'done', answer = COALESCE(?, answer) WHERE id = ?"),
      reschedule: this.db.prepare(
        'UPDATE inbound SET body = COALESCE(@body, body), answer = COALESCE(@answer, answer), uncertain_groups = IIF(@replacesGroups, @uncertainGroups, uncertain_groups), target = @target, attempts = @attempts, next_attempt_at = @nextAttemptAtMs WHERE id = @id',
      ),
      claimDue: this.db.prepare<[number, number, number], Row>(
        // By rowid, not id: the rows are updated where the index points, without a lookup of each text id.
        `UPDATE inbound SET next_attempt_at = ? WHERE rowid IN
           (SELECT rowid FROM inbound WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, accepted_at LIMIT ?)
         RETURNING *`,
      ),
      release: this.db.prepare<[number, string]>("UPDATE inbound SET next_attempt_at = ? WHERE id = ? AND state = 'pending'"),
      depths: this.db.prepare<[], { target: string; depth: number; oldest: number }>(
        "SELECT target, COUNT(*) AS depth, MIN(accepted_at) AS oldest FROM inbound WHERE state = 'pending' AND target IS NOT NULL GROUP BY target",
      ),
      purge: this.db.prepare<[number, number]>(
        "DELETE FROM inbound WHERE rowid IN (SELECT rowid FROM inbound WHERE state = 'done' AND accepted_at < ? ORDER BY accepted_at LIMIT ?)",
      ),
    };
    this.writes = new GroupCommit(this.db, MAX_WRITES_PER_COMMIT);
  }

  /** Applied in call order inside the batch: a second accept of the same origin id in one batch is a duplicate. */
  async accept(entry: NewTransaction): Promise<AcceptOutcome> {
    const row = { ...entry, body: serializeBody(entry.body) };
    return this.writes.write((): AcceptOutcome => {
      if (this.statements.insert.run(row).changes === 1) {
        // The hot path: the new record is what was just written, no need to read it back.
        const { id, originDomain, originTransactionID, body, acceptedAtMs, expiresAtMs, nextAttemptAtMs } = entry;
        return { kind: 'accepted', record: { id, originDomain, originTransactionID, body, state: 'pending', targets: NO_TARGETS, acceptedAtMs, expiresAtMs, attempts: 0, nextAttemptAtMs, answer: null, uncertainGroups: NO_UNCERTAIN_GROUPS } };
      }
      return { kind: 'duplicate', record: toRecord(this.statements.byOrigin.get(entry.originDomain, entry.originTransactionID) as Row) };
    });
  }

  async complete(id: string, answer?: TransactionBody): Promise<void> {
    const answerText = answer ? serializeBody(answer) : null;
    return this.writes.write(() => void this.statements.complete.run(answerText, id));
  }

  async reschedule(id: string, change: RescheduleChange): Promise<void> {
    const row = {
      id,
      body: change.body ? serializeBody(change.body) : null,
      answer: change.answer ? serializeBody(change.answer) : null,
      replacesGroups: change.uncertainGroups ? 1 : 0,
      // None is null, as for a new record: reading it back costs no JSON.
      uncertainGroups: change.uncertainGroups?.length ? JSON.stringify(change.uncertainGroups) : null,
      target: change.targets.length > 0 ? change.targets.join(HOP_SEPARATOR) : null,
      attempts: change.attempts,
      nextAttemptAtMs: change.nextAttemptAtMs,
    };
    return this.writes.write(() => void this.statements.reschedule.run(row));
  }

  async claimDue(nowMs: number, limit: number, leaseUntilMs: number): Promise<StoredTransaction[]> {
    this.writes.flush();
    // RETURNING gives no order (and the new lease as next_attempt_at): restore oldest-first by acceptance.
    const rows = this.statements.claimDue.all(leaseUntilMs, nowMs, limit);
    return rows.sort((a, b) => a.accepted_at - b.accepted_at).map(toRecord);
  }

  async release(id: string, nextAttemptAtMs: number): Promise<void> {
    return this.writes.write(() => void this.statements.release.run(nextAttemptAtMs, id));
  }

  async queueDepths(): Promise<QueueDepth[]> {
    this.writes.flush();
    const byHop = new Map<string, QueueDepth>();
    for (const row of this.statements.depths.all()) {
      for (const target of row.target.split(HOP_SEPARATOR)) {
        const known = byHop.get(target);
        if (!known) byHop.set(target, { target, depth: row.depth, oldestAcceptedAtMs: row.oldest });
        else byHop.set(target, { target, depth: known.depth + row.depth, oldestAcceptedAtMs: Math.min(known.oldestAcceptedAtMs, row.oldest) });
      }
    }
    return [...byHop.values()];
  }

  async purgeDone(beforeMs: number, limit: number): Promise<number> {
    this.writes.flush();
    return this.statements.purge.run(beforeMs, limit).changes;
  }

  async close(): Promise<void> {
    this.writes.flush();
    this.db.close();
  }
}
