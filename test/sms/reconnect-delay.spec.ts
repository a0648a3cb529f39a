// Reconnect backoff tests: exponential ceiling, capped, equal jitter (never an instant retry storm).
import { strict as assert } from 'node:assert';
import { reconnectDelayMs } from '../../src/sms';

describe('reconnectDelayMs', () => {
  const cases: Array<{ attempt: number; random: number; expected: number }> = [
    { attempt: 0, random: 0, expected: 500 },
    { attempt: 0, random: 1, expected: 1_000 },
    { attempt: 1, random: 0.5, expected: 1_500 },
    { attempt: 3, random: 0, expected: 4_000 },
    { attempt: 6, random: 1, expected: 60_000 },
    { attempt: 30, random: 0, expected: 30_000 },
  ];
  for (const { attempt, random, expected } of cases) {
    it(`attempt ${attempt}, random ${random} → ${expected} ms`, () => {
      assert.equal(reconnectDelayMs(attempt, 1_000, 60_000, () => random), expected);
    });
  }
});
