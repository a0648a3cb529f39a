// Tests of the NAPTR regexp field (RFC 3402 §3.2): delimiters, escapes, flags, back-references, linear-time matching.
import { strict as assert } from 'node:assert';
import { applySubstitution, parseSubstitution, readWholeStringReplacement } from '../../src/enum/naptr-substitution';
import { seededRandom } from '../support/seeded-random';

const AUS = '+4790000001';

function rewrite(regexp: string, aus = AUS): string | null {
  const parsed = parseSubstitution(regexp);
  if (parsed.kind === 'invalid') throw new Error(`unexpectedly invalid: ${parsed.reason}`);
  return applySubstitution(parsed.substitution, aus);
}

describe('naptr-substitution', () => {
  describe('rewrites the AUS', () => {
    const cases: Array<[string, string | null]> = [
      ['!^.*$!im:+4790000001@imsp-b.test!', 'im:+4790000001@imsp-b.test'],
      ['!^(.*)$!im:\\1@imsp-b.test!', 'im:+4790000001@imsp-b.test'],
      ['!^\\+47(.*)$!sip:\\1@example.no!', 'sip:90000001@example.no'],
      ['/^\\+([[:digit:]]{2})([[:digit:]]+)$/tel:+\\1-\\2/', 'tel:+47-90000001'],
      ['#^\\+47(9)(0*)(1)$#im:\\3\\2\\1@x.test#', 'im:10000009@x.test'],
      ['|^\\+47(.*)$|im:\\1\\|x@y.test|', 'im:90000001|x@y.test'],
      ['!^\\+47\\!?(.*)$!im:\\1@y.test!', 'im:90000001@y.test'],
      ['!^(\\+47)(x)?(.*)$!im:\\2\\3@y.test!', 'im:90000001@y.test'],
      ['!^\\+47!im:rest@y.test!', 'im:rest@y.test'],
      ['!^\\+46(.*)$!im:\\1@se.test!', null],
      ['!^\\+4790000001$!im:a\\\\b@y.test!', 'im:a\\b@y.test'],
      ['x^\\+47(.*)$xim:\\1@y.testx', 'im:90000001@y.test'],
      ['!^\\+47(.*)$!IM:\\1@Y.TEST!i', 'IM:90000001@Y.TEST'],
    ];
    for (const [regexp, output] of cases) it(`${regexp} → ${output}`, () => assert.equal(rewrite(regexp), output));
  });

  it('the i flag makes the ERE case-insensitive', () => {
    assert.equal(rewrite('!^abc$!im:x@y.test!i', 'ABC'), 'im:x@y.test');
    assert.equal(rewrite('!^abc$!im:x@y.test!', 'ABC'), null);
    assert.equal(rewrite('!^abc$!im:x@y.test!I', 'ABC'), 'im:x@y.test', 'ABNF strings are case-insensitive: "I" is the flag too');
  });

  it('POSIX leftmost-longest: alternation takes the longest match', () => {
    assert.equal(rewrite('!(\\+4|\\+47)!\\1!', AUS), '+47');
  });

  describe('refuses unusable regexp fields', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /delimiter/],
      ['1^.*$1im:x1', /delimiter "1"/],
      ['\\^.*$\\im:x\\', /delimiter "\\\\"/],
      ['i^.*$iim:xi', /delimiter "i"/],
      ['!^.*$!im:x', /no closing delimiter/],
      ['!^.*$', /not delim-ERE-delim/],
      ['!^.*$!im:x!g', /unknown regexp flag "g"/],
      ['!^(.*)$!im:\\2!', /back-reference \\2 but the regexp has 1 group/],
      ['!^.*$!im:\\0!', /\\0 is not a back-reference/],
      ['!^\\d+$!im:x!', /not POSIX ERE/],
      ['!(a!im:x!', /unbalanced/],
      [`!${'a'.repeat(1100)}!im:x!`, /longer than 1024/],
    ];
    for (const [regexp, reason] of cases) {
      it(regexp.length > 30 ? `${regexp.slice(0, 30)}…` : JSON.stringify(regexp), () => {
        const parsed = parseSubstitution(regexp);
        assert.equal(parsed.kind, 'invalid');
        assert.match(parsed.kind === 'invalid' ? parsed.reason : '', reason);
      });
    }
  });

  describe('reads a whole-string ERE with a plain replacement without parsing, as parsing would', () => {
    const plain = ['!^.*$!im:+4790000001@imsp-b.test!', '!^(.*)$!im:x@y.test!', '#^.*$#im:x@y.test#i', '!^.*$!!'];
    for (const regexp of plain) it(regexp, () => assert.equal(readWholeStringReplacement(regexp), rewrite(regexp)));
    const others = ['!^(.*)$!im:\\1@y.test!', '!^.*$!im:a\\!b@y.test!', '!^.*$!im:x!g', '!^.*$!im:x', '!^\\+47.*$!im:x!', '$^.*$$im:x$', '1^.*$1im:x1', ''];
    for (const regexp of others) it(`leaves ${JSON.stringify(regexp)} to the parser`, () => assert.equal(readWholeStringReplacement(regexp), null));

    it('agrees with parsing on 50,000 generated fields, hostile ones included', () => {
      const random = seededRandom(3_402);
      const pieces = ['^', '.', '*', '$', '(', ')', '\\', '1', 'i', 'I', 'x', ':', '@', '/', '|', '[', ']', '{', '}', '+', '?', 'sip:', '9'];
      let readFast = 0;
      for (let index = 0; index < 50_000; index += 1) {
        const delim = ['!', '/', '|', '#'][random(4)] as string;
        let regexp = delim + ['^.*$', '^(.*)$', ''][random(3)] + delim;
        for (let length = random(24); length > 0; length -= 1) regexp += random(5) === 0 ? delim : pieces[random(pieces.length)];
        if (random(2) === 1) regexp += delim;
        if (random(5) === 0) regexp += 'i';
        const fast = readWholeStringReplacement(regexp);
        if (fast === null) continue;
        readFast += 1;
        assert.equal(fast, rewrite(regexp), `regexp field ${JSON.stringify(regexp)}`);
      }
      assert.ok(readFast > 1_000, `the fast path took too few fields to prove anything: ${readFast}`);
    });
  });

  it('a catastrophic-backtracking pattern is evaluated in linear time (outcome only)', () => {
    // In a backtracking engine this pattern explodes on a long run of digits that finally fails to match.
    const parsed = parseSubstitution('!^(([0-9]+)+)+x$!im:\\1@y.test!');
    assert.equal(parsed.kind, 'ok');
    if (parsed.kind === 'ok') assert.equal(applySubstitution(parsed.substitution, `+${'9'.repeat(5000)}`), null);
  });
});
