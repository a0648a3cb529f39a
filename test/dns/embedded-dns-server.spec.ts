// EmbeddedDnsServer answered by NetworkDnsClient: both sides real code, over loopback UDP and TCP.
import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { EmbeddedDnsServer, NetworkDnsClient, ZoneDnsClient, type DnsAnswer, type DnsClient } from '../../src/dns';
import { Packet, type WirePacket } from '../../src/dns/dns-wire';
import { GatewayError } from '../../src/errors';
import { fixturePath } from '../support/paths';
import { writeZoneFiles, type RenderedZones } from '../support/zone-template';

const enumName = (e164: string): string => `${e164.slice(1).split('').reverse().join('.')}.e164.arpa`;
const dnsError = (code: string, pattern: RegExp) => (error: unknown) => error instanceof GatewayError && error.code === code && pattern.test(error.message);

/** Send a raw query of any type code and return the parsed response. */
async function rawQuery(port: number, name: string, typeCode: number): Promise<WirePacket> {
  const socket = createSocket('udp4');
  const query = new Packet();
  query.header.id = 4711;
  query.questions.push(new Packet.Question(name, typeCode, Packet.CLASS.IN));
  const response = new Promise<Buffer>((resolve) => socket.once('message', resolve));
  socket.send(query.toBuffer(), port, '127.0.0.1');
  try {
    return Packet.parse(await response);
  } finally {
    socket.close();
  }
}

describe('EmbeddedDnsServer', () => {
  let rendered: RenderedZones;
  let zones: ZoneDnsClient;
  let server: EmbeddedDnsServer;
  let client: NetworkDnsClient;

  before(async () => {
    rendered = await writeZoneFiles([fixturePath('zones', 'imsp-c.test.zone')], { PORT_C1: 17301, PORT_C2: 17302 });
    zones = new ZoneDnsClient([fixturePath('zones', 'e164.arpa.zone'), ...rendered.files]);
    server = await EmbeddedDnsServer.start({ source: zones });
    client = new NetworkDnsClient({ servers: [server.address], timeoutMs: 2000, attempts: 1 });
  });
  after(async () => {
    await server.close();
    await rendered.remove();
  });

  const strip = (answer: DnsAnswer): unknown => (answer.kind === 'answer' ? answer.records : answer);

  for (const [title, name, type] of [
    ['NAPTR', enumName('+4790000001'), 'NAPTR'],
    ['SRV', '_imps-server._tcp.imsp-c.test', 'SRV'],
    ['a CNAME chain', enumName('+4790000007'), 'NAPTR'],
    ['SOA', 'imsp-c.test', 'SOA'],
    ['A', 'gw2.imsp-c.test', 'A'],
  ] as const) {
    it(`serves ${title} exactly as the zone holds it`, async () => {
      const [sent, held] = await Promise.all([client.query(name, type), zones.query(name, type)]);
      assert.equal(sent.source, 'dns');
      assert.deepEqual(strip(sent), strip(held));
    });
  }

  it('answers NXDOMAIN and NODATA with the SOA, giving the client the zone negative TTL', async () => {
    assert.deepEqual(await client.query(enumName('+4790000099'), 'NAPTR'), { kind: 'nxdomain', negativeTtlSeconds: 300, source: 'dns', server: server.address });
    assert.deepEqual(await client.query('_tcp.imsp-c.test', 'SRV'), { kind: 'nodata', negativeTtlSeconds: 300, source: 'dns', server: server.address });
  });

  it('sends the 8-record set over UDP and makes the client retry the 20-record set over TCP', async () => {
    const before = { ...server.queries };
    const eight = await client.query(enumName('+4790000008'), 'NAPTR');
    assert.equal(eight.kind === 'answer' && eight.records.length, 8);
    assert.deepEqual([server.queries.udp - before.udp, server.queries.tcp - before.tcp], [1, 0]);
    const twenty = await client.query(enumName('+4790000020'), 'NAPTR');
    assert.equal(twenty.kind === 'answer' && twenty.records.length, 20);
    assert.deepEqual([server.queries.udp - before.udp, server.queries.tcp - before.tcp], [2, 1]);
  });

  it('refuses names outside its zones (the client reports DNS_SERVFAIL)', async () => {
    await assert.rejects(client.query('www.example.com', 'A'), dnsError('DNS_SERVFAIL', /REFUSED/));
  });

  it('answers NOTIMP to a type the gateway does not model, AA on its answers', async () => {
    const txt = await rawQuery(server.port, 'imsp-c.test', 16);
    assert.deepEqual([txt.header.id, txt.header.rcode], [4711, Packet.RCODE.NOTIMP]);
    const soa = await rawQuery(server.port, 'imsp-c.test', 6);
    assert.deepEqual([soa.header.aa, soa.answers.length], [1, 1]);
  });

  it('answers SERVFAIL when its source fails, and synthesizes an SOA for a source without zones', async () => {
    let outcome: DnsAnswer | Error = new GatewayError('DNS_TIMEOUT', 'upstream down', { transient: true });
    const source: DnsClient = { query: () => (outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome)) };
    const relay = await EmbeddedDnsServer.start({ source });
    try {
      const viaRelay = new NetworkDnsClient({ servers: [relay.address], timeoutMs: 2000, attempts: 1 });
      await assert.rejects(viaRelay.query('a.test', 'A'), dnsError('DNS_SERVFAIL', /SERVFAIL/));
      outcome = { kind: 'nxdomain', negativeTtlSeconds: 42, source: 'dns' };
      assert.deepEqual(await viaRelay.query('a.test', 'A'), { kind: 'nxdomain', negativeTtlSeconds: 42, source: 'dns', server: relay.address });
    } finally {
      await relay.close();
    }
  });

  it('holds each response for delayMs', async () => {
    const slow = await EmbeddedDnsServer.start({ source: zones, delayMs: 300 });
    try {
      const impatient = new NetworkDnsClient({ servers: [slow.address], timeoutMs: 50, attempts: 1 });
      await assert.rejects(impatient.query('imsp-c.test', 'SOA'), dnsError('DNS_TIMEOUT', /no response/));
      const patient = new NetworkDnsClient({ servers: [slow.address], timeoutMs: 5000, attempts: 1 });
      assert.equal((await patient.query('imsp-c.test', 'SOA')).kind, 'answer');
    } finally {
      await slow.close();
    }
  });
});
