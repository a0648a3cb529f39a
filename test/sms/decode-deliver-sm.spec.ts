// deliver_sm decoding golden tests (fixtures/smpp/deliver-sm.json): receipts, MO, and refusals with their status.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as smpp from 'smpp';
import { decodeDeliverSm } from '../../src/sms';
import { fixturePath } from '../support/paths';

interface GoldenCase {
  name: string;
  pdu: string;
  expected: { kind: string; receipt?: Record<string, unknown>; sms?: Record<string, unknown>; status?: number; reason?: string };
}

const golden = JSON.parse(readFileSync(fixturePath('smpp', 'deliver-sm.json'), 'utf8')) as { cases: GoldenCase[] };
const receivedAt = new Date('2026-11-23T12:30:00Z');
const formats = { submitResponse: 'hex', receiptText: 'decimal' } as const;

/** The expected value with ISO date strings turned into Dates and the injected receivedAt added. */
function expectedValue(expected: GoldenCase['expected']): unknown {
  if (expected.receipt) {
    const { doneAt, ...rest } = expected.receipt;
    return { kind: 'receipt', receipt: { ...rest, receivedAt, ...(doneAt ? { doneAt: new Date(String(doneAt)) } : {}) } };
  }
  if (expected.sms) return { kind: 'mo', sms: { ...expected.sms, receivedAt } };
  return expected;
}

describe('decodeDeliverSm (golden PDUs)', () => {
  for (const { name, pdu, expected } of golden.cases) {
    it(name, () => {
      const decoded = new smpp.PDU(Buffer.from(pdu, 'hex'));
      assert.equal(decoded.command, 'deliver_sm');
      assert.deepEqual(decodeDeliverSm(decoded, formats, receivedAt), expectedValue(expected));
    });
  }

  it('with opaque ids the receipt keeps the id text as given', () => {
    const receipt = golden.cases.find((c) => c.name === 'receipt-text-only-decimal-id');
    const meaning = decodeDeliverSm(new smpp.PDU(Buffer.from(receipt?.pdu ?? '', 'hex')), { submitResponse: 'text', receiptText: 'text' }, receivedAt);
    assert.equal(meaning.kind === 'receipt' && meaning.receipt.smscMessageId, '0000065537');
  });
});
