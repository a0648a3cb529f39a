// Failure reports as stored transactions: one per round of a message, the same one when a round repeats.
import { strict as assert } from 'node:assert';
import { failureReportFor, reportedOriginOf } from '../../src/routing/failure-report';
import { SqliteTransactionStore, type StoredTransaction } from '../../src/store';
import { textMessage } from '../support/ssp-messages';

const message = textMessage('wv:alice@imsp-b.test', ['wv:+4790000001', 'wv:+4790000002'], 'hei');
const record = (attempts: number): StoredTransaction => ({
  id: 'rec-1',
  originDomain: 'imsp-b.test',
  originTransactionID: 'b-1',
  body: message,
  state: 'pending',
  targets: ['imsp-c.test'],
  acceptedAtMs: 0,
  expiresAtMs: 86_400_000,
  attempts,
  nextAttemptAtMs: 0,
  answer: null,
  uncertainGroups: [],
});

describe('failureReportFor', () => {
  it('stores one report per failing round and recognises a repeated round as the same report', async () => {
    const store = new SqliteTransactionStore(':memory:');
    const first = failureReportFor(record(1), message, [{ target: 'wv:+4790000001', status: 531, reason: 'unknown user' }], 'imsp-a.test', 1000);
    const second = failureReportFor(record(3), message, [{ target: 'wv:+4790000002', status: 542, reason: 'validity expired' }], 'imsp-a.test', 2000);
    const repeated = failureReportFor(record(3), message, [{ target: 'wv:+4790000002', status: 542, reason: 'validity expired' }], 'imsp-a.test', 2500);
    assert.deepEqual([(await store.accept(first)).kind, (await store.accept(second)).kind, (await store.accept(repeated)).kind], ['accepted', 'accepted', 'duplicate']);
    const stored = await store.claimDue(3000, 10, 4000);
    assert.deepEqual(stored.map((r) => reportedOriginOf(r)), ['imsp-b.test', 'imsp-b.test']);
    assert.equal(reportedOriginOf(record(0)), undefined);
    await store.close();
  });
});
