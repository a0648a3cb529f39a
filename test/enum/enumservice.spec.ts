// Tests of enumservice matching (RFC 6116 §3.4.3) and of URI schemes per service.
import { strict as assert } from 'node:assert';
import type { EnumService } from '../../src/enum';
import { hasSchemeFor, namesNoEnumservice, servesEnumservice } from '../../src/enum/enumservice';

describe('enumservice', () => {
  describe('servesEnumservice matches whole type[:subtype] tokens after E2U, case-insensitively', () => {
    const cases: Array<[string, EnumService, boolean]> = [
      ['E2U+im', 'im', true],
      ['e2u+IM', 'im', true],
      ['E2U+sip+im', 'im', true],
      ['E2U+sip:im', 'im', false],
      ['E2U+sip:im', 'sip', false],
      ['E2U+pstn:tel', 'pstn:tel', true],
      ['E2U+pstn', 'pstn:tel', false],
      ['E2U+pstn:sip', 'pstn:tel', false],
      ['E2U+pres', 'pres', true],
      ['E2U+presence', 'pres', false],
      ['E2U+sip', 'sip', true],
      ['E2U', 'im', false],
      ['im+E2U', 'im', false],
      ['X2U+im', 'im', false],
      ['', 'im', false],
    ];
    for (const [services, service, serves] of cases) {
      it(`${JSON.stringify(services)} ${serves ? 'serves' : 'does not serve'} ${service}`, () =>
        assert.equal(servesEnumservice(services, service), serves));
    }
  });

  describe('hasSchemeFor', () => {
    const cases: Array<[string, EnumService, boolean]> = [
      ['im:+4790000001@imsp-b.test', 'im', true],
      ['IM:alice@b.test', 'im', true],
      ['pres:alice@b.test', 'im', false],
      ['pres:alice@b.test', 'pres', true],
      ['sip:alice@b.test', 'sip', true],
      ['sips:alice@b.test', 'sip', true],
      ['tel:+4790000001;npdi', 'pstn:tel', true],
      ['sip:+4790000001@b.test', 'pstn:tel', false],
      ['im:', 'im', false],
      ['http://b.test/', 'im', false],
    ];
    for (const [uri, service, ok] of cases) it(`${uri} for ${service}: ${ok}`, () => assert.equal(hasSchemeFor(uri, service), ok));
  });

  it('namesNoEnumservice: empty or bare E2U (non-terminal records)', () => {
    assert.equal(namesNoEnumservice(''), true);
    assert.equal(namesNoEnumservice('e2u'), true);
    assert.equal(namesNoEnumservice('E2U+im'), false);
  });
});
