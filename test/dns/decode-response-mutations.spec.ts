import { strict as assert } from 'node:assert';
import { decodeResponse } from '../../src/dns/decode-response';
import { encodeQuery } from '../../src/dns/dns-wire';
import { seededRandom } from '../support/seeded-random';

const MUTANTS = 50_000;

describe('decodeResponse on hostile datagrams', () => {
  it(`reads each of ${MUTANTS} corrupted or random datagrams without throwing, marking broken ones malformed`, () => {
    const query = encodeQuery(0x1234, '1.0.0.0.0.0.9.7.4.e164.arpa', 'NAPTR');
    const random = seededRandom(3_403);
    let malformed = 0;
    for (let index = 0; index < MUTANTS; index += 1) {
      let datagram: Buffer;
      if (random(3) === 0) {
        datagram = Buffer.from(Array.from({ length: 12 + random(300) }, () => random(256)));
      } else {
        // A query turned into a response claiming answers, then corrupted and given trailing garbage.
        datagram = Buffer.from(query);
        for (let edits = 1 + random(6); edits > 0; edits -= 1) datagram[random(datagram.length)] = random(256);
        datagram = Buffer.concat([datagram, Buffer.from(Array.from({ length: random(80) }, () => random(256)))]);
        datagram[2] = (datagram[2] as number) | 0x80;
        datagram.writeUInt16BE(random(4), 6);
      }
      try {
        if (decodeResponse(datagram).malformed !== undefined) malformed += 1;
      } catch (error) {
        assert.fail(`datagram ${index} threw ${String(error)}: ${datagram.toString('hex')}`);
      }
    }
    assert.ok(malformed > MUTANTS / 10, `most corrupted datagrams are malformed, got ${malformed}`);
  });
});
