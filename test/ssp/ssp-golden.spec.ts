// Golden tests of the WV-SSP 1.3 codec: Baraza wire captures and profile §2–§6 constructs, both directions.
import { strict as assert } from 'node:assert';
import { decodeSspMessage, encodeSspMessage } from '../../src/ssp';
import { barazaCases, goldenCases, type GoldenCase } from './ssp-fixtures';

function describeGoldens(title: string, cases: GoldenCase[]): void {
  describe(title, () => {
    it('has fixtures', () => assert.ok(cases.length > 0));
    for (const golden of cases) {
      it(`${golden.name}: decodes to the expected value`, () => {
        assert.deepStrictEqual(decodeSspMessage(golden.body), golden.expected);
      });
      it(`${golden.name}: expected value encodes and decodes back equal`, () => {
        assert.deepStrictEqual(decodeSspMessage(encodeSspMessage(golden.expected)), golden.expected);
      });
      if (golden.encoded !== undefined) {
        const encoded = golden.encoded;
        it(`${golden.name}: encodes to the golden bytes`, () => {
          assert.equal(encodeSspMessage(golden.expected), encoded);
        });
      }
    }
  });
}

describe('ssp codec goldens', () => {
  const baraza = barazaCases();
  const profile = goldenCases();

  it('covers all nine Baraza captures', () => assert.equal(baraza.length, 9));
  it('pins the encoder output for at least one golden', () => {
    assert.ok(profile.some((golden) => golden.encoded !== undefined));
  });

  describeGoldens('Baraza captures (ssp-captures, real wire data)', baraza);
  describeGoldens('profile constructs (ssp-profile.md §2–§6)', profile);
});
