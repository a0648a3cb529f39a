// Admission: rate limits per peer and global (seed 003 PP2-17/18).
import { strict as assert } from 'node:assert';
import type { SspRequester } from '../../src/delivery';
import { createLogger } from '../../src/log';
import { TransactionAdmission } from '../../src/routing';
import { statusOf, type TransactionBody } from '../../src/ssp';
import { SqliteTransactionStore } from '../../src/store';
import { textMessage } from '../support/ssp-messages';

const US = 'imsp-a.test';
const PEERS = ['imsp-b.test', 'imsp-c.test'];

function admission(store: SqliteTransactionStore, extra: { maxPeerBuckets?: number; globalBurst?: number } = {}) {
  const answers: Array<{ domain: string; code: number | undefined }> = [];
  const requester: SspRequester = {
    request: async () => ({ kind: 'Status', status: statusOf(200) }),
    respond: async (domain, _transactionID, body: TransactionBody) => void answers.push({ domain, code: 'status' in body ? body.status?.code : undefined }),
  };
  const gate = new TransactionAdmission({
    store,
    requester,
    describeOrigin: (domain) => ({
      isCore: false,
      label: domain,
      policy: { domain, userDomains: new Set([domain]), acceptsBareMsisdn: false },
      transactions: new Set(['SendMessageRequest']),
    }),
    startDelivery: () => undefined,
    limits: { global: { transactionsPerSecond: 0.001, burst: extra.globalBurst ?? 3 }, perPeer: { transactionsPerSecond: 0.001, burst: 2 } },
    ...(extra.maxPeerBuckets ? { maxPeerBuckets: extra.maxPeerBuckets } : {}),
    defaultValiditySeconds: 3600,
    leaseMs: 30_000,
    now: () => 1_000_000,
    logger: createLogger('silent'),
  });
  return { gate, answers };
}

describe('TransactionAdmission rate limits', () => {
  it("refuses a peer over its own limit with 503 without spending the global tokens other peers share", async () => {
    const store = new SqliteTransactionStore(':memory:');
    const { gate, answers } = admission(store);
    const send = (peer: string, n: number) => gate.onRequest({ peerDomain: peer }, { mode: 'Request', transactionID: `${peer}-${n}`, body: textMessage(`wv:bob@${peer}`, [`wv:alice@${US}`], 'hei') });
    for (let n = 0; n < 6; n += 1) await send(PEERS[0] as string, n);
    await send(PEERS[1] as string, 0);
    const refusedB = answers.filter((a) => a.domain === PEERS[0] && a.code === 503).length;
    assert.equal(refusedB, 4, 'imsp-b.test: burst of 2 accepted, 4 refused');
    assert.deepEqual(answers.filter((a) => a.domain === PEERS[1]), [], 'imsp-c.test was accepted (refusals are answered at once, acceptances by delivery)');
    await store.close();
  });

  it('keeps buckets for a bounded number of peers, forgetting the one idle longest (open federation)', async () => {
    const store = new SqliteTransactionStore(':memory:');
    const { gate, answers } = admission(store, { maxPeerBuckets: 2, globalBurst: 100 });
    let n = 0;
    const send = (peer: string) => gate.onRequest({ peerDomain: peer }, { mode: 'Request', transactionID: `t${(n += 1)}`, body: textMessage(`wv:bob@${peer}`, [`wv:alice@${US}`], 'hei') });
    for (let i = 0; i < 3; i += 1) await send('imsp-b.test');
    assert.equal(answers.filter((a) => a.code === 503).length, 1, 'imsp-b.test over its burst of 2');
    await send('imsp-c.test');
    await send('imsp-d.test');
    await send('imsp-b.test');
    assert.equal(answers.filter((a) => a.code === 503).length, 1, "imsp-b.test's empty bucket was forgotten: a third peer took its place");
    await store.close();
  });
});
