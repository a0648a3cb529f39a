// IM → SMS composition tests (IM-0030, GEN-6): alphabet choice, segmentation boundaries, oversize policies.
import { strict as assert } from 'node:assert';
import { composeSms, type SmsTextPolicy } from '../../src/sms';

const reject: SmsTextPolicy = { oversize: 'reject', maxParts: 4, prefix: '', suffix: '' };
const truncate: SmsTextPolicy = { ...reject, oversize: 'truncate' };
const concatenate: SmsTextPolicy = { ...reject, oversize: 'concatenate' };

interface Case {
  name: string;
  text: string;
  policy: SmsTextPolicy;
  encoding?: 'gsm7' | 'ucs2';
  /** Units per segment. */
  parts?: number[];
  truncated?: boolean;
  tooLong?: true;
}

const a = (count: number) => 'a'.repeat(count);
const zhe = (count: number) => 'Ж'.repeat(count);

const cases: Case[] = [
  { name: 'plain ASCII', text: 'Hello from IM', policy: reject, encoding: 'gsm7', parts: [13] },
  { name: 'GSM basic @£$¥', text: '@£$¥', policy: reject, encoding: 'gsm7', parts: [4] },
  { name: 'extension characters count two septets', text: '{}[]~^|\\€', policy: reject, encoding: 'gsm7', parts: [18] },
  { name: 'Cyrillic goes UCS-2', text: 'Привет', policy: reject, encoding: 'ucs2', parts: [6] },
  { name: 'emoji goes UCS-2 and counts two units', text: 'ok 😀', policy: reject, encoding: 'ucs2', parts: [5] },
  { name: 'exactly 160 GSM chars fit one SMS', text: a(160), policy: reject, encoding: 'gsm7', parts: [160] },
  { name: '159 chars + one extension char = 161 septets is too long', text: a(159) + '€', policy: reject, tooLong: true },
  { name: '161 GSM chars: reject', text: a(161), policy: reject, tooLong: true },
  { name: '161 GSM chars: truncate to 160', text: a(161), policy: truncate, encoding: 'gsm7', parts: [160], truncated: true },
  { name: '161 GSM chars: concatenate 153 + 8', text: a(161), policy: concatenate, encoding: 'gsm7', parts: [153, 8] },
  { name: 'extension char at the part boundary moves whole to part 2', text: a(152) + '€' + 'b'.repeat(7), policy: concatenate, encoding: 'gsm7', parts: [152, 9] },
  { name: 'extension char at the end of a truncation is dropped whole', text: a(159) + '€', policy: truncate, encoding: 'gsm7', parts: [159], truncated: true },
  { name: 'exactly 70 UCS-2 units fit one SMS', text: zhe(70), policy: reject, encoding: 'ucs2', parts: [70] },
  { name: '71 UCS-2 units: reject', text: zhe(71), policy: reject, tooLong: true },
  { name: '71 UCS-2 units: truncate to 70', text: zhe(71), policy: truncate, encoding: 'ucs2', parts: [70], truncated: true },
  { name: '71 UCS-2 units: concatenate 67 + 4', text: zhe(71), policy: concatenate, encoding: 'ucs2', parts: [67, 4] },
  { name: 'emoji at the 67-unit boundary stays whole in part 2', text: zhe(66) + '😀' + zhe(10), policy: concatenate, encoding: 'ucs2', parts: [66, 12] },
  { name: 'emoji that would straddle 70 is cut whole', text: zhe(69) + '😀', policy: truncate, encoding: 'ucs2', parts: [69], truncated: true },
  { name: 'truncate keeps 160 GSM chars before a late non-GSM char', text: a(165) + 'Ж', policy: truncate, encoding: 'gsm7', parts: [160], truncated: true },
  { name: 'truncate prefers UCS-2 when the non-GSM char comes early', text: a(20) + 'Ж' + a(100), policy: truncate, encoding: 'ucs2', parts: [70], truncated: true },
  { name: 'concatenate beyond maxParts is refused', text: a(153 * 4 + 1), policy: concatenate, tooLong: true },
  { name: 'concatenate up to maxParts', text: a(153 * 4), policy: concatenate, encoding: 'gsm7', parts: [153, 153, 153, 153] },
];

describe('composeSms', () => {
  for (const c of cases) {
    it(c.name, () => {
      if (c.tooLong) {
        assert.throws(() => composeSms({ text: c.text }, c.policy), { code: 'SMS_TOO_LONG', impsStatus: 402, transient: false });
        return;
      }
      const sms = composeSms({ text: c.text }, c.policy);
      assert.equal(sms.encoding, c.encoding);
      assert.equal(sms.dataCoding, c.encoding === 'gsm7' ? 0x00 : 0x08);
      assert.deepEqual(sms.segments.map((segment) => segment.units), c.parts);
      assert.equal(sms.truncated, c.truncated ?? false);
      assert.equal(sms.segments.map((segment) => segment.text).join(''), sms.text);
      for (const segment of sms.segments) {
        assert.equal(segment.payload.length, c.encoding === 'gsm7' ? segment.units : segment.units * 2);
        assert.ok(!/[\uD800-\uDBFF]$/.test(segment.text), 'no segment ends inside a surrogate pair');
      }
      if (!c.truncated) assert.equal(sms.text, c.text);
    });
  }

  it('payloads are unpacked septets for GSM and UTF-16BE for UCS-2', () => {
    assert.equal(composeSms({ text: '@€' }, reject).segments[0]?.payload.toString('hex'), '001b65');
    assert.equal(composeSms({ text: 'Ж😀' }, reject).segments[0]?.payload.toString('hex'), '0416d83dde00');
  });

  describe('operator text (seed 000 footnotes 4–5) counts within the limit', () => {
    const prefixed: SmsTextPolicy = { ...reject, prefix: 'IM from {sender}: ', suffix: ' -- reply by SMS' };
    const fixed = 'IM from alice: '.length + ' -- reply by SMS'.length;

    it('substitutes the sender and keeps GSM', () => {
      const sms = composeSms({ text: 'hi', sender: 'alice' }, prefixed);
      assert.equal(sms.text, 'IM from alice: hi -- reply by SMS');
      assert.equal(sms.encoding, 'gsm7');
    });

    it('a message that fits alone but not with the operator text is too long', () => {
      composeSms({ text: a(160 - fixed), sender: 'alice' }, prefixed);
      assert.throws(() => composeSms({ text: a(161 - fixed), sender: 'alice' }, prefixed), { code: 'SMS_TOO_LONG' });
    });

    it('truncation cuts the IM text and keeps the operator text whole', () => {
      const sms = composeSms({ text: a(200), sender: 'alice' }, { ...prefixed, oversize: 'truncate' });
      assert.equal(sms.text, `IM from alice: ${a(160 - fixed)} -- reply by SMS`);
      assert.equal(sms.units, 160);
    });

    it('a non-GSM character in the operator text makes the whole SMS UCS-2', () => {
      const sms = composeSms({ text: 'hello', sender: 'Жанна' }, prefixed);
      assert.equal(sms.encoding, 'ucs2');
    });

    it('operator text that alone overflows one SMS cannot be truncated into shape', () => {
      assert.throws(() => composeSms({ text: 'x' }, { ...truncate, prefix: zhe(71) }), { code: 'SMS_TOO_LONG' });
    });
  });
});
