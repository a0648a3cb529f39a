// ZoneDnsClient (RFC 1034 §4.3.2, RFC 2308, RFC 8020): answers, NXDOMAIN vs NODATA, negative TTL, reload.
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ZoneDnsClient, type DnsAnswer } from '../../src/dns';
import { GatewayError } from '../../src/errors';
import { fixturePath } from '../support/paths';
import { writeZoneFiles, type RenderedZones } from '../support/zone-template';

const E164 = fixturePath('zones', 'e164.arpa.zone');
/** RFC 6116 §2.4: +4790000001 → 1.0.0.0.0.0.0.9.7.4.e164.arpa */
const enumName = (e164: string): string => `${e164.slice(1).split('').reverse().join('.')}.e164.arpa`;
const isConfigError = (pattern: RegExp) => (error: unknown) =>
  error instanceof GatewayError && error.code === 'CONFIG_INVALID' && pattern.test(error.message);

describe('ZoneDnsClient', () => {
  let rendered: RenderedZones;
  let zones: ZoneDnsClient;
  let dir: string;

  before(async () => {
    rendered = await writeZoneFiles([fixturePath('zones', 'imsp-a.test.zone')], { PORT_A1: 17001, PORT_A2: 17002 });
    zones = new ZoneDnsClient([E164, ...rendered.files]);
    dir = await mkdtemp(path.join(tmpdir(), 'zone-client-'));
  });
  after(async () => {
    await rendered.remove();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers an RRset authoritatively, source zone, with its TTL', async () => {
    const answer = await zones.query(enumName('+4790000001'), 'NAPTR');
    assert.equal(answer.kind, 'answer');
    assert.equal(answer.source, 'zone');
    assert.equal(answer.kind === 'answer' && answer.ttlSeconds, 3600);
    assert.deepEqual(answer.kind === 'answer' && answer.records.map((r) => r.data.type === 'NAPTR' && r.data.naptr.services), ['E2U+im', 'E2U+pres', 'E2U+sip']);
  });

  it('takes the TTL written on the records', async () => {
    const answer = await zones.query(enumName('+4790000002'), 'NAPTR');
    assert.equal(answer.kind === 'answer' && answer.ttlSeconds, 300);
  });

  it('matches names case-insensitively, with or without the trailing dot', async () => {
    const answer = await zones.query(`${enumName('+4790000001').toUpperCase()}.`, 'NAPTR');
    assert.equal(answer.kind === 'answer' && answer.records.length, 3);
  });

  it('answers SRV with the rendered ports and targets', async () => {
    const answer = await zones.query('_imps-server._tcp.imsp-a.test', 'SRV');
    assert.deepEqual(answer.kind === 'answer' && answer.records.map((r) => r.data), [
      { type: 'SRV', srv: { priority: 10, weight: 100, port: 17001, target: 'gw1.imsp-a.test' } },
      { type: 'SRV', srv: { priority: 20, weight: 100, port: 17002, target: 'gw2.imsp-a.test' } },
    ]);
  });

  const negative: Array<{ title: string; name: string; type: 'NAPTR' | 'A' | 'SRV'; kind: DnsAnswer['kind'] }> = [
    { title: 'a number with no records is NXDOMAIN', name: enumName('+4790000099'), type: 'NAPTR', kind: 'nxdomain' },
    { title: 'an existing name asked for another type is NODATA', name: enumName('+4790000001'), type: 'A', kind: 'nodata' },
    { title: 'an empty non-terminal in the ENUM tree is NODATA', name: '0.0.0.0.0.0.9.7.4.e164.arpa', type: 'NAPTR', kind: 'nodata' },
    { title: 'the empty non-terminal _tcp under a domain is NODATA', name: '_tcp.imsp-a.test', type: 'SRV', kind: 'nodata' },
    { title: 'a name below an existing leaf is NXDOMAIN', name: `x.${enumName('+4790000001')}`, type: 'NAPTR', kind: 'nxdomain' },
  ];
  for (const { title, name, type, kind } of negative) {
    it(`${title}, with the SOA negative TTL min(3600, 300)`, async () => {
      assert.deepEqual(await zones.query(name, type), { kind, negativeTtlSeconds: 300, source: 'zone' });
    });
  }

  it('uses the SOA record TTL as negative TTL when it is below MINIMUM (RFC 2308 §5)', async () => {
    const file = path.join(dir, 'low.zone');
    await writeFile(file, '$ORIGIN low.test.\n@ 30 IN SOA ns hm 1 2 3 4 900\n');
    assert.deepEqual(await new ZoneDnsClient([file]).query('none.low.test', 'A'), { kind: 'nxdomain', negativeTtlSeconds: 30, source: 'zone' });
  });

  it('follows a CNAME: the chain first, then the RRset; the TTL is the smallest of them', async () => {
    const answer = await zones.query(enumName('+4790000007'), 'NAPTR');
    assert.equal(answer.kind, 'answer');
    if (answer.kind !== 'answer') return;
    assert.deepEqual(answer.records.map((r) => r.data.type), ['CNAME', 'NAPTR', 'NAPTR', 'NAPTR']);
    assert.equal(answer.records[1]?.name, enumName('+4790000001'));
    assert.equal(answer.ttlSeconds, 3600);
  });

  it('ends a CNAME chain that leaves the zones as NODATA, or follows it beyond them when told where', async () => {
    const file = path.join(dir, 'alias.zone');
    await writeFile(file, '$ORIGIN alias.test.\n$TTL 600\n@ SOA ns hm 1 2 3 4 300\nssp CNAME gw1.imsp-b.test.\n');
    // Beyond the zones: a server that knows gw1.imsp-b.test, reached through another ZoneDnsClient here.
    const remote = path.join(dir, 'imsp-b.zone');
    await writeFile(remote, '$ORIGIN imsp-b.test.\n$TTL 60\n@ SOA ns hm 1 2 3 4 300\ngw1 A 192.0.2.20\n');
    assert.deepEqual(await new ZoneDnsClient([file]).query('ssp.alias.test', 'A'), { kind: 'nodata', negativeTtlSeconds: 0, source: 'zone' });
    const answer = await new ZoneDnsClient([file], new ZoneDnsClient([remote])).query('ssp.alias.test', 'A');
    assert.deepEqual(answer.kind === 'answer' && [answer.records.map((r) => r.data), answer.ttlSeconds], [
      [
        { type: 'CNAME', host: 'gw1.imsp-b.test' },
        { type: 'A', address: '192.0.2.20' },
      ],
      60,
    ]);
  });

  it('answers a CNAME question with the CNAME itself', async () => {
    const answer = await zones.query('www.imsp-a.test', 'CNAME');
    assert.deepEqual(answer.kind === 'answer' && answer.records.map((r) => r.data), [{ type: 'CNAME', host: 'gw1.imsp-a.test' }]);
  });

  it('refuses names outside every zone with DNS_SERVFAIL (not transient)', async () => {
    assert.equal(zones.isAuthoritativeFor('imsp-b.test'), false);
    assert.equal(zones.isAuthoritativeFor('GW1.imsp-a.test.'), true);
    await assert.rejects(zones.query('gw1.imsp-b.test', 'A'), (error: unknown) => error instanceof GatewayError && error.code === 'DNS_SERVFAIL' && !error.transient && /refused/.test(error.message));
  });

  it('reloads changed files, and keeps the old data when a file became invalid', async () => {
    const file = path.join(dir, 'reload.zone');
    await writeFile(file, '$ORIGIN reload.test.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\nold A 127.0.0.1\n');
    const client = new ZoneDnsClient([file]);
    await writeFile(file, '$ORIGIN reload.test.\n$TTL 60\n@ SOA ns hm 2 2 3 4 5\nnew A 127.0.0.2\n');
    await client.reload();
    assert.equal((await client.query('new.reload.test', 'A')).kind, 'answer');
    assert.equal((await client.query('old.reload.test', 'A')).kind, 'nxdomain');
    await writeFile(file, '$ORIGIN reload.test.\n$TTL 60\n@ SOA ns hm 3 2 3 4 5\nbroken A 999.0.0.1\n');
    await assert.rejects(client.reload(), isConfigError(new RegExp(`^${file}:4: "999.0.0.1" is not an IPv4 address`)));
    assert.equal((await client.query('new.reload.test', 'A')).kind, 'answer');
  });

  const invalid: Array<{ title: string; text: string; reason: RegExp }> = [
    { title: 'a zone without SOA', text: '$ORIGIN z.test.\n$TTL 1\na A 127.0.0.1\n', reason: /:1: zone has no SOA record/ },
    { title: 'a second SOA', text: '$ORIGIN z.test.\n$TTL 1\n@ SOA a b 1 2 3 4 5\n@ SOA a b 2 2 3 4 5\n', reason: /:4: zone has a second SOA/ },
    { title: 'data outside the zone', text: '$ORIGIN z.test.\n$TTL 1\n@ SOA a b 1 2 3 4 5\nx.other.test. A 127.0.0.1\n', reason: /:4: "x.other.test" is outside the zone z.test/ },
    { title: 'a CNAME beside other data', text: '$ORIGIN z.test.\n$TTL 1\n@ SOA a b 1 2 3 4 5\nw CNAME a\nw A 127.0.0.1\n', reason: /:5: "w.z.test" has a CNAME and other data/ },
  ];
  for (const { title, text, reason } of invalid) {
    it(`rejects ${title} at construction with file:line`, async () => {
      const file = path.join(dir, 'invalid.zone');
      await writeFile(file, text);
      assert.throws(() => new ZoneDnsClient([file]), isConfigError(reason));
    });
  }

  it('rejects two files for the same zone', () => {
    assert.throws(() => new ZoneDnsClient([E164, E164]), isConfigError(/zone 7\.4\.e164\.arpa is also loaded/));
  });
});
