// encodeQuery: the same octets as dns2's encoder for the same query; names it cannot encode are refused.
import { strict as assert } from 'node:assert';
import { Packet, createOptResource, encodeQuery, RECORD_TYPE_CODES } from '../../src/dns/dns-wire';
import type { RecordType } from '../../src/dns';
import { GatewayError } from '../../src/errors';

/** The query as dns2 writes it: RD set, one question, our OPT record. */
function dns2Query(id: number, name: string, type: RecordType): Buffer {
  const packet = new Packet();
  Object.assign(packet.header, { id, rd: 1 });
  packet.questions.push(new Packet.Question(name.replace(/\.$/, ''), RECORD_TYPE_CODES[type], Packet.CLASS.IN));
  packet.additionals.push(createOptResource());
  return packet.toBuffer();
}

describe('encodeQuery', () => {
  const cases: Array<[number, string, RecordType]> = [
    [0, '1.0.0.0.0.0.0.9.7.4.e164.arpa', 'NAPTR'],
    [0xffff, '_imps-server._tcp.imsp-b.test.', 'SRV'],
    [4242, 'gw1.imsp-b.test', 'AAAA'],
    [1, 'x.y', 'A'],
    [77, `${'a'.repeat(63)}.test`, 'SOA'],
  ];
  for (const [id, name, type] of cases) {
    it(`writes ${type} ${name.slice(0, 30)} with id ${id} exactly as dns2 does`, () => {
      assert.equal(encodeQuery(id, name, type).toString('hex'), dns2Query(id, name, type).toString('hex'));
    });
  }

  it('asks for the root with a single zero octet', () => {
    assert.equal(encodeQuery(1, '.', 'NS').subarray(12, 13).toString('hex'), '00');
  });

  const bad = ['a..test', '.test', `${'a'.repeat(64)}.test`, 'sp ace.test', 'ütf.test', `${'abcdefg.'.repeat(32)}test`];
  for (const name of bad) {
    it(`refuses ${JSON.stringify(name.slice(0, 20))} with DNS_MALFORMED`, () => {
      assert.throws(() => encodeQuery(1, name, 'A'), (error: unknown) => error instanceof GatewayError && error.code === 'DNS_MALFORMED');
    });
  }
});
