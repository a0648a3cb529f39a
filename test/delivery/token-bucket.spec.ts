import { strict as assert } from 'node:assert';
import { TokenBucket } from '../../src/delivery';

describe('TokenBucket', () => {
  it('allows the burst at once, then the rate, and tells how long to wait', () => {
    let now = 0;
    const bucket = new TokenBucket({ transactionsPerSecond: 2, burst: 3, now: () => now });
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
    assert.equal(bucket.secondsUntilNext(), 1);
    now = 500; // half a second at 2/s: one token
    assert.equal(bucket.take(), true);
    assert.equal(bucket.take(), false);
    now = 10_000; // refills to the burst, not beyond
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
  });

  it('rounds a sub-second wait up to whole seconds for TryAgainTimeout', () => {
    let now = 0;
    const bucket = new TokenBucket({ transactionsPerSecond: 0.25, burst: 1, now: () => now });
    bucket.take();
    assert.equal(bucket.secondsUntilNext(), 4);
    now = 3500;
    assert.equal(bucket.secondsUntilNext(), 1);
  });
});
