// GSM 03.38 alphabet table tests (3GPP TS 23.038 §6.2.1): septet counts and unpacked encoding.
import { strict as assert } from 'node:assert';
import * as smpp from 'smpp';
import { encodeGsm7, measureGsm7 } from '../../src/sms';

describe('GSM 7-bit alphabet', () => {
  const cases: Array<{ name: string; text: string; septets: number | undefined; hex?: string }> = [
    { name: 'plain ASCII', text: 'Hello world', septets: 11, hex: '48656c6c6f20776f726c64' },
    { name: 'GSM basic specials @£$¥', text: '@£$¥', septets: 4, hex: '00010203' },
    { name: 'Greek capitals and Nordic letters', text: 'ΔΩÆøÅ', septets: 5, hex: '10151c0c0e' },
    { name: 'extension table', text: '{}[]~^|\\€', septets: 18, hex: '1b281b291b3c1b3e1b3d1b141b401b2f1b65' },
    { name: 'form feed (extension 0x0A)', text: 'a\fb', septets: 4, hex: '611b0a62' },
    { name: 'CR and LF are basic', text: 'a\r\nb', septets: 4, hex: '610d0a62' },
    { name: 'empty text', text: '', septets: 0, hex: '' },
    { name: 'Cyrillic is not GSM', text: 'Привет', septets: undefined },
    { name: 'emoji is not GSM', text: 'hi 😀', septets: undefined },
    { name: 'lower-case ç is not GSM (only Ç)', text: 'ç', septets: undefined },
    { name: 'a raw ESC is not text', text: 'a\u001bb', septets: undefined },
    { name: 'backtick is not GSM', text: '`', septets: undefined },
  ];
  for (const { name, text, septets, hex } of cases) {
    it(`${name}: ${septets === undefined ? 'not GSM' : `${septets} septets`}`, () => {
      assert.equal(measureGsm7(text), septets);
      if (hex !== undefined) assert.equal(encodeGsm7(text).toString('hex'), hex);
    });
  }

  it('agrees with node-smpp\'s independent GSM coder on every basic and extension character', () => {
    const all = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà\f^{}\\[~]|€';
    assert.deepEqual(encodeGsm7(all), smpp.gsmCoder.encode(all, 0x00));
    assert.equal(smpp.gsmCoder.decode(encodeGsm7(all), 0x00), all);
  });

  it('refuses to encode a character outside the alphabet', () => {
    assert.throws(() => encodeGsm7('Ж'), { code: 'INTERNAL' });
  });
});
