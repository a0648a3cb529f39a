// Tests of RFC 2782 target ordering: priority ascending, weighted random within a priority, zero weights.
import { strict as assert } from 'node:assert';
import type { SrvData } from '../../src/dns';
import { orderSrvRecords } from '../../src/enum/srv-order';

function srv(target: string, priority: number, weight: number): SrvData {
  return { target, priority, weight, port: 5269 };
}

/** Returns the given values in turn. */
function sequence(...values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length] as number;
}

describe('srv-order', () => {
  const cases: Array<{ name: string; records: SrvData[]; random: number[]; order: string[] }> = [
    { name: 'priority ascending', records: [srv('b', 20, 0), srv('a', 10, 0)], random: [0], order: ['a', 'b'] },
    { name: 'a low random number picks the first weight', records: [srv('a', 10, 60), srv('b', 10, 40)], random: [0, 0], order: ['a', 'b'] },
    { name: 'a high random number picks the second weight', records: [srv('a', 10, 60), srv('b', 10, 40)], random: [0.7, 0], order: ['b', 'a'] },
    { name: 'a zero-weight record comes after the weighted ones, even on the lowest draw', records: [srv('z', 10, 0), srv('a', 10, 10)], random: [0, 0], order: ['a', 'z'] },
    { name: 'a zero-weight record loses to any draw', records: [srv('a', 10, 10), srv('z', 10, 0)], random: [0.5, 0], order: ['a', 'z'] },
    { name: 'all zero weights: listed order', records: [srv('z1', 10, 0), srv('z2', 10, 0)], random: [0.9], order: ['z1', 'z2'] },
    {
      name: 'each priority is ordered on its own',
      records: [srv('c', 20, 1), srv('a', 10, 1), srv('d', 20, 1), srv('b', 10, 1)],
      random: [0.99, 0, 0, 0],
      order: ['b', 'a', 'c', 'd'],
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.deepEqual(orderSrvRecords(testCase.records, sequence(...testCase.random)).map((record) => record.target), testCase.order);
    });
  }

  it('chooses first in exact proportion to weight, the first record listed no more often', () => {
    const firstShare = (weights: [number, number]) => {
      let first = 0;
      for (let k = 0; k < 1000; k += 1) {
        const order = orderSrvRecords([srv('a', 10, weights[0]), srv('b', 10, weights[1])], sequence(k / 1000, 0));
        if (order[0]?.target === 'a') first += 1;
      }
      return first / 1000;
    };
    assert.equal(firstShare([60, 40]), 0.6);
    assert.equal(firstShare([1, 1]), 0.5);
    assert.equal(firstShare([1, 3]), 0.25);
  });
});
