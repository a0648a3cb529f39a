import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { SspDecodeError, decodeSspMessage, encodeSspMessage, isFaulty } from '../../src/ssp';
import { fixturePath } from '../support/paths';
import { seededRandom } from '../support/seeded-random';

const MUTANTS = 4_000;
const INSERTS = ['<', '>', '/', '&amp;', '&#0;', '&#x110000;', '"', '<![CDATA[x]]>', '<!--', ']]>', '<?xml?>', '<!DOCTYPE a [<!ENTITY e "x">]>', '&e;', '\u0000', '\uD800', 'xmlns:a="b"', '<UserID>', '</UserID>', '<Recipient>', '-1', '99999999999999999999', '</TransactionContent>'];

/** One to four edits of a golden message: cut, insert a token, copy a slice, truncate, a random character, an element twice. */
function mutate(xml: string, random: (below: number) => number): string {
  let text = xml;
  for (let edits = 1 + random(4); edits > 0; edits -= 1) {
    const at = random(text.length + 1);
    const kind = random(6);
    if (kind === 0) text = text.slice(0, at) + text.slice(at + 1 + random(20));
    else if (kind === 1) text = text.slice(0, at) + (INSERTS[random(INSERTS.length)] as string) + text.slice(at);
    else if (kind === 2) {
      const from = random(text.length);
      text = text.slice(0, at) + text.slice(from, from + random(200)) + text.slice(at);
    } else if (kind === 3) text = text.slice(0, at);
    else if (kind === 4) text = text.slice(0, at) + String.fromCharCode(random(65_536)) + text.slice(at);
    else {
      const elements = [...text.matchAll(/<(\w+)[^>]*>[^<]*<\/\1>/g)];
      const element = elements[random(Math.max(elements.length, 1))];
      if (element) text = text.slice(0, element.index) + element[0] + text.slice(element.index);
    }
  }
  return text;
}

describe('decodeSspMessage on mutated golden messages', () => {
  it(`answers each of ${MUTANTS} mutants with a message or an SspDecodeError, and what it decodes encodes again`, () => {
    const folder = fixturePath('ssp', 'golden');
    const goldens = readdirSync(folder).filter((name) => name.endsWith('.xml') && !name.endsWith('.encoded.xml')).map((name) => readFileSync(`${folder}/${name}`, 'utf8'));
    const random = seededRandom(20_261_124);
    const outcomes = { decoded: 0, refused: 0 };
    for (let index = 0; index < MUTANTS; index += 1) {
      const mutant = mutate(goldens[random(goldens.length)] as string, random);
      let message;
      try {
        message = decodeSspMessage(Buffer.from(mutant));
      } catch (error) {
        assert.ok(error instanceof SspDecodeError, `mutant ${index} threw ${String(error)}:\n${mutant}`);
        outcomes.refused += 1;
        continue;
      }
      outcomes.decoded += 1;
      const faulty = message.kind === 'session' && message.transactions.some(isFaulty);
      if (!faulty) assert.doesNotThrow(() => encodeSspMessage(message), `mutant ${index} decoded but does not encode:\n${mutant}`);
    }
    assert.ok(outcomes.decoded > MUTANTS / 10 && outcomes.refused > MUTANTS / 10, `mutants should reach both outcomes: ${JSON.stringify(outcomes)}`);
  });
});
