// MO reassembly tests (TS 23.040 §9.2.3.24.1): order, duplicates, timeout release of partial messages, bounds.
import { strict as assert } from 'node:assert';
import { ConcatReassembler, type MobileOriginatedSms } from '../../src/sms';

function part(text: string, sequence: number, total = 3, reference = 7, from = '+4790000001'): MobileOriginatedSms {
  return { transport: 'smpp', from, to: '+4712345', text, concatenation: { reference, total, sequence }, receivedAt: new Date(1_000 + sequence) };
}

describe('ConcatReassembler', () => {
  let now: number;
  let reassembler: ConcatReassembler;
  beforeEach(() => {
    now = 0;
    reassembler = new ConcatReassembler({ timeoutMs: 60_000, maxPending: 2, clock: () => now });
  });

  const orders: Array<{ name: string; sequences: number[] }> = [
    { name: 'in order', sequences: [1, 2, 3] },
    { name: 'reversed', sequences: [3, 2, 1] },
    { name: 'shuffled', sequences: [2, 3, 1] },
    { name: 'with a repeated part', sequences: [2, 2, 1, 3] },
  ];
  const texts = ['First, ', 'second, ', 'third.'];
  for (const { name, sequences } of orders) {
    it(`joins parts ${name}`, () => {
      const released = sequences.flatMap((sequence) => reassembler.add(part(texts[sequence - 1] ?? '', sequence)));
      assert.equal(released.length, 1);
      assert.equal(released[0]?.text, 'First, second, third.');
      assert.equal(released[0]?.complete, true);
      assert.deepEqual(released[0]?.missingParts, []);
      assert.equal('concatenation' in (released[0] ?? {}), false);
      assert.equal(reassembler.pendingCount, 0);
    });
  }

  it('passes a plain SMS straight through', () => {
    const plain: MobileOriginatedSms = { transport: 'kannel', from: '+4790000001', to: '12345', text: 'hi', receivedAt: new Date(5) };
    assert.deepEqual(reassembler.add(plain), [{ ...plain, complete: true, partCount: 1, missingParts: [], parts: [plain] }]);
  });

  it('keeps messages from different senders or references apart', () => {
    assert.deepEqual(reassembler.add(part('a', 1, 2, 7, '+4790000001')), []);
    assert.deepEqual(reassembler.add(part('b', 1, 2, 7, '+4790000002')), []);
    assert.equal(reassembler.add(part('c', 2, 2, 7, '+4790000002'))[0]?.text, 'bc');
    assert.equal(reassembler.pendingCount, 1);
  });

  it('on timeout releases the parts that arrived, in order, flagged incomplete', () => {
    reassembler.add(part('third.', 3));
    now = 1_000;
    reassembler.add(part('First, ', 1));
    assert.equal(reassembler.nextExpiryAt(), 60_000);
    now = 59_999;
    assert.deepEqual(reassembler.expire(), []);
    now = 60_000;
    const [released] = reassembler.expire();
    assert.equal(released?.text, 'First, third.');
    assert.equal(released?.complete, false);
    assert.equal(released?.partCount, 3);
    assert.deepEqual(released?.missingParts, [2]);
    assert.equal(reassembler.nextExpiryAt(), undefined);
  });

  it('a late part after the timeout starts a new wait instead of completing the released one', () => {
    reassembler.add(part('First, ', 1, 2));
    now = 60_000;
    reassembler.expire();
    assert.deepEqual(reassembler.add(part('second', 2, 2)), []);
    assert.equal(reassembler.pendingCount, 1);
  });

  it('tells since when the message of a part waits, until it is released', () => {
    now = 5_000;
    reassembler.add(part('First, ', 1, 2));
    now = 6_000;
    reassembler.add(part('First, ', 1, 2, 8));
    assert.equal(reassembler.waitingSince(part('second', 2, 2)), 5_000, 'a part of the same message, not yet added');
    assert.equal(reassembler.waitingSince(part('x', 1, 2, 8)), 6_000);
    reassembler.add(part('second', 2, 2));
    assert.equal(reassembler.waitingSince(part('second', 2, 2)), undefined);
    assert.equal(reassembler.waitingSince({ transport: 'smpp', from: '+4790000001', to: '+4712345', text: 'hi', receivedAt: new Date(5) }), undefined);
  });

  it('a part added with an earlier first arrival (reloaded after a restart) is released when that wait ends', () => {
    now = 50_000;
    reassembler.add(part('First, ', 1), 10_000);
    assert.equal(reassembler.nextExpiryAt(), 70_000);
    now = 70_000;
    assert.equal(reassembler.expire()[0]?.text, 'First, ');
  });

  it('beyond maxPending the oldest waiting message is released incomplete', () => {
    reassembler.add(part('a', 1, 2, 1));
    reassembler.add(part('b', 1, 2, 2));
    const released = reassembler.add(part('c', 1, 2, 3));
    assert.equal(released.length, 1);
    assert.equal(released[0]?.text, 'a');
    assert.equal(released[0]?.complete, false);
    assert.equal(reassembler.pendingCount, 2);
  });
});
