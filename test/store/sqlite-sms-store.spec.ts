// SqliteSmsStore: the SmsStore contract in memory, and sharing one file with the transaction store on disk.
import { strict as assert } from 'node:assert';
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

  it('shares one file with the transaction store and keeps conversations across a reopen', async () => {
    const path = join(dir, 'gateway.db');
    const transactions = new SqliteTransactionStore(path);
    const sms = new SqliteSmsStore(path);
    await sms.saveConversation({ customer: '+4799000001', replyNumber: '+4790001000', imUser: 'wv:alice@imsp-a.test', lastActiveAtMs: 1000 });
    await sms.close();
    await transactions.close();
    const reopened = new SqliteSmsStore(path);
    try {
      assert.equal((await reopened.conversationsOf('+4799000001', 0))[0]?.imUser, 'wv:alice@imsp-a.test');
    } finally {
      await reopened.close();
    }
  });
});
