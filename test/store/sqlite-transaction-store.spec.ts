import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GatewayError } from '../../src/errors';
import { SqliteTransactionStore, type NewTransaction } from '../../src/store';
import { describeTransactionStoreContract } from './transaction-store.contract';

describeTransactionStoreContract('SqliteTransactionStore in memory', async () => new SqliteTransactionStore(':memory:'));

/** A file as an earlier version wrote it (no uncertain groups), with one queued record `r1` and `extraSql`. */
function writeFormerFile(path: string, extraSql = ''): void {
  const former = new Database(path);
  former.exec(`CREATE TABLE inbound (id TEXT PRIMARY KEY, origin_domain TEXT NOT NULL, origin_tid TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL,
    target TEXT, accepted_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, answer TEXT,
    UNIQUE (origin_domain, origin_tid));
    ${extraSql}
    INSERT INTO inbound VALUES ('r1', 'imsp-b.test', 't1', '{"kind":"Status","status":{"code":200}}', 'pending', 'imsp-c.test', 1, 2, 1, 1, NULL);`);
  former.close();
}

describe('SqliteTransactionStore on disk', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'sspgw-store-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps an accepted transaction when the writing process is killed with SIGKILL', async () => {
    const path = join(dir, 'crash.db');
    const storeModule = require.resolve('../../src/store');
    const script = `
      const { SqliteTransactionStore } = require(${JSON.stringify(storeModule)});
      const store = new SqliteTransactionStore(${JSON.stringify(path)});
      store.accept({ id: 'r1', originDomain: 'imsp-b.test', originTransactionID: 't1', acceptedAtMs: 1, expiresAtMs: 2, nextAttemptAtMs: 1,
        body: { kind: 'Status', status: { code: 200 } } }).then(() => { process.stdout.write('accepted\\n'); setInterval(() => {}, 1000); });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('accepted') && resolve()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const reopened = new SqliteTransactionStore(path);
    try {
      assert.deepEqual((await reopened.claimDue(10, 10, 10)).map((r) => r.id), ['r1']);
    } finally {
      await reopened.close();
    }
  });

  it('opens a file written with the former index and serves it', async () => {
    const path = join(dir, 'former.db');
    writeFormerFile(path, 'CREATE INDEX inbound_due ON inbound (state, next_attempt_at, accepted_at);');
    const store = new SqliteTransactionStore(path);
    try {
      assert.deepEqual(await store.queueDepths(), [{ target: 'imsp-c.test', depth: 1, oldestAcceptedAtMs: 1 }]);
      assert.deepEqual((await store.claimDue(10, 10, 10)).map((r) => [r.id, r.targets]), [['r1', ['imsp-c.test']]], 'its one hop read as a list');
    } finally {
      await store.close();
    }
  });

  it('adds the uncertain groups to a file written without them, keeping its records', async () => {
    const path = join(dir, 'without-groups.db');
    writeFormerFile(path);
    const uncertainGroups = [{ hop: 'imsp-c.test', transactionID: 'r1-imsp-c.test-AbCd_123', targets: ['wv:+4790000001'] }];
    const store = new SqliteTransactionStore(path);
    try {
      const [record] = await store.claimDue(10, 10, 10);
      assert.deepEqual([record?.id, record?.uncertainGroups], ['r1', []]);
      await store.reschedule('r1', { uncertainGroups, targets: ['imsp-c.test'], attempts: 2, nextAttemptAtMs: 10 });
    } finally {
      await store.close();
    }
    const reopened = new SqliteTransactionStore(path);
    try {
      assert.deepEqual((await reopened.claimDue(10, 10, 10))[0]?.uncertainGroups, uncertainGroups, 'migrated once, kept across a restart');
    } finally {
      await reopened.close();
    }
  });
});

describe('SqliteTransactionStore group commit', () => {
  let dir: string;
  let path: string;
  let store: SqliteTransactionStore;
  /** A second connection to the same file: it sees only what is committed. */
  let observer: Database.Database;
  let files = 0;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'sspgw-group-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    path = join(dir, `store-${(files += 1)}.db`);
    store = new SqliteTransactionStore(path);
    observer = new Database(path);
  });
  afterEach(async () => {
    observer.close();
    await store.close();
  });

  const entry = (tid: string): NewTransaction => ({ id: `r-${tid}`, originDomain: 'imsp-b.test', originTransactionID: tid, body: { kind: 'Status', status: { code: 200 } }, acceptedAtMs: 1, expiresAtMs: 2, nextAttemptAtMs: 1 });
  const committed = (tid: string) => observer.prepare<[string], { state: string; attempts: number }>('SELECT state, attempts FROM inbound WHERE origin_tid = ?').get(tid);

  it('resolves each call of a turn only once its write is committed', async () => {
    await Promise.all(
      ['t1', 't2', 't3'].map((tid) =>
        store.accept(entry(tid)).then(async (outcome) => {
          assert.equal(committed(tid)?.state, 'pending', `${tid} stored when its accept resolves`);
          await store.complete(outcome.record.id);
          assert.equal(committed(tid)?.state, 'done', `${tid} done when its complete resolves`);
        }),
      ),
    );
  });

  it('commits a large burst in bounded batches, without waiting for the turn to end', async () => {
    const burst = Array.from({ length: 1000 }, (_, n) => store.accept(entry(`t${n}`)));
    const seenDuringTheTurn = observer.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM inbound').get()?.n ?? 0;
    assert.ok(seenDuringTheTurn > 0, 'full batches are committed at once');
    assert.ok((await Promise.all(burst)).every((outcome) => outcome.kind === 'accepted'));
    assert.equal(observer.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM inbound').get()?.n, 1000);
  });

  it('rejects every call of a failed commit with a GatewayError, stores none of them, and keeps serving', async () => {
    await store.accept(entry('t0'));
    observer.exec("CREATE TRIGGER refuse_poison BEFORE INSERT ON inbound WHEN NEW.origin_tid = 'poison' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
    const batch = [
      store.accept(entry('t1')),
      store.reschedule('r-t0', { targets: ['imsp-c.test'], attempts: 1, nextAttemptAtMs: 5 }),
      store.accept(entry('poison')),
      store.complete('r-t0'),
    ];
    const settled = await Promise.allSettled(batch);
    for (const outcome of settled) {
      assert.equal(outcome.status, 'rejected');
      const reason: unknown = outcome.status === 'rejected' ? outcome.reason : undefined;
      assert.ok(reason instanceof GatewayError && reason.transient && reason.impsStatus === 500, String(reason));
    }
    assert.equal(committed('t1'), undefined);
    assert.deepEqual(committed('t0'), { state: 'pending', attempts: 0 }, 'the reschedule and the completion were rolled back');

    assert.equal((await store.accept(entry('t1'))).kind, 'accepted');
    await store.complete('r-t0');
    assert.deepEqual((await store.claimDue(10, 10, 10)).map((r) => r.id), ['r-t1']);
  });

  it('commits queued writes before closing', async () => {
    const accepted = store.accept(entry('t1'));
    await store.close();
    assert.equal((await accepted).kind, 'accepted');
    assert.equal(committed('t1')?.state, 'pending');
    store = new SqliteTransactionStore(path);
  });
});
