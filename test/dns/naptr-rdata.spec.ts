// NAPTR RDATA codec (RFC 3403 §4.1): golden octets both ways, malformed RDATA, and the dns2 registration.
import { strict as assert } from 'node:assert';
import type { NaptrData } from '../../src/dns';
import { decodeNaptrRdata, encodeNaptrRdata } from '../../src/dns';
import { Packet, toWireResource, type WireResource } from '../../src/dns/dns-wire';
import { GatewayError } from '../../src/errors';

const naptr = (order: number, preference: number, flags: string, services: string, regexp: string, replacement: string): NaptrData => ({
  order,
  preference,
  flags,
  services,
  regexp,
  replacement,
});

// Octets computed independently (Python struct) from the RFC 3403 §4.1 layout.
const golden: Array<{ title: string; value: NaptrData; hex: string }> = [
  {
    title: 'terminal im record, root replacement',
    value: naptr(10, 100, 'u', 'E2U+im', '!^.*$!im:+4790000001@imsp-a.test!', ''),
    hex: '000a00640175064532552b696d21215e2e2a2421696d3a2b3437393030303030303140696d73702d612e746573742100',
  },
  {
    title: 'non-terminal record: empty flags and regexp, a replacement name',
    value: naptr(100, 10, '', 'E2U+im', '', '2.4.e164enum.net'),
    hex: '0064000a00064532552b696d00013201340865313634656e756d036e657400',
  },
  {
    title: 'maximum order, pstn:tel with npdi and rn',
    value: naptr(65535, 0, 'U', 'E2U+pstn:tel', '!^.*$!tel:+4790000004;npdi;rn=+4791000000!', ''),
    hex: 'ffff000001550c4532552b7073746e3a74656c2a215e2e2a242174656c3a2b343739303030303030343b6e7064693b726e3d2b343739313030303030302100',
  },
  {
    title: 'back-reference in the regexp (a literal backslash octet)',
    value: naptr(20, 50, 'u', 'E2U+sip', '!^(.*)$!sip:\\1@imsp-a.test!', ''),
    hex: '001400320175074532552b7369701b215e282e2a2924217369703a5c3140696d73702d612e746573742100',
  },
  {
    title: 'UTF-8 in the regexp',
    value: naptr(10, 100, 'u', 'E2U+im', '!^.*$!im:bjørn@imsp-a.test!', ''),
    hex: '000a00640175064532552b696d1c215e2e2a2421696d3a626ac3b8726e40696d73702d612e746573742100',
  },
  { title: 'all fields empty', value: naptr(0, 0, '', '', '', ''), hex: '0000000000000000' },
];

const malformed: Array<{ title: string; hex: string; reason: RegExp }> = [
  { title: 'empty RDATA', hex: '', reason: /ORDER and PREFERENCE/ },
  { title: 'three octets', hex: '000a00', reason: /ORDER and PREFERENCE/ },
  { title: 'FLAGS missing', hex: '000a0064', reason: /FLAGS is missing/ },
  { title: 'FLAGS longer than the RDATA', hex: '000a00640575', reason: /FLAGS declares 5 octets/ },
  { title: 'REGEXP missing', hex: '000a006401750145', reason: /REGEXP is missing/ },
  { title: 'REPLACEMENT missing', hex: '000a0064000000', reason: /REPLACEMENT runs past/ },
  { title: 'compressed REPLACEMENT (pointer)', hex: '000a0064000000c00c', reason: /label type\/length octet 0xc0/ },
  { title: 'reserved label type 0x40', hex: '000a006400000040', reason: /0x40/ },
  { title: 'REPLACEMENT without its root label', hex: '000a0064000000036e6574', reason: /REPLACEMENT runs past/ },
  { title: 'label longer than the RDATA', hex: '000a006400000009616200', reason: /label runs past/ },
  { title: 'a label containing a dot', hex: '000a00640000000361 2e62 00', reason: /contains a "\."/ },
  { title: 'octets after REPLACEMENT', hex: '00000000000000 00ff', reason: /1 octet\(s\) left/ },
];

describe('NAPTR RDATA codec', () => {
  for (const { title, value, hex } of golden) {
    it(`decodes golden octets: ${title}`, () => {
      assert.deepEqual(decodeNaptrRdata(Buffer.from(hex, 'hex')), value);
    });
    it(`encodes golden octets: ${title}`, () => {
      assert.equal(encodeNaptrRdata(value).toString('hex'), hex);
    });
  }

  it('encodes a replacement given with a trailing dot like one without', () => {
    assert.equal(encodeNaptrRdata(naptr(1, 2, '', 'E2U+im', '', 'e164enum.net.')).toString('hex'), encodeNaptrRdata(naptr(1, 2, '', 'E2U+im', '', 'e164enum.net')).toString('hex'));
  });

  for (const { title, hex, reason } of malformed) {
    it(`rejects malformed RDATA with DNS_MALFORMED: ${title}`, () => {
      assert.throws(
        () => decodeNaptrRdata(Buffer.from(hex.replace(/ /g, ''), 'hex')),
        (error: unknown) => error instanceof GatewayError && error.code === 'DNS_MALFORMED' && error.transient && reason.test(error.message),
      );
    });
  }

  const unencodable: Array<{ title: string; value: NaptrData }> = [
    { title: 'order above 65535', value: naptr(65536, 0, '', '', '', '') },
    { title: 'negative preference', value: naptr(0, -1, '', '', '', '') },
    { title: 'regexp over 255 octets', value: naptr(0, 0, 'u', 'E2U+im', `!^.*$!im:${'x'.repeat(250)}!`, '') },
    { title: 'label over 63 octets', value: naptr(0, 0, '', 'E2U+im', '', `${'a'.repeat(64)}.net`) },
    { title: 'empty label', value: naptr(0, 0, '', 'E2U+im', '', 'a..net') },
  ];
  for (const { title, value } of unencodable) {
    it(`refuses to encode: ${title}`, () => {
      assert.throws(() => encodeNaptrRdata(value), (error: unknown) => error instanceof GatewayError && error.code === 'DNS_MALFORMED');
    });
  }
});

describe('NAPTR in dns2 messages', () => {
  it('round-trips a NAPTR answer through Packet#toBuffer and Packet.parse', () => {
    const record = { name: '1.0.0.0.0.0.0.9.7.4.e164.arpa', ttlSeconds: 300, data: { type: 'NAPTR' as const, naptr: golden[0]!.value } };
    const packet = new Packet();
    packet.header.qr = 1;
    packet.answers.push(toWireResource(record));
    const wire = packet.toBuffer();
    assert.ok(wire.includes(Buffer.from(golden[0]!.hex, 'hex')), 'RDATA appears verbatim in the message');
    const parsed = Packet.parse(wire);
    assert.deepEqual(parsed.errors, []);
    const answer = parsed.answers[0] as WireResource;
    assert.deepEqual([answer.name, answer.ttl, answer.naptr], [record.name, record.ttlSeconds, record.data.naptr]);
  });

  it('reports malformed NAPTR RDATA as a decode error of that record and keeps decoding the rest', () => {
    const packet = new Packet();
    packet.header.qr = 1;
    packet.answers.push(toWireResource({ name: 'a.test', ttlSeconds: 1, data: { type: 'NAPTR', naptr: naptr(0, 0, '', '', '', '') } }));
    packet.answers.push(toWireResource({ name: 'b.test', ttlSeconds: 1, data: { type: 'A', address: '127.0.0.1' } }));
    const wire = packet.toBuffer();
    // Corrupt the first record's RDATA: its FLAGS length octet now claims 9 octets.
    const flagsAt = wire.indexOf(Buffer.from('00080000000000000000', 'hex')) + 6;
    wire[flagsAt] = 9;
    const parsed = Packet.parse(wire);
    assert.equal(parsed.errors.length, 1);
    assert.match(parsed.errors[0]!.message, /malformed NAPTR RDATA/);
    assert.equal(parsed.answers.length, 1);
    assert.equal(parsed.answers[0]!.address, '127.0.0.1');
  });
});
