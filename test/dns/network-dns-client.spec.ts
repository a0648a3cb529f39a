// NetworkDnsClient against a real authoritative server (knotd on loopback): answers, negatives, TCP, failover.
import { strict as assert } from 'node:assert';
import { EmbeddedDnsServer, NetworkDnsClient, ZoneDnsClient, type DnsAnswer, type DnsRecord } from '../../src/dns';
import { GatewayError } from '../../src/errors';
import { GatewayMetrics } from '../../src/metrics';
import { startKnotServer, type KnotServer } from '../support/knot-server';
import { fixturePath } from '../support/paths';
import { writeZoneFiles, type RenderedZones } from '../support/zone-template';
import { startSilentServer } from './scripted-dns-server';

/** RFC 6116 §2.4: +4790000001 → 1.0.0.0.0.0.0.9.7.4.e164.arpa */
const enumName = (e164: string): string => `${e164.slice(1).split('').reverse().join('.')}.e164.arpa`;
const records = (answer: DnsAnswer): DnsRecord[] => (answer.kind === 'answer' ? answer.records : []);
const isError = (code: string, pattern: RegExp) => (error: unknown) => error instanceof GatewayError && error.code === code && error.transient && pattern.test(error.message);

describe('NetworkDnsClient against knotd', function () {
  this.timeout(20_000);
  let zones: RenderedZones;
  let knot: KnotServer;
  let dead: Awaited<ReturnType<typeof startSilentServer>>;
  let dead2: Awaited<ReturnType<typeof startSilentServer>>;
  let client: NetworkDnsClient;

  before(async () => {
    zones = await writeZoneFiles([fixturePath('zones', 'imsp-a.test.zone'), fixturePath('zones', 'imsp-b.test.zone')], { PORT_A1: 17101, PORT_A2: 17102, PORT_B1: 17201, PORT_B2: 17202 });
    knot = await startKnotServer([fixturePath('zones', 'e164.arpa.zone'), ...zones.files]);
    [dead, dead2] = await Promise.all([startSilentServer(), startSilentServer()]);
    client = new NetworkDnsClient({ servers: [knot.address], timeoutMs: 2000, attempts: 1 });
  });
  after(async () => {
    await Promise.all([knot?.stop(), dead?.close(), dead2?.close()]);
    await zones?.remove();
  });

  it('gets a NAPTR RRset, regexps byte for byte, source dns and the server that answered', async () => {
    const answer = await client.query(enumName('+4790000001'), 'NAPTR');
    assert.equal(answer.kind, 'answer');
    assert.equal(answer.source, 'dns');
    assert.equal(answer.server, knot.address);
    assert.equal(answer.kind === 'answer' && answer.ttlSeconds, 3600);
    assert.deepEqual(
      records(answer).map((r) => r.data),
      [
        { type: 'NAPTR', naptr: { order: 10, preference: 100, flags: 'u', services: 'E2U+im', regexp: '!^.*$!im:+4790000001@imsp-a.test!', replacement: '' } },
        { type: 'NAPTR', naptr: { order: 10, preference: 101, flags: 'u', services: 'E2U+pres', regexp: '!^.*$!pres:+4790000001@imsp-a.test!', replacement: '' } },
        { type: 'NAPTR', naptr: { order: 10, preference: 102, flags: 'u', services: 'E2U+sip', regexp: '!^(.*)$!sip:\\1@imsp-a.test!', replacement: '' } },
      ],
    );
  });

  it('gets an SRV RRset; names come back lowercase without the trailing dot', async () => {
    const answer = await client.query('_IMPS-SERVER._tcp.Imsp-B.test.', 'SRV');
    assert.deepEqual(records(answer).map((r) => [r.name, r.ttlSeconds, r.data]), [
      ['_imps-server._tcp.imsp-b.test', 300, { type: 'SRV', srv: { priority: 10, weight: 100, port: 17201, target: 'gw1.imsp-b.test' } }],
      ['_imps-server._tcp.imsp-b.test', 300, { type: 'SRV', srv: { priority: 20, weight: 100, port: 17202, target: 'gw2.imsp-b.test' } }],
    ]);
  });

  it('gets NXDOMAIN with the RFC 2308 negative TTL min(SOA TTL 3600, MINIMUM 300)', async () => {
    assert.deepEqual(await client.query(enumName('+4790000099'), 'NAPTR'), { kind: 'nxdomain', negativeTtlSeconds: 300, source: 'dns', server: knot.address });
  });

  it('gets NODATA for an empty non-terminal and for another type', async () => {
    assert.deepEqual(await client.query('0.0.0.0.0.0.9.7.4.e164.arpa', 'NAPTR'), { kind: 'nodata', negativeTtlSeconds: 300, source: 'dns', server: knot.address });
    assert.equal((await client.query('gw1.imsp-a.test', 'AAAA')).kind, 'nodata');
  });

  it('gets the 8-record set (564 octets) over UDP with EDNS0', async () => {
    assert.equal(records(await client.query(enumName('+4790000008'), 'NAPTR')).length, 8);
  });

  it('gets all 20 records of the 1671-octet set (TC=1 over UDP, then TCP)', async () => {
    const got = records(await client.query(enumName('+4790000020'), 'NAPTR'));
    assert.equal(got.length, 20);
    assert.equal(new Set(got.map((r) => r.data.type === 'NAPTR' && `${r.data.naptr.order}/${r.data.naptr.preference}/${r.data.naptr.services}`)).size, 20);
  });

  it('follows a CNAME inside the answer', async () => {
    const answer = await client.query(enumName('+4790000007'), 'NAPTR');
    assert.deepEqual(records(answer).map((r) => [r.name, r.data.type]), [
      [enumName('+4790000007'), 'CNAME'],
      [enumName('+4790000001'), 'NAPTR'],
      [enumName('+4790000001'), 'NAPTR'],
      [enumName('+4790000001'), 'NAPTR'],
    ]);
  });

  it('moves on from a server that does not answer to the next, and counts the timeout', async () => {
    const metrics = new GatewayMetrics({ processMetrics: false });
    const failover = new NetworkDnsClient({ servers: [dead.address, knot.address], timeoutMs: 300, attempts: 1 }, { metrics });
    const answer = await failover.query(enumName('+4790000002'), 'NAPTR');
    assert.equal(answer.server, knot.address);
    assert.equal(dead.received() > 0, true);
    const errors = await metrics.dnsErrors.get();
    assert.deepEqual(errors.values.map((v) => [v.labels.server, v.labels.kind, v.value]).filter(([, , value]) => value !== 0), [[dead.address, 'timeout', 1]]);
    const durations = await metrics.dnsQueryDuration.get();
    const count = durations.values.find((v) => v.metricName === 'dns_query_duration_seconds_count' && v.labels.server === knot.address && v.labels.type === 'NAPTR');
    assert.equal(count?.value, 1);
  });

  it('rejects with DNS_TIMEOUT when every server stays silent for every attempt', async () => {
    const before = dead.received() + dead2.received();
    const silent = new NetworkDnsClient({ servers: [dead.address, dead2.address], timeoutMs: 100, attempts: 2 });
    await assert.rejects(silent.query(enumName('+4790000001'), 'NAPTR'), isError('DNS_TIMEOUT', new RegExp(`${dead.address}.*${dead2.address}`)));
    assert.equal(dead.received() + dead2.received() - before, 4);
  });

  it('treats REFUSED as a server failure: DNS_SERVFAIL alone, the next server otherwise', async () => {
    await assert.rejects(client.query('www.example.com', 'A'), isError('DNS_SERVFAIL', /REFUSED/));
    const other = await EmbeddedDnsServer.start({ source: new ZoneDnsClient([fixturePath('zones', 'e164.arpa.zone')]) });
    try {
      const second = new NetworkDnsClient({ servers: [other.address, knot.address], timeoutMs: 2000, attempts: 1 });
      const answer = await second.query('gw1.imsp-a.test', 'A');
      assert.deepEqual([answer.server, records(answer).map((r) => r.data)], [knot.address, [{ type: 'A', address: '127.0.0.1' }]]);
      assert.equal(other.queryCount, 1);
    } finally {
      await other.close();
    }
  });

  it('stops when the caller aborts, with DNS_TIMEOUT', async () => {
    const slow = new NetworkDnsClient({ servers: [dead.address], timeoutMs: 10_000, attempts: 3 });
    const controller = new AbortController();
    const pending = slow.query(enumName('+4790000001'), 'NAPTR', controller.signal);
    controller.abort();
    await assert.rejects(pending, isError('DNS_TIMEOUT', /cancelled/));
  });

  it('rejects servers that are not IP:PORT at construction', () => {
    for (const server of ['localhost:53', '127.0.0.1', '127.0.0.1:0', '[::1]:99999']) {
      assert.throws(() => new NetworkDnsClient({ servers: [server], timeoutMs: 100, attempts: 1 }), (error: unknown) => error instanceof GatewayError && error.code === 'CONFIG_INVALID');
    }
  });
});
