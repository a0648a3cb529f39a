import { strict as assert } from 'node:assert';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { GatewayError } from '../../src/errors';
import { SessionOutbox } from '../../src/listener/session-outbox';
import { statusOf, type Transaction } from '../../src/ssp';

const transaction = (transactionID: string): Transaction => ({ mode: 'Response', transactionID, body: { kind: 'Status', status: statusOf(200) } });

/** A peer link whose POSTs complete only when the test says so. */
function link() {
  const posts: Array<{ ids: string[]; done: () => void; fail: (error: unknown) => void }> = [];
  const send = (transactions: Transaction[]) =>
    new Promise<void>((resolve, reject) => posts.push({ ids: transactions.map((t) => t.transactionID), done: resolve, fail: reject }));
  return { posts, send };
}

describe('SessionOutbox', () => {
  it('sends what one event-loop turn produced in one POST', async () => {
    const { posts, send } = link();
    const outbox = new SessionOutbox({ maxTransactionsPerPost: 32, maxPostsInFlight: 4, send });
    const sent = ['t1', 't2', 't3'].map((id) => outbox.post(transaction(id)));
    await nextTurn();
    assert.deepEqual(posts.map((p) => p.ids), [['t1', 't2', 't3']]);
    posts[0]?.done();
    await Promise.all(sent);
  });

  it('rejects only the transactions the POST reports as failed on their own', async () => {
    const failure = new GatewayError('INTERNAL', 'cannot encode "<x>" as an XML element name');
    const outbox = new SessionOutbox({
      maxTransactionsPerPost: 32,
      maxPostsInFlight: 4,
      send: async (transactions) => new Map(transactions.filter((t) => t.transactionID === 't2').map((t) => [t, failure])),
    });
    const outcomes = await Promise.allSettled(['t1', 't2', 't3'].map((id) => outbox.post(transaction(id))));
    assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal((outcomes[1] as PromiseRejectedResult).reason, failure);
  });

  it('splits at maxTransactionsPerPost, in order', async () => {
    const { posts, send } = link();
    const outbox = new SessionOutbox({ maxTransactionsPerPost: 2, maxPostsInFlight: 4, send });
    for (const id of ['t1', 't2', 't3', 't4', 't5']) void outbox.post(transaction(id));
    await nextTurn();
    assert.deepEqual(posts.map((p) => p.ids), [['t1', 't2'], ['t3', 't4'], ['t5']]);
  });

  it('holds transactions while every POST is outstanding and sends them together when one completes', async () => {
    const { posts, send } = link();
    const outbox = new SessionOutbox({ maxTransactionsPerPost: 32, maxPostsInFlight: 1, send });
    void outbox.post(transaction('t1'));
    await nextTurn();
    void outbox.post(transaction('t2'));
    await nextTurn();
    void outbox.post(transaction('t3'));
    await nextTurn();
    assert.deepEqual(posts.map((p) => p.ids), [['t1']]);
    posts[0]?.done();
    await nextTurn();
    await nextTurn();
    assert.deepEqual(posts.map((p) => p.ids), [['t1'], ['t2', 't3']]);
  });

  it('fails every transaction of a failed POST with its error, and goes on sending', async () => {
    const { posts, send } = link();
    const outbox = new SessionOutbox({ maxTransactionsPerPost: 32, maxPostsInFlight: 1, send });
    const first = [outbox.post(transaction('t1')), outbox.post(transaction('t2'))];
    await nextTurn();
    const unreachable = new GatewayError('PEER_UNREACHABLE', 'peer refused the connection', { impsStatus: 503, transient: true });
    posts[0]?.fail(unreachable);
    for (const sent of first) await assert.rejects(sent, (error) => error === unreachable);
    const later = outbox.post(transaction('t3'));
    await nextTurn();
    assert.deepEqual(posts[1]?.ids, ['t3']);
    posts[1]?.done();
    await later;
  });
});
