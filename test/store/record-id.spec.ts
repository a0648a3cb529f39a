import assert from 'node:assert/strict';
import { RecordIdGenerator } from '../../src/store';

describe('RecordIdGenerator', () => {
  it('gives ids that sort in the order they were made, all of one length', () => {
    const generator = new RecordIdGenerator();
    const ids = Array.from({ length: 5_000 }, () => generator.next());
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids.map((id) => id.length)).size, 1);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('gives two generators (a restart, another replica) different ids, later ones not smaller', () => {
    const first = new RecordIdGenerator().next();
    const second = new RecordIdGenerator().next();
    assert.notEqual(first, second);
    assert.equal(first.slice(0, 9) <= second.slice(0, 9), true);
  });
});
