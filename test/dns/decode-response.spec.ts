// decodeResponse: every modelled type round-trips from dns2's encoder; compression, EDNS RCODE, TC, bad input.
import { strict as assert } from 'node:assert';
import type { DnsRecord } from '../../src/dns';
import { decodeResponse } from '../../src/dns/decode-response';
import { Packet, createOptResource, encodeQuery, toWireResource, type WirePacket } from '../../src/dns/dns-wire';

const OWNER = '1.0.0.0.0.0.0.9.7.4.e164.arpa';
const SOA: DnsRecord = {
  name: '7.4.e164.arpa',
  ttlSeconds: 3600,
  data: { type: 'SOA', soa: { mname: 'ns1.imsp-a.test', rname: 'hostmaster.imsp-a.test', serial: 2026112301, refresh: 3600, retry: 600, expire: 4_000_000_000, minimum: 300 } },
};
const RECORDS: DnsRecord[] = [
  { name: OWNER, ttlSeconds: 300, data: { type: 'NAPTR', naptr: { order: 10, preference: 100, flags: 'u', services: 'E2U+im', regexp: '!^.*$!im:+4790000001@Imsp-A.test!', replacement: '' } } },
  { name: OWNER, ttlSeconds: 300, data: { type: 'NAPTR', naptr: { order: 20, preference: 10, flags: '', services: 'E2U+im', regexp: '', replacement: 'Next.e164.imsp-a.test' } } },
  { name: OWNER, ttlSeconds: 60, data: { type: 'CNAME', host: '2.0.0.0.0.0.0.9.7.4.e164.arpa' } },
  { name: '_imps-server._tcp.imsp-b.test', ttlSeconds: 0, data: { type: 'SRV', srv: { priority: 10, weight: 60, port: 5269, target: 'gw1.imsp-b.test' } } },
  { name: 'gw1.imsp-b.test', ttlSeconds: 86_400, data: { type: 'A', address: '192.0.2.255' } },
  { name: 'gw1.imsp-b.test', ttlSeconds: 1, data: { type: 'AAAA', address: '2001:db8::1' } },
  { name: 'imsp-b.test', ttlSeconds: 1, data: { type: 'NS', host: 'ns1.imsp-b.test' } },
  SOA,
];

/** A response to `question` built and encoded by dns2 (which compresses names, RFC 1035 §4.1.4). */
function response(question: { name: string; type: number }, edit: (packet: WirePacket) => void): Buffer {
  const packet = new Packet();
  Object.assign(packet.header, { id: 4242, qr: 1, aa: 1, rd: 1 });
  packet.questions.push(new Packet.Question(question.name, question.type, Packet.CLASS.IN));
  edit(packet);
  return packet.toBuffer();
}

describe('decodeResponse', () => {
  it('decodes every modelled record type as dns2 encoded it, names compressed', () => {
    const wire = response({ name: OWNER, type: 35 }, (packet) => {
      packet.answers = RECORDS.map(toWireResource);
      packet.authorities = [toWireResource(SOA)];
      packet.additionals = [createOptResource()];
    });
    assert.ok(wire.includes(Buffer.from([0xc0, 0x0c])), 'dns2 wrote compression pointers');
    const decoded = decodeResponse(wire);
    assert.deepEqual(decoded, {
      id: 4242,
      qr: true,
      tc: false,
      rcode: 0,
      questions: [{ name: OWNER, typeCode: 35, classCode: 1 }],
      answers: RECORDS,
      authorities: [SOA],
      malformed: undefined,
    });
  });

  it('folds ASCII case in names and strips nothing else; NAPTR fields keep their case', () => {
    const wire = response({ name: 'GW1.Imsp-B.TEST', type: 1 }, (packet) => {
      packet.answers = [toWireResource({ name: 'GW1.Imsp-B.TEST', ttlSeconds: 5, data: { type: 'CNAME', host: 'Other.TEST' } })];
    });
    const decoded = decodeResponse(wire);
    assert.equal(decoded.questions[0]?.name, 'gw1.imsp-b.test');
    assert.deepEqual(decoded.answers, [{ name: 'gw1.imsp-b.test', ttlSeconds: 5, data: { type: 'CNAME', host: 'other.test' } }]);
  });

  const ipv6: Array<[string, string]> = [
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
    ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
    ['2001:0db8:0000:0001:0000:0000:0000:0001', '2001:db8:0:1::1'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['2001:0db8:0001:0001:0001:0001:0000:0001', '2001:db8:1:1:1:1:0:1'],
    ['fe80:0000:0000:0000:0000:0000:0000:0000', 'fe80::'],
  ];
  for (const [full, text] of ipv6) {
    it(`writes AAAA ${full} as ${text} (RFC 5952 §4)`, () => {
      const wire = response({ name: 'h.test', type: 28 }, (packet) => (packet.answers = [toWireResource({ name: 'h.test', ttlSeconds: 1, data: { type: 'AAAA', address: text } })]));
      const rdata = Buffer.from(full.replace(/:/g, ''), 'hex');
      assert.ok(wire.includes(rdata));
      assert.deepEqual(decodeResponse(wire).answers[0]?.data, { type: 'AAAA', address: text });
    });
  }

  it('merges the extended RCODE of the OPT record (RFC 6891 §6.1.3: BADVERS is 16)', () => {
    const wire = response({ name: OWNER, type: 35 }, (packet) => {
      packet.header.rcode = 16;
      packet.additionals = [createOptResource()];
    });
    assert.equal(wire.readUInt16BE(2) & 0xf, 0);
    assert.equal(decodeResponse(wire).rcode, 16);
  });

  it('reads nothing past the question of a truncated response (RFC 2181 §9)', () => {
    const wire = response({ name: OWNER, type: 35 }, (packet) => {
      packet.header.tc = 1;
      packet.answers = RECORDS.slice(0, 2).map(toWireResource);
    });
    // Cut inside the second record, as some servers do: nothing is read there, so nothing is malformed.
    const decoded = decodeResponse(wire.subarray(0, wire.length - 10));
    assert.deepEqual([decoded.tc, decoded.answers, decoded.malformed, decoded.questions.length], [true, [], undefined, 1]);
  });

  it('skips record types it does not model and reads a TTL with the top bit set as zero (RFC 2181 §8)', () => {
    const wire = response({ name: 'h.test', type: 1 }, (packet) => {
      packet.answers = [new Packet.Resource({ name: 'h.test', type: Packet.TYPE.TXT, class: 1, ttl: 1, data: ['x'] }), toWireResource({ name: 'h.test', ttlSeconds: 1, data: { type: 'A', address: '127.0.0.1' } })];
    });
    const ttlAt = wire.length - 10;
    wire.writeUInt32BE(0x80000000, ttlAt);
    assert.deepEqual(decodeResponse(wire).answers, [{ name: 'h.test', ttlSeconds: 0, data: { type: 'A', address: '127.0.0.1' } }]);
  });

  const ok = response({ name: 'h.test', type: 1 }, (packet) => (packet.answers = [toWireResource({ name: 'h.test', ttlSeconds: 1, data: { type: 'A', address: '127.0.0.1' } })]));
  const edited = (edit: (wire: Buffer) => Buffer): Buffer => edit(Buffer.from(ok));
  const malformedCases: Array<{ title: string; wire: Buffer; pattern: RegExp }> = [
    { title: 'a message cut inside a record', wire: ok.subarray(0, ok.length - 2), pattern: /ends inside a record/ },
    { title: 'a compression pointer loop', wire: edited((w) => (w.writeUInt16BE(0xc000 | (w.length - 16), w.length - 16), w)), pattern: /pointer loop/ },
    { title: 'a reserved label type', wire: edited((w) => ((w[w.length - 16] = 0x40), w)), pattern: /label type/ },
    { title: 'an A record of 5 octets', wire: Buffer.concat([edited((w) => (w.writeUInt16BE(5, w.length - 6), w)), Buffer.from([0])]), pattern: /A record "h\.test".*4/ },
    { title: 'a name running past the end', wire: Buffer.concat([ok.subarray(0, 12), Buffer.from([5, 0x61])]), pattern: /past the end/ },
  ];
  for (const { title, wire, pattern } of malformedCases) {
    it(`reports ${title} as malformed`, () => {
      const decoded = decodeResponse(wire);
      assert.match(decoded.malformed ?? '', pattern);
    });
  }

  it('reports malformed NAPTR RDATA with the record it belongs to', () => {
    const wire = response({ name: OWNER, type: 35 }, (packet) => (packet.answers = [toWireResource(RECORDS[0] as DnsRecord)]));
    wire[wire.length - 1] = 0x07; // the REPLACEMENT root label becomes a label running past the RDATA
    assert.match(decodeResponse(wire).malformed ?? '', /NAPTR record "1\.0\.0.*malformed NAPTR RDATA/);
  });

  it('decodes the question of a query it did not expect to answer, and nothing else', () => {
    const decoded = decodeResponse(encodeQuery(7, OWNER, 'NAPTR'));
    assert.deepEqual([decoded.qr, decoded.questions, decoded.answers], [false, [{ name: OWNER, typeCode: 35, classCode: 1 }], []]);
  });
});
