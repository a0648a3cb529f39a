// ReceiptReporter: final receipts conclude a submission and store one DeliveryStatusReport under a stable id.
import { strict as assert } from 'node:assert';
import { createLogger } from '../../src/log';
import { ReceiptReporter, type DeliveryReceipt } from '../../src/sms';
import type { TransactionBody } from '../../src/ssp';
import { SqliteSmsStore } from '../../src/store';

const receipt = (fields: Partial<DeliveryReceipt>): DeliveryReceipt => ({
  transport: 'smpp',
  state: 'delivered',
  final: true,
  delivered: true,
  rawStatus: 'stat:DELIVRD',
  receivedAt: new Date('2026-11-23T12:00:00Z'),
  ...fields,
});

describe('ReceiptReporter', () => {
  let store: SqliteSmsStore;
  let admitted: Array<{ id: string; body: TransactionBody }>;
  let reporter: ReceiptReporter;

  beforeEach(async () => {
    store = new SqliteSmsStore(':memory:');
    admitted = [];
    reporter = new ReceiptReporter({ store, domain: 'imsp-a.test', logger: createLogger('silent'), admit: async (id, body) => void admitted.push({ id, body }) });
    const base = { recordId: 'rec', messageID: 'm-1', originDomain: 'imsp-a.test', imSender: 'wv:alice@imsp-a.test', state: 'submitting' as const, createdAtMs: 0 };
    await store.beginSubmission({ ...base, reference: 'two-parts', recipient: 'wv:+4799000001', deliveryReport: true, parts: 2 });
    await store.markSubmitted('two-parts', ['A1', 'A2']);
    await store.beginSubmission({ ...base, reference: 'silent', recipient: 'wv:+4799000002', deliveryReport: false, parts: 1 });
  });
  afterEach(async () => store.close());

  it('reports after the last part, found by SMSC id, with the IM messageID and recipient', async () => {
    await reporter.onReceipt(receipt({ smscMessageId: 'A1' }));
    assert.equal(admitted.length, 0);
    await reporter.onReceipt(receipt({ smscMessageId: 'A2' }));
    assert.equal(admitted.length, 1);
    const [{ id, body }] = admitted as [{ id: string; body: TransactionBody }];
    assert.equal(id, 'dlr-two-parts');
    assert.equal(body.kind, 'DeliveryStatusReport');
    if (body.kind !== 'DeliveryStatusReport') return;
    assert.equal(body.result.code, 200);
    assert.equal(body.messageInfo.messageID, 'm-1');
    assert.equal(body.messageInfo.senderUserID, 'wv:alice@imsp-a.test');
    assert.deepEqual(body.messageInfo.recipients, [{ kind: 'user', userID: 'wv:+4799000001' }]);
  });

  it('takes a repeated receipt for part 1 as that part, not as part 2: an undelivered part 2 still fails the SMS', async () => {
    await reporter.onReceipt(receipt({ smscMessageId: 'A1' }));
    await reporter.onReceipt(receipt({ smscMessageId: 'A1' }));
    assert.equal(admitted.length, 0, 'not concluded by a repeat');
    await reporter.onReceipt(receipt({ reference: 'two-parts', partIndex: 1, delivered: false, state: 'undeliverable' }));
    const body = admitted[0]?.body;
    assert.equal(body?.kind === 'DeliveryStatusReport' && body.result.code, 538);
  });

  it('knows a repeat after a restart by its SMSC id, when the first receipt also named the part index', async () => {
    await reporter.onReceipt(receipt({ reference: 'two-parts', partIndex: 0, smscMessageId: 'A1' }));
    await reporter.onReceipt(receipt({ smscMessageId: 'A1' }));
    assert.equal(admitted.length, 0, 'the repeat did not count as the second part');
  });

  it('stores the report again under the same id for a repeated receipt (one report after dedup)', async () => {
    await reporter.onReceipt(receipt({ reference: 'two-parts', delivered: false, state: 'undeliverable', errorCode: '001' }));
    await reporter.onReceipt(receipt({ reference: 'two-parts', delivered: false, state: 'undeliverable', errorCode: '001' }));
    assert.deepEqual(admitted.map((a) => a.id), ['dlr-two-parts', 'dlr-two-parts']);
    const body = admitted[0]?.body;
    assert.equal(body?.kind === 'DeliveryStatusReport' && body.result.code, 538);
  });

  it('ignores intermediate receipts, unknown ids, and IM that asked for no report', async () => {
    await reporter.onReceipt(receipt({ reference: 'two-parts', final: false, delivered: false, state: 'enroute' }));
    await reporter.onReceipt(receipt({ smscMessageId: 'ZZ' }));
    await reporter.onReceipt(receipt({ reference: 'silent' }));
    assert.equal(admitted.length, 0);
    assert.equal(await store.recordReceipt('silent', true), 'delivered', 'concluded all the same');
  });
});
