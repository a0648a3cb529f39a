import { strict as assert } from 'node:assert';
import { hopTransactions, uncertainGroupsAfter, type HopSend } from '../../src/routing/hop-transactions';
import { outboundTransactionID } from '../../src/routing/outbound-transaction-id';
import type { UncertainGroup } from '../../src/store';

const P = 'imsp-b.test';
const Q = 'imsp-c.test';
const idOf = (hop: string, targets: string[]) => outboundTransactionID('rec-1', hop, targets);
const group = (hop: string, targets: string[], sent = targets): UncertainGroup => ({ hop, transactionID: idOf(hop, sent), targets, firstSend: sent });

describe('hopTransactions', () => {
  const cases: Array<{ name: string; targets: string[]; groups: UncertainGroup[]; expected: Array<{ transactionID: string; targets: string[]; replayOf?: string[] }> }> = [
    { name: 'no groups: one transaction under the id of its recipients', targets: ['a', 'b'], groups: [], expected: [{ transactionID: idOf(P, ['a', 'b']), targets: ['a', 'b'] }] },
    { name: "another hop's groups change nothing", targets: ['a', 'b'], groups: [group(Q, ['a'])], expected: [{ transactionID: idOf(P, ['a', 'b']), targets: ['a', 'b'] }] },
    {
      name: 'a group that ENUM joined a recipient to since: the group apart, under its own id',
      targets: ['a', 'b'],
      groups: [group(P, ['a'])],
      expected: [
        { transactionID: idOf(P, ['a']), targets: ['a'], replayOf: ['a'] },
        { transactionID: idOf(P, ['b']), targets: ['b'] },
      ],
    },
    {
      name: 'what remains of a wider group keeps the wider id',
      targets: ['a'],
      groups: [group(P, ['a', 'c'])],
      expected: [{ transactionID: idOf(P, ['a', 'c']), targets: ['a'], replayOf: ['a', 'c'] }],
    },
    {
      name: 'a group narrowed by an uncertain send takes only the recipients of that send',
      targets: ['a', 'c'],
      groups: [group(P, ['a'], ['a', 'c'])],
      expected: [
        { transactionID: idOf(P, ['a', 'c']), targets: ['a'], replayOf: ['a', 'c'] },
        { transactionID: idOf(P, ['c']), targets: ['c'] },
      ],
    },
    {
      name: 'several groups and the rest, each its own transaction',
      targets: ['d', 'a', 'b', 'c'],
      groups: [group(P, ['a', 'b']), group(P, ['c'])],
      expected: [
        { transactionID: idOf(P, ['d']), targets: ['d'] },
        { transactionID: idOf(P, ['a', 'b']), targets: ['a', 'b'], replayOf: ['a', 'b'] },
        { transactionID: idOf(P, ['c']), targets: ['c'], replayOf: ['c'] },
      ],
    },
  ];
  for (const { name, targets, groups, expected } of cases) {
    it(name, () => assert.deepEqual(hopTransactions('rec-1', P, targets, groups), expected));
  }
});

describe('uncertainGroupsAfter', () => {
  const send = (hop: string, targets: string[], uncertain: boolean, sentAs = targets): HopSend => ({ hop, transactionID: idOf(hop, sentAs), targets, uncertain });

  it('remembers an uncertain send with its recipients', () => {
    assert.deepEqual(uncertainGroupsAfter([], [send(P, ['a', 'b'], true), send(Q, ['c'], false)]), [group(P, ['a', 'b'])]);
  });

  it('remembers a group once: the same array when a send repeats it', () => {
    const groups = [group(P, ['a', 'b'])];
    assert.equal(uncertainGroupsAfter(groups, [send(P, ['a', 'b'], true)]), groups);
  });

  it('keeps the same array when nothing was uncertain or answered under a group', () => {
    const groups = [group(P, ['a'])];
    assert.equal(uncertainGroupsAfter(groups, [send(Q, ['c'], false)]), groups);
    const none: UncertainGroup[] = [];
    assert.equal(uncertainGroupsAfter(none, [send(P, ['b'], false)]), none);
  });

  it('narrows a group to the recipients of an uncertain send under its id', () => {
    assert.deepEqual(uncertainGroupsAfter([group(P, ['a', 'c'])], [send(P, ['a'], true, ['a', 'c'])]), [group(P, ['a'], ['a', 'c'])]);
  });

  it('keeps the recipients of the first send when a group narrows again, and takes a group stored without them as its own', () => {
    const narrowed = uncertainGroupsAfter([group(P, ['a', 'b'], ['a', 'b', 'c'])], [send(P, ['a'], true, ['a', 'b', 'c'])]);
    assert.deepEqual(narrowed, [group(P, ['a'], ['a', 'b', 'c'])]);
    const stored: UncertainGroup = { hop: P, transactionID: idOf(P, ['a', 'b']), targets: ['a', 'b'] };
    assert.deepEqual(hopTransactions('rec-1', P, ['a'], [stored]), [{ transactionID: idOf(P, ['a', 'b']), targets: ['a'], replayOf: ['a', 'b'] }]);
  });

  it('ends a group when a send under its id is answered', () => {
    assert.deepEqual(uncertainGroupsAfter([group(P, ['a', 'c']), group(Q, ['d'])], [send(P, ['a'], false, ['a', 'c'])]), [group(Q, ['d'])]);
  });

  it('remembers nothing for a send without recipients (its id is the same in every round)', () => {
    const none: UncertainGroup[] = [];
    assert.equal(uncertainGroupsAfter(none, [send(P, [], true)]), none);
  });
});
