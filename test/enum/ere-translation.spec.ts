// Tests of the POSIX ERE → RE2 translation (IEEE 1003.1 §9.4): what is kept, rebuilt, or refused.
import { strict as assert } from 'node:assert';
import { RE2JS } from 're2js';
import { translateEre } from '../../src/enum/ere-translation';

describe('ere-translation', () => {
  describe('translates', () => {
    const cases: Array<[string, string]> = [
      ['^.*$', '^.*$'],
      ['^\\+47(.*)$', '^\\+47(.*)$'],
      ['a|b', 'a|b'],
      ['[[:digit:]]{3}', '[[:digit:]]{3}'],
      ['[]a]', '[\\]a]'],
      ['[^]a]', '[^\\]a]'],
      ['[a\\]', '[a\\\\]'],
      ['[a-]', '[a\\-]'],
      ['[-a]', '[\\-a]'],
      ['[0-9]', '[0-9]'],
      ['[[=a=]b]', '[ab]'],
      ['[[.-.]x]', '[\\-x]'],
      ['a}b]', 'a\\}b\\]'],
      ['@x', '\\@x'],
      ['a{2,}', 'a{2,}'],
      ['a-b', 'a\\-b'],
      ['[%--]', '[\\%-\\-]'],
      ['é+ b', 'é+ b'],
      ['(ab){1,3}', '(ab){1,3}'],
    ];
    for (const [ere, re2] of cases) {
      it(`${ere} → ${re2}`, () => {
        assert.deepEqual(translateEre(ere), { kind: 'ok', source: re2 });
        assert.doesNotThrow(() => RE2JS.compile(re2));
      });
    }
  });

  describe('refuses constructs ERE lacks or that cost too much', () => {
    const cases: Array<[string, RegExp]> = [
      ['\\d+', /\\d is not POSIX ERE/],
      ['(a)\\1', /\\1 is not POSIX ERE/],
      ['(?i)a', /\(\? is not POSIX ERE/],
      ['a*?', /nothing to repeat/],
      ['a**', /nothing to repeat/],
      ['*a', /nothing to repeat/],
      ['(a', /unbalanced \(/],
      ['a)', /unmatched \)/],
      ['[abc', /unterminated \[/],
      ['[[:digits:]]', /unknown character class/],
      ['[z-a]', /invalid range/],
      ['a{300}', /out of range/],
      ['a{3,2}', /out of range/],
      ['a{x}', /malformed/],
      ['a\\', /ends with a backslash/],
      ['[[.ch.]]', /collating/],
      ['((a{100}){100})', /too complex/],
      ['[0-9]{1,200}'.repeat(20), /too complex/],
    ];
    for (const [ere, reason] of cases) {
      it(ere.length > 30 ? `${ere.slice(0, 30)}…` : ere, () => {
        const translation = translateEre(ere);
        assert.equal(translation.kind, 'invalid');
        assert.match(translation.kind === 'invalid' ? translation.reason : '', reason);
      });
    }
  });
});
