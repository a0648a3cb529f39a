// The contract every TransactionStore implementation must pass (SQLite now; a shared store later).
import { strict as assert } from 'node:assert';
import type { TransactionStore } from '../../src/store';
import type { TransactionBody } from '../../src/ssp';

const body: TransactionBody = {
  kind: 'SendMessageRequest',
  deliveryReport: true,
  messageInfo: { messageID: 'm-1', recipients: [{ kind: 'user', userID: 'wv:+4790000001' }], senderUserID: 'wv:alice@imsp-a.test' },
  content: { contentType: 'text/plain', transferEncoding: 'base64', bytes: Buffer.from('Hei på deg ✓') },
};

const entry = (id: string, tid: string, acceptedAtMs = 1000) => ({ id, originDomain: 'imsp-b.test', originTransactionID: tid, body, acceptedAtMs, expiresAtMs: acceptedAtMs + 60_000, nextAttemptAtMs: acceptedAtMs });

export function describeTransactionStoreContract(name: string, open: () => Promise<TransactionStore>): void {
  describe(`${name} (TransactionStore contract)`, () => {
    let store: TransactionStore;
    beforeEach(async () => (store = await open()));
    afterEach(async () => store.close());

    it('stores a transaction and returns its body intact, content bytes included', async () => {
      const outcome = await store.accept(entry('r1', 't1'));
      assert.equal(outcome.kind, 'accepted');
      assert.deepEqual(outcome.record.body, body);
      assert.equal(outcome.record.state, 'pending');
    });

    it('reports a retransmission of the same (origin, transactionID) as a duplicate of the first', async () => {
      await store.accept(entry('r1', 't1'));
      const again = await store.accept(entry('r2', 't1'));
      assert.equal(again.kind, 'duplicate');
      assert.equal(again.record.id, 'r1');
    });

    it('stores every accept made at once, and tells the second of two same (origin, transactionID) a duplicate', async () => {
      const [first, second, again] = await Promise.all([store.accept(entry('r1', 't1')), store.accept(entry('r2', 't2')), store.accept(entry('r3', 't1')), store.complete('r2')]);
      assert.deepEqual([first.kind, second.kind, again.kind], ['accepted', 'accepted', 'duplicate']);
      assert.equal(again.record.id, 'r1');
      assert.deepEqual((await store.claimDue(10_000, 10, 10_000)).map((r) => r.id), ['r1'], 'r2 completed in the same turn, r3 never stored');
    });

    it('keeps the answer for duplicates, and offers a record for delivery until it is complete', async () => {
      await store.accept(entry('r1', 't1'));
      const answer: TransactionBody = { kind: 'SendMessageResponse', messageID: 'm-1', status: { code: 200 } };
      await store.reschedule('r1', { answer, targets: ['imsp-c.test'], attempts: 1, nextAttemptAtMs: 1000 });
      const again = await store.accept(entry('r2', 't1'));
      assert.deepEqual(again.record.answer, answer);
      assert.deepEqual((await store.claimDue(10_000, 10, 10_000)).map((r) => r.id), ['r1'], 'answered (queued) but not yet delivered');
      await store.complete('r1');
      assert.deepEqual(await store.claimDue(10_000, 10, 10_000), []);
    });

    it('narrows the body to what remains when rescheduled', async () => {
      await store.accept(entry('r1', 't1'));
      const remaining: TransactionBody = { kind: 'SendMessageRequest', deliveryReport: false, messageInfo: { messageID: 'm-1', recipients: [{ kind: 'user', userID: 'wv:+4790000002' }] } };
      await store.reschedule('r1', { body: remaining, targets: ['imsp-c.test'], attempts: 1, nextAttemptAtMs: 1 });
      assert.deepEqual((await store.claimDue(10_000, 1, 10_000))[0]?.body, remaining);
    });

    it('keeps the uncertain groups given to reschedule until others are given, and has none for a new record', async () => {
      await store.accept(entry('r1', 't1'));
      assert.deepEqual((await store.claimDue(10_000, 1, 10_000))[0]?.uncertainGroups, []);
      const uncertainGroups = [
        { hop: 'imsp-c.test', transactionID: 'r1-imsp-c.test-AbCd_123', targets: ['wv:+4790000001', 'wv:+4790000002'] },
        { hop: 'imsp-d.test', transactionID: 'r1-imsp-d.test-xYz-9876', targets: ['wv:+4790000003'] },
      ];
      await store.reschedule('r1', { uncertainGroups, targets: ['imsp-c.test'], attempts: 1, nextAttemptAtMs: 1 });
      await store.reschedule('r1', { targets: ['imsp-c.test'], attempts: 2, nextAttemptAtMs: 1 });
      assert.deepEqual((await store.claimDue(10_000, 1, 10_000))[0]?.uncertainGroups, uncertainGroups, 'a reschedule without groups keeps them');
      await store.reschedule('r1', { uncertainGroups: uncertainGroups.slice(1), targets: ['imsp-d.test'], attempts: 3, nextAttemptAtMs: 1 });
      assert.deepEqual((await store.claimDue(20_000, 1, 20_000))[0]?.uncertainGroups, uncertainGroups.slice(1));
      assert.deepEqual((await store.accept(entry('r2', 't1'))).record.uncertainGroups, uncertainGroups.slice(1), 'a duplicate reads them too');
      await store.reschedule('r1', { uncertainGroups: [], targets: ['imsp-d.test'], attempts: 4, nextAttemptAtMs: 1 });
      assert.deepEqual((await store.claimDue(30_000, 1, 30_000))[0]?.uncertainGroups, []);
    });

    it('hands out due records oldest first, honours reschedules, and leases what it hands out', async () => {
      await store.accept(entry('r1', 't1', 1000));
      await store.accept(entry('r2', 't2', 2000));
      await store.reschedule('r1', { targets: ['imsp-c.test'], attempts: 1, nextAttemptAtMs: 5000 });
      assert.deepEqual((await store.claimDue(3000, 10, 8000)).map((r) => r.id), ['r2']);
      assert.deepEqual((await store.claimDue(5000, 10, 8000)).map((r) => r.id), ['r1'], 'r2 is leased until 8000');
      assert.deepEqual((await store.claimDue(8000, 10, 9000)).map((r) => r.id), ['r1', 'r2'], 'leases ended: oldest first');
      assert.deepEqual(await store.queueDepths(), [{ target: 'imsp-c.test', depth: 1, oldestAcceptedAtMs: 1000 }]);
    });

    it('counts a record waiting for several hops in the queue of each, and reads its hops back', async () => {
      await store.accept(entry('r1', 't1', 1000));
      await store.accept(entry('r2', 't2', 2000));
      await store.accept(entry('r3', 't3', 3000));
      await store.reschedule('r1', { targets: ['imsp-c.test', 'imsp-d.test'], attempts: 1, nextAttemptAtMs: 9000 });
      await store.reschedule('r2', { targets: ['imsp-d.test'], attempts: 1, nextAttemptAtMs: 9000 });
      await store.reschedule('r3', { targets: ['enum:', 'imsp-c.test'], attempts: 1, nextAttemptAtMs: 9000 });
      const depths = (await store.queueDepths()).sort((a, b) => a.target.localeCompare(b.target));
      assert.deepEqual(depths, [
        { target: 'enum:', depth: 1, oldestAcceptedAtMs: 3000 },
        { target: 'imsp-c.test', depth: 2, oldestAcceptedAtMs: 1000 },
        { target: 'imsp-d.test', depth: 2, oldestAcceptedAtMs: 1000 },
      ]);
      assert.deepEqual((await store.claimDue(9000, 1, 20_000))[0]?.targets, ['imsp-c.test', 'imsp-d.test']);
      await store.complete('r1');
      assert.deepEqual((await store.queueDepths()).map((d) => [d.target, d.depth]).sort(), [['enum:', 1], ['imsp-c.test', 1], ['imsp-d.test', 1]]);
    });

    it('ends a lease early on release, for pending records only', async () => {
      await store.accept(entry('r1', 't1', 1000));
      await store.accept(entry('r2', 't2', 1000));
      await store.claimDue(1000, 10, 50_000);
      await store.complete('r2');
      await store.release('r1', 2000);
      await store.release('r2', 2000);
      assert.deepEqual((await store.claimDue(2000, 10, 50_000)).map((r) => r.id), ['r1']);
    });

    it('completes with the answer in one write', async () => {
      await store.accept(entry('r1', 't1'));
      const answer: TransactionBody = { kind: 'SendMessageResponse', messageID: 'm-1', status: { code: 200 } };
      await store.complete('r1', answer);
      assert.deepEqual((await store.accept(entry('r2', 't1'))).record.answer, answer);
      assert.deepEqual(await store.claimDue(10_000, 10, 10_000), []);
    });

    it('purges only completed records older than the cut-off', async () => {
      await store.accept(entry('r1', 't1', 1000));
      await store.accept(entry('r2', 't2', 1000));
      await store.complete('r1');
      assert.equal(await store.purgeDone(2000, 10), 1);
      assert.equal((await store.claimDue(10_000, 10, 10_000)).length, 1);
    });

    it('purges at most the limit per call, the oldest first', async () => {
      for (const [id, acceptedAtMs] of [['r1', 1300], ['r2', 1100], ['r3', 1200]] as const) {
        await store.accept(entry(id, id, acceptedAtMs));
        await store.complete(id);
      }
      assert.equal(await store.purgeDone(2000, 2), 2);
      assert.equal((await store.accept(entry('again', 'r1', 1300))).kind, 'duplicate', 'the newest is still known');
      assert.equal((await store.accept(entry('again2', 'r2', 1100))).kind, 'accepted', 'the oldest was forgotten');
      assert.equal(await store.purgeDone(2000, 2), 1);
    });
  });
}
