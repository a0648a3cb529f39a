import { strict as assert } from 'node:assert';
import { retryDelayMs } from '../../src/delivery';

describe('retryDelayMs', () => {
  const schedule = { initialMs: 1000, maxMs: 10_000, jitter: 0.2 };
  const cases: Array<[number, number, number]> = [
    // attempts, random, expected delay
    [1, 0.5, 1000],
    [2, 0.5, 2000],
    [3, 0.5, 4000],
    [5, 0.5, 10_000], // capped
    [1, 0, 800], // -20 %
    [1, 1, 1200], // +20 %
    [40, 0.5, 10_000], // no overflow
  ];
  for (const [attempts, random, expected] of cases) {
    it(`after ${attempts} failure(s), random ${random} → ${expected} ms`, () => {
      assert.equal(retryDelayMs(schedule, attempts, () => random), expected);
    });
  }
});
