// SqliteSmsStore: the SmsStore contract in memory, and sharing one file with the transaction store on disk.
import { strict as assert } from 'node:assert';
import { GatewayError } from '../../src/errors';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteSmsStore, SqliteTransactionStore } from '../../src/store';
import { describeSmsStoreContract } from './sms-store.contract';

describeSmsStoreContract('SqliteSmsStore in memory', async () => new SqliteSmsStore(':memory:'));

describe('SqliteSmsStore on disk', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'sspgw-sms-store-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('shares one file with the transaction store and keeps conversations and waiting MO parts across a reopen', async () => {
    const path = join(dir, 'gateway.db');
    const transactions = new SqliteTransactionStore(path);
    const sms = new SqliteSmsStore(path);
    await sms.saveConversation({ customer: '+4799000001', replyNumber: '+4790001000', imUser: 'wv:alice@imsp-a.test', lastActiveAtMs: 1000 });
    const part = { messageKey: 'msg-a', sequence: 1, total: 2, reference: 7, transport: 'smpp', from: '+4799000001', to: '+4790001000', text: 'first half', receivedAtMs: 1000, firstAtMs: 1000 } as const;
    await sms.savePendingMoPart(part);
    await sms.close();
    await transactions.close();
    const reopened = new SqliteSmsStore(path);
    try {
      assert.equal((await reopened.conversationsOf('+4799000001', 0))[0]?.imUser, 'wv:alice@imsp-a.test');
      assert.deepEqual(await reopened.pendingMoParts(), [part]);
    } finally {
      await reopened.close();
    }
  });

  it('reports every write it cannot make as a transient STORE_WRITE_FAILED, so that the SMSC or the scheduler tries again', async () => {
    const sms = new SqliteSmsStore(join(dir, 'closed.db'));
    await sms.close();
    const part = { messageKey: 'msg-a', sequence: 1, total: 2, reference: 7, transport: 'smpp', from: '+4799000001', to: '+4790001000', text: 'x', receivedAtMs: 1, firstAtMs: 1 } as const;
    const submission = { reference: 'r1', recordId: 'rec1', recipient: 'wv:+4799000001', messageID: 'm1', originDomain: 'imsp-b.test', imSender: null, deliveryReport: true, parts: 1, state: 'submitting', createdAtMs: 1 } as const;
    const writes: Array<[string, () => Promise<unknown>]> = [
      ['savePendingMoPart', () => sms.savePendingMoPart(part)],
      ['deletePendingMoParts', () => sms.deletePendingMoParts('msg-a', 1, [1])],
      ['moveMoWait', () => sms.moveMoWait('msg-a', 1, 2)],
      ['beginSubmission', () => sms.beginSubmission(submission)],
      ['markSubmitted', () => sms.markSubmitted('r1', ['smsc-1'])],
      ['recordReceipt', () => sms.recordReceipt('r1', true)],
      ['saveConversation', () => sms.saveConversation({ customer: '+4799000001', replyNumber: '+4790001000', imUser: 'wv:alice@imsp-a.test', lastActiveAtMs: 1 })],
    ];
    for (const [name, write] of writes) {
      await assert.rejects(write(), (error: unknown) => error instanceof GatewayError && error.code === 'STORE_WRITE_FAILED' && error.transient, name);
    }
  });
});
