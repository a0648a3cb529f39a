// SqliteSmsStore: the SmsStore contract in memory, and sharing one file with the transaction store on disk.
import { strict as assert } from 'node:assert';
import Database from 'better-sqlite3';
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

  for (const [build, primaryKey] of [
    ['the first build that kept waiting parts', 'message_key, sequence'],
    ['a build that kept the waits of one key apart', 'message_key, first_at, sequence'],
  ] as const) {
    it(`takes over the waiting parts of a file written by ${build} (table sms_pending_mo_part)`, async () => {
      const path = join(dir, `former-${primaryKey.length}.db`);
      writeFormerWaitingPart(path, primaryKey);
      const store = new SqliteSmsStore(path);
      try {
        assert.deepEqual(await store.pendingMoParts(), [
          { messageKey: 'smpp:+4799000001:+4790001000:42', sequence: 1, total: 2, reference: 42, transport: 'smpp', from: '+4799000001', to: '+4790001000', text: 'Running late, be there', smsc: 'smsc-sim', receivedAtMs: 1_700_000_000_000, firstAtMs: 1_700_000_000_000 },
        ]);
        await store.deletePendingMoParts('smpp:+4799000001:+4790001000:42', 1_700_000_000_000, [1]);
      } finally {
        await store.close();
      }
      const reopened = new SqliteSmsStore(path);
      try {
        assert.deepEqual(await reopened.pendingMoParts(), [], 'moved once: the former table is gone, not read again');
      } finally {
        await reopened.close();
      }
    });
  }

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

/** A file as builds before sms_waiting_mo_part left it, with one part of a two-part reply waiting. */
function writeFormerWaitingPart(path: string, primaryKey: string): void {
  const db = new Database(path);
  db.exec(`CREATE TABLE sms_pending_mo_part (
    message_key TEXT NOT NULL, sequence INTEGER NOT NULL, total INTEGER NOT NULL, reference INTEGER NOT NULL,
    transport TEXT NOT NULL, from_address TEXT NOT NULL, to_address TEXT NOT NULL, text TEXT NOT NULL, smsc TEXT,
    received_at INTEGER NOT NULL, first_at INTEGER NOT NULL, PRIMARY KEY (${primaryKey})) WITHOUT ROWID`);
  db.prepare('INSERT INTO sms_pending_mo_part VALUES (?, 1, 2, 42, ?, ?, ?, ?, ?, ?, ?)').run(
    'smpp:+4799000001:+4790001000:42', 'smpp', '+4799000001', '+4790001000', 'Running late, be there', 'smsc-sim', 1_700_000_000_000, 1_700_000_000_000,
  );
  db.close();
}
