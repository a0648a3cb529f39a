// createDnsClient: zone files first for their names, servers for the rest, one cache in front, zone reload.
import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GatewayConfig } from '../../src/config';
import { DEFAULT_UDP_SOCKET_POOL, EmbeddedDnsServer, ZoneDnsClient, createDnsClient } from '../../src/dns';
import { GatewayError } from '../../src/errors';
import { fixturePath } from '../support/paths';
import { writeZoneFiles, type RenderedZones } from '../support/zone-template';

const CACHE = { maxEntries: 1000, minTtlSeconds: 0, maxTtlSeconds: 86_400, maxNegativeTtlSeconds: 900, staleSeconds: 0 };
const isCode = (code: string, pattern: RegExp) => (error: unknown) => error instanceof GatewayError && error.code === code && pattern.test(error.message);

describe('createDnsClient', () => {
  let rendered: RenderedZones;
  let upstream: EmbeddedDnsServer;

  before(async () => {
    rendered = await writeZoneFiles([fixturePath('zones', 'imsp-a.test.zone'), fixturePath('zones', 'imsp-b.test.zone')], { PORT_A1: 1, PORT_A2: 2, PORT_B1: 3, PORT_B2: 4 });
    // The "network": a server holding imsp-b.test only.
    upstream = await EmbeddedDnsServer.start({ source: new ZoneDnsClient([rendered.files[1] as string]) });
  });
  after(async () => {
    await upstream.close();
    await rendered.remove();
  });

  it('answers names of its zone files in process and the others from the servers, all behind the cache', async () => {
    const options: GatewayConfig['dns'] = { servers: [upstream.address], zoneFiles: [rendered.files[0] as string], timeoutMs: 1000, attempts: 1, cache: CACHE, udpPool: { ...DEFAULT_UDP_SOCKET_POOL } };
    const dns = createDnsClient(options);
    const local = await dns.query('_imps-server._tcp.imsp-a.test', 'SRV');
    const remote = await dns.query('_imps-server._tcp.imsp-b.test', 'SRV');
    assert.deepEqual([local.source, remote.source, remote.server], ['zone', 'dns', upstream.address]);
    assert.equal(upstream.queryCount, 1);
    const again = await Promise.all([dns.query('_imps-server._tcp.imsp-a.test', 'SRV'), dns.query('_imps-server._tcp.imsp-b.test', 'SRV')]);
    assert.deepEqual(again.map((answer) => answer.source), ['cache', 'cache']);
    assert.equal(upstream.queryCount, 1);
  });

  it('follows an alias in a zone file that points outside the zone files at the servers', async () => {
    const file = path.join(rendered.dir, 'alias.test.zone');
    await writeFile(file, '$ORIGIN alias.test.\n$TTL 600\n@ SOA ns hm 1 2 3 4 300\nssp CNAME gw1.imsp-b.test.\n');
    const dns = createDnsClient({ servers: [upstream.address], zoneFiles: [file], timeoutMs: 1000, attempts: 1, cache: CACHE });
    const answer = await dns.query('ssp.alias.test', 'A');
    assert.deepEqual(answer.kind === 'answer' && answer.records.map((r) => [r.name, r.data.type]), [
      ['ssp.alias.test', 'CNAME'],
      ['gw1.imsp-b.test', 'A'],
    ]);
    await dns.close();
  });

  it('with zone files only, refuses names outside them', async () => {
    const dns = createDnsClient({ servers: [], zoneFiles: [rendered.files[0] as string], timeoutMs: 1000, attempts: 1, cache: CACHE });
    assert.equal((await dns.query('gw1.imsp-a.test', 'A')).kind, 'answer');
    await assert.rejects(dns.query('gw1.imsp-b.test', 'A'), isCode('DNS_SERVFAIL', /no zone/));
  });

  it('with servers only, asks them for everything', async () => {
    const dns = createDnsClient({ servers: [upstream.address], zoneFiles: [], timeoutMs: 1000, attempts: 1, cache: CACHE });
    assert.equal((await dns.query('gw2.imsp-b.test', 'A')).source, 'dns');
    await assert.rejects(dns.query('gw1.imsp-a.test', 'A'), isCode('DNS_SERVFAIL', /REFUSED/));
  });

  it('reload() re-reads the zone files and drops cached answers', async () => {
    const file = path.join(rendered.dir, 'reload.test.zone');
    await writeFile(file, '$ORIGIN reload.test.\n$TTL 3600\n@ SOA ns hm 1 2 3 4 5\nhost A 127.0.0.1\n');
    const dns = createDnsClient({ servers: [], zoneFiles: [file], timeoutMs: 1000, attempts: 1, cache: CACHE });
    await dns.query('host.reload.test', 'A');
    await writeFile(file, '$ORIGIN reload.test.\n$TTL 3600\n@ SOA ns hm 2 2 3 4 5\nhost A 127.0.0.9\n');
    await dns.reload();
    const answer = await dns.query('host.reload.test', 'A');
    assert.deepEqual([answer.source, answer.kind === 'answer' && answer.records[0]?.data], ['zone', { type: 'A', address: '127.0.0.9' }]);
  });

  it('close() closes the network sockets: later network queries are refused, zone answers still come', async () => {
    const dns = createDnsClient({ servers: [upstream.address], zoneFiles: [rendered.files[0] as string], timeoutMs: 1000, attempts: 1, cache: CACHE });
    assert.equal((await dns.query('gw1.imsp-b.test', 'A')).source, 'dns');
    await dns.close();
    await assert.rejects(dns.query('gw2.imsp-b.test', 'A'), isCode('DNS_TIMEOUT', /cancelled/));
    assert.equal((await dns.query('gw1.imsp-a.test', 'A')).source, 'zone');
    await createDnsClient({ servers: [], zoneFiles: [rendered.files[0] as string], timeoutMs: 1000, attempts: 1, cache: CACHE }).close();
  });

  it('reports configuration problems as CONFIG_INVALID', async () => {
    const bad = path.join(rendered.dir, 'bad.zone');
    await writeFile(bad, '$ORIGIN bad.test.\n$TTL 1\n@ SOA ns hm 1 2 3 4 5\nx NAPTR 1 2 "u"\n');
    assert.throws(() => createDnsClient({ servers: [], zoneFiles: [bad], timeoutMs: 1000, attempts: 1, cache: CACHE }), isCode('CONFIG_INVALID', /bad\.zone:4: NAPTR needs 6 field/));
    assert.throws(() => createDnsClient({ servers: ['dns.example:53'], zoneFiles: [], timeoutMs: 1000, attempts: 1, cache: CACHE }), isCode('CONFIG_INVALID', /dns\.example:53/));
    assert.throws(() => createDnsClient({ servers: [], zoneFiles: [], timeoutMs: 1000, attempts: 1, cache: CACHE }), isCode('CONFIG_INVALID', /at least one/));
  });
});
