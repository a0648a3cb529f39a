import { strict as assert } from 'node:assert';
import { PURGE_STEP, purgeInSteps } from '../../src/store';

/** A store holding `rows` old rows, recording each call's limit. */
function oldRows(rows: number) {
  const limits: number[] = [];
  let left = rows;
  const forget = async (limit: number) => {
    limits.push(limit);
    const forgotten = Math.min(limit, left);
    left -= forgotten;
    return forgotten;
  };
  return { forget, limits, left: () => left };
}

describe('purgeInSteps', () => {
  it('stops at the first step that finds less than a step to forget', async () => {
    const store = oldRows(2 * PURGE_STEP + 1);
    await purgeInSteps(store.forget, 10);
    assert.deepEqual(store.limits, [PURGE_STEP, PURGE_STEP, PURGE_STEP]);
    assert.equal(store.left(), 0);
  });

  it('leaves what is beyond its steps for the next purge', async () => {
    const store = oldRows(5 * PURGE_STEP);
    await purgeInSteps(store.forget, 2);
    assert.equal(store.left(), 3 * PURGE_STEP);
  });

  it('takes no further step once stopped', async () => {
    const store = oldRows(5 * PURGE_STEP);
    let stopped = false;
    const purging = purgeInSteps(store.forget, 10, () => stopped);
    stopped = true;
    await purging;
    assert.equal(store.limits.length, 1);
  });
});
