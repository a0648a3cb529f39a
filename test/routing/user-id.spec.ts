import { strict as assert } from 'node:assert';
import { parseServiceId, parseUserId } from '../../src/routing';

describe('parseUserId', () => {
  const cases: Array<[string, { local: string; domain: string | null; msisdn: string | null } | null]> = [
    ['wv:alice@imsp-a.test', { local: 'alice', domain: 'imsp-a.test', msisdn: null }],
    ['WV:alice@IMSP-A.TEST', { local: 'alice', domain: 'imsp-a.test', msisdn: null }],
    ['wv:+4790000001', { local: '+4790000001', domain: null, msisdn: '+4790000001' }],
    ['wv:+4790000001@imsp-a.test', { local: '+4790000001', domain: 'imsp-a.test', msisdn: '+4790000001' }],
    ['wv:4790000001', { local: '4790000001', domain: null, msisdn: null }],
    ['wv:@imsp-a.test', null],
    ['wv:alice@', null],
    ['alice@imsp-a.test', null],
  ];
  for (const [input, expected] of cases) {
    it(input, () => {
      const parsed = parseUserId(input);
      assert.deepEqual(parsed && { local: parsed.local, domain: parsed.domain, msisdn: parsed.msisdn }, expected);
    });
  }

  it('reads service ids', () => {
    assert.equal(parseServiceId(' wv:@IMSP-B.test '), 'imsp-b.test');
    assert.equal(parseServiceId('wv:bob@imsp-b.test'), null);
  });
});
