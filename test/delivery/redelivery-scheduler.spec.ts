import { strict as assert } from 'node:assert';
import { RedeliveryScheduler } from '../../src/delivery';
import { createLogger } from '../../src/log';
import { SqliteTransactionStore, type StoredTransaction, type TransactionStore } from '../../src/store';

const NOW = 10_000;

/** A store with `count` due records, counting the housekeeping queries made on it. */
async function storeWithDue(count: number): Promise<{ store: TransactionStore; housekeeping: () => number }> {
  const sqlite = new SqliteTransactionStore(':memory:');
  await Promise.all(
    Array.from({ length: count }, (_, n) =>
      sqlite.accept({ id: `r${n}`, originDomain: 'imsp-b.test', originTransactionID: `t${n}`, body: { kind: 'Status', status: { code: 200 } }, acceptedAtMs: n, expiresAtMs: NOW * 10, nextAttemptAtMs: n }),
    ),
  );
  let queries = 0;
  const store: TransactionStore = Object.assign(Object.create(sqlite) as TransactionStore, {
    queueDepths: () => {
      queries += 1;
      return sqlite.queueDepths();
    },
  });
  return { store, housekeeping: () => queries };
}

/** Deliveries that end a turn later by completing the record; resolves when `count` have ended. */
function countingDelivery(store: TransactionStore, count: number) {
  const delivered: string[] = [];
  let running = 0;
  let mostAtOnce = 0;
  let allDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const deliver = async (record: StoredTransaction) => {
    running += 1;
    mostAtOnce = Math.max(mostAtOnce, running);
    await new Promise((resolve) => setImmediate(resolve));
    await store.complete(record.id);
    running -= 1;
    delivered.push(record.id);
    if (delivered.length === count) allDone();
  };
  return { deliver, delivered, done, mostAtOnce: () => mostAtOnce };
}

function schedulerFor(store: TransactionStore, deliver: (record: StoredTransaction) => Promise<void>) {
  // A poll interval far beyond the test: only the start and ending rounds can make it claim.
  return new RedeliveryScheduler({ store, deliver, now: () => NOW, pollMs: 3_600_000, batchSize: 10, concurrency: 20, dedupRetentionMs: 60_000, leaseMs: 60_000, logger: createLogger('silent') });
}

describe('RedeliveryScheduler', () => {
  it('drains a backlog batch after batch as rounds end, never above its concurrency, each record once', async () => {
    const { store, housekeeping } = await storeWithDue(205);
    const delivery = countingDelivery(store, 205);
    const scheduler = schedulerFor(store, delivery.deliver);
    scheduler.start();
    await delivery.done;
    await scheduler.stop();
    assert.equal(new Set(delivery.delivered).size, 205);
    assert.ok(delivery.mostAtOnce() <= 20, `at most 20 rounds at once, saw ${delivery.mostAtOnce()}`);
    assert.deepEqual(await store.claimDue(NOW * 10, 10, NOW * 10), []);
    assert.equal(housekeeping(), 1, 'queue metrics once per second of the clock, not once per claim');
    await store.close();
  });

  it('forgets done records past the retention in steps of 500, letting the event loop run between steps', async () => {
    const sqlite = new SqliteTransactionStore(':memory:');
    for (let n = 0; n < 1250; n += 1) {
      await sqlite.accept({ id: `r${n}`, originDomain: 'imsp-b.test', originTransactionID: `t${n}`, body: { kind: 'Status', status: { code: 200 } }, acceptedAtMs: n, expiresAtMs: NOW, nextAttemptAtMs: NOW });
      await sqlite.complete(`r${n}`);
    }
    const steps: Array<{ limit: number; purged: number; loopRanBefore: boolean }> = [];
    let loopRan = false;
    const store: TransactionStore = Object.assign(Object.create(sqlite) as TransactionStore, {
      purgeDone: async (beforeMs: number, limit: number) => {
        const loopRanBefore = loopRan;
        loopRan = false;
        setImmediate(() => (loopRan = true));
        const purged = await sqlite.purgeDone(beforeMs, limit);
        steps.push({ limit, purged, loopRanBefore });
        return purged;
      },
    });
    const scheduler = new RedeliveryScheduler({ store, deliver: async () => undefined, now: () => NOW, pollMs: 3_600_000, batchSize: 10, concurrency: 20, dedupRetentionMs: 5_000, leaseMs: 60_000, logger: createLogger('silent') });
    scheduler.start();
    while (steps.length < 3) await new Promise((resolve) => setImmediate(resolve));
    await scheduler.stop();
    assert.deepEqual(steps.map((s) => [s.limit, s.purged]), [[500, 500], [500, 500], [500, 250]], 'a short step ends the purge');
    assert.ok(steps.slice(1).every((s) => s.loopRanBefore), 'other work ran between steps');
    assert.equal((await sqlite.accept({ id: 'x', originDomain: 'imsp-b.test', originTransactionID: 't0', body: { kind: 'Status', status: { code: 200 } }, acceptedAtMs: NOW, expiresAtMs: NOW, nextAttemptAtMs: NOW })).kind, 'accepted', 'forgotten');
    await sqlite.close();
  });

  it('does not start a second round for a record whose round is still running', async () => {
    const { store } = await storeWithDue(1);
    const delivery = countingDelivery(store, 1);
    const scheduler = schedulerFor(store, delivery.deliver);
    const [record] = await store.claimDue(NOW, 1, NOW);
    scheduler.run(record as StoredTransaction);
    scheduler.run(record as StoredTransaction);
    await delivery.done;
    await scheduler.stop();
    assert.deepEqual(delivery.delivered, ['r0']);
    await store.close();
  });

  it('runs a record again as soon as its round ends when the store handed it out meanwhile (not a whole lease later)', async () => {
    const { store } = await storeWithDue(1);
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let rounds = 0;
    let secondRound: () => void = () => undefined;
    const second = new Promise<void>((resolve) => (secondRound = resolve));
    const scheduler = schedulerFor(store, async (record) => {
      rounds += 1;
      if (rounds === 1) {
        // Rescheduled, due at once, and still answering the origin when the store hands it out again.
        await store.reschedule(record.id, { targets: ['imsp-c.test'], attempts: 1, nextAttemptAtMs: NOW });
        await gate;
        return;
      }
      await store.complete(record.id);
      secondRound();
    });
    scheduler.start();
    while (rounds === 0) await new Promise((resolve) => setImmediate(resolve));
    const [claimed] = await store.claimDue(NOW, 1, NOW + 60_000);
    assert.equal(claimed?.id, 'r0');
    scheduler.run(claimed as StoredTransaction);
    openGate();
    await second;
    await scheduler.stop();
    assert.equal(rounds, 2);
    await store.close();
  });

  it('keeps the backoff of a round that outlived its lease (handed out again before it rescheduled)', async () => {
    const { store } = await storeWithDue(1);
    let rounds = 0;
    let roundEnded: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => (roundEnded = resolve));
    const scheduler = schedulerFor(store, async (record) => {
      rounds += 1;
      // The lease ran out while this round waited for a slow peer: the store hands the record out again.
      const [again] = await store.claimDue(NOW + 60_000, 1, NOW + 120_000);
      assert.equal(again?.id, 'r0');
      scheduler.run(again as StoredTransaction);
      await store.reschedule(record.id, { targets: ['imsp-c.test'], attempts: 1, nextAttemptAtMs: NOW + 5_000 });
      roundEnded();
    });
    scheduler.start();
    await ended;
    await scheduler.stop();
    assert.equal(rounds, 1);
    assert.deepEqual(await store.claimDue(NOW, 1, NOW + 1), [], 'not released to now');
    assert.deepEqual((await store.claimDue(NOW + 5_000, 1, NOW + 6_000)).map((r) => r.id), ['r0'], 'due at its backoff');
    await store.close();
  });
});
