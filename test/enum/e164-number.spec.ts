// Tests of E.164 input forms, rejection before DNS (seed 001 wildcards) and ENUM domain names (RFC 6116 §2.4).
import { strict as assert } from 'node:assert';
import { GatewayError } from '../../src/errors';
import { isAus, parseE164Number, toAus, toEnumDomain } from '../../src/enum';

describe('e164-number', () => {
  describe('toAus accepts the three input forms and strips visual separators', () => {
    const cases: Array<[string, string]> = [
      ['+4790000001', '+4790000001'],
      ['wv:+4790000001', '+4790000001'],
      ['WV:+4790000001', '+4790000001'],
      ['tel:+4790000001', '+4790000001'],
      ['tel:+47-900-00-001', '+4790000001'],
      ['+47 (900) 00.001', '+4790000001'],
      [' +4790000001 ', '+4790000001'],
      ['+999123456789012', '+999123456789012'],
    ];
    for (const [input, aus] of cases) it(`${JSON.stringify(input)} → ${aus}`, () => assert.equal(toAus(input), aus));
  });

  describe('toAus rejects with ENUM_REJECTED / IMPS 402', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['wv:', /empty/],
      ['4790000001', /must start with \+/],
      ['wv:4790000001', /must start with \+/],
      ['+4790*', /wildcard character '\*'/],
      ['+47%', /wildcard character '%'/],
      ['+479000000?', /wildcard character '\?'/],
      ['+47900abc', /unexpected character 'a'/],
      ['+4790000001@imsp-a.test', /unexpected character '@'/],
      ['+1234567890123456', /at most 15 digits, this one has 16/],
      ['+', /no digits/],
      ['+ - ()', /no digits/],
      ['+0471234', /never starts with 0/],
      ['tel:+4790000001;npdi', /unexpected character ';'/],
    ];
    for (const [input, description] of cases) {
      it(JSON.stringify(input), () => {
        assert.throws(
          () => toAus(input),
          (error: unknown) =>
            error instanceof GatewayError && error.code === 'ENUM_REJECTED' && error.impsStatus === 402 && description.test(error.message),
        );
      });
    }
  });

  it('isAus is true only for the canonical +digits form', () => {
    assert.equal(isAus('+4790000001'), true);
    for (const other of ['4790000001', '+47 900', 'wv:+47', '+', '+0123', '+1234567890123456']) assert.equal(isAus(other), false, other);
  });

  it('parseE164Number flags the number plan but accepts test numbers of unknown ranges', () => {
    assert.deepEqual(parseE164Number('wv:+4790000001'), { aus: '+4790000001', regionCode: 'NO', validForRegion: true });
    const unknownPlan = parseE164Number('+999123');
    assert.equal(unknownPlan.aus, '+999123');
    assert.equal(unknownPlan.validForRegion, false);
    assert.equal(unknownPlan.regionCode, null);
    assert.equal(parseE164Number('+4412345').validForRegion, false);
  });

  it('toEnumDomain reverses the digits under the suffix (RFC 6116 §2.4)', () => {
    assert.equal(toEnumDomain('+4790000001', 'e164.arpa'), '1.0.0.0.0.0.0.9.7.4.e164.arpa');
    assert.equal(toEnumDomain('+12', 'e164enum.net'), '2.1.e164enum.net');
  });
});
