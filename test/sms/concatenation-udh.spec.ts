// UDH concatenation tests (3GPP TS 23.040 §9.2.3.24.1 / .24.8): build, strict parse, IE validation.
import { strict as assert } from 'node:assert';
import { buildConcatUdh, concatenationOf, parseUdh } from '../../src/sms';

describe('concatenation UDH', () => {
  it('builds the 6-octet 8-bit reference header', () => {
    assert.equal(buildConcatUdh(0x1a7, 3, 2).toString('hex'), '050003a70302');
  });

  const cases: Array<{ name: string; hex: string; expected: ReturnType<typeof concatenationOf> | 'garbled' }> = [
    { name: '8-bit reference', hex: '0500030a0201', expected: { reference: 10, total: 2, sequence: 1 } },
    { name: '16-bit reference', hex: '060804beef0302', expected: { reference: 0xbeef, total: 3, sequence: 2 } },
    { name: 'concat after another element', hex: '0a0a0300010200030a0202', expected: { reference: 10, total: 2, sequence: 2 } },
    { name: 'total 0 is ignored', hex: '0500030a0001', expected: undefined },
    { name: 'sequence beyond total is ignored', hex: '0500030a0203', expected: undefined },
    { name: 'sequence 0 is ignored', hex: '0500030a0200', expected: undefined },
    { name: 'no concat element', hex: '0424020001', expected: undefined },
    { name: 'UDHL longer than the header', hex: '0600030a0201', expected: 'garbled' },
    { name: 'element length overruns', hex: '0500050a0201', expected: 'garbled' },
    { name: 'empty', hex: '', expected: 'garbled' },
  ];
  for (const { name, hex, expected } of cases) {
    it(name, () => {
      const elements = parseUdh(Buffer.from(hex, 'hex'));
      if (expected === 'garbled') return assert.equal(elements, undefined);
      assert.ok(elements);
      assert.deepEqual(concatenationOf(elements), expected);
    });
  }
});
