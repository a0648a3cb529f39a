import { strict as assert } from 'node:assert';
import Database from 'better-sqlite3';
import { GatewayError } from '../../src/errors';
import { GroupCommit } from '../../src/store/group-commit';

describe('GroupCommit', () => {
  let db: Database.Database;
  let writes: GroupCommit;
  beforeEach(() => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE t (n INTEGER)');
    writes = new GroupCommit(db, 4);
  });
  afterEach(() => db.close());

  const insert = (n: number) => () => db.prepare('INSERT INTO t VALUES (?)').run(n).changes;
  const count = () => () => (db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;

  it('applies the writes of a turn in call order, each seeing those before it', async () => {
    assert.deepEqual(await Promise.all([writes.write(insert(1)), writes.write(count()), writes.write(insert(2)), writes.write(count())]), [1, 1, 1, 2]);
  });

  it('commits on flush, and rejects every write of a failed transaction while later ones succeed', async () => {
    const first = writes.write(insert(1));
    writes.flush();
    await first;
    const failed = [writes.write(insert(2)), writes.write(() => { throw new Error('disk full'); })];
    for (const write of failed) await assert.rejects(write, (error: unknown) => error instanceof GatewayError && error.transient && /disk full/.test(error.message));
    assert.equal(await writes.write(count()), 1, 'the write before the failure in its batch was rolled back');
  });
});
