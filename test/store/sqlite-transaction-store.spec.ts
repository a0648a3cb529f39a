import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteTransactionStore } from '../../src/store';
import { describeTransactionStoreContract } from './transaction-store.contract';

describeTransactionStoreContract('SqliteTransactionStore in memory', async () => new SqliteTransactionStore(':memory:'));

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
});
