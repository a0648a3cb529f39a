// Tests of number-portability data in pstn:tel URIs (RFC 4769, RFC 4694 npdi/rn, RFC 3966 contexts).
import { strict as assert } from 'node:assert';
import { parseNumberPortability } from '../../src/enum';

describe('number-portability', () => {
  const cases: Array<[string, { npdi: boolean; rn: string | null }, RegExp | null]> = [
    ['tel:+4790000001;npdi;rn=+4791000000', { npdi: true, rn: '+4791000000' }, null],
    ['tel:+4790000001;npdi', { npdi: true, rn: null }, null],
    ['tel:+4790000001', { npdi: false, rn: null }, null],
    ['tel:+4790000001;NPDI;RN=+47-910-00.000', { npdi: true, rn: '+4791000000' }, null],
    ['tel:+4790000001;npdi;rn=4791000000;rn-context=+47', { npdi: true, rn: '+474791000000' }, null],
    ['tel:+4790000001;rn-context=+47;rn=91000000;npdi', { npdi: true, rn: '+4791000000' }, null],
    ['tel:+4790000001;npdi;rn=4791000000', { npdi: true, rn: null }, /rn-context missing or not numeric/],
    ['tel:+4790000001;npdi;rn=4791000000;rn-context=operator.test', { npdi: true, rn: null }, /cannot be read/],
    ['tel:+4790000001;npdi;rn=+4791000000123456', { npdi: true, rn: null }, /cannot be read/],
  ];
  for (const [uri, np, problem] of cases) {
    it(uri, () => {
      const parsed = parseNumberPortability(uri);
      assert.deepEqual(parsed.np, np);
      if (problem === null) assert.equal(parsed.problem, null);
      else assert.match(parsed.problem ?? '', problem);
    });
  }
});
