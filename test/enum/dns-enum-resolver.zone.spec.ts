// ENUM rules end to end on real zone data: the fixture zones answered in process and by a real knotd on loopback.
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { NetworkDnsClient, ZoneDnsClient, type DnsClient } from '../../src/dns';
import { createEnumResolver, type EnumResult, type EnumService } from '../../src/enum';
import { startKnotServer, type KnotServer } from '../support/knot-server';
import { fixturePath } from '../support/paths';

const ZONE_DIR = fixturePath('zones', 'enum');
const ZONE_FILES = readdirSync(ZONE_DIR).map((file) => fixturePath('zones', 'enum', file));

interface Case {
  number: string;
  service?: EnumService;
  rule: string;
  expect: Partial<EnumResult>;
}

const CASES: Case[] = [
  { number: '+46700000001', rule: 'terminal record', expect: { status: 'OK', uris: ['im:+46700000001@imsp-b.test'], suffix: 'e164.arpa', ttlSeconds: 600 } },
  { number: '+46700000002', rule: 'NXDOMAIN → next suffix', expect: { status: 'OK', uris: ['im:+46700000002@imsp-c.test'], suffix: 'e164enum.test', ttlSeconds: 120 } },
  { number: '+46700000003', rule: 'NODATA → next suffix', expect: { status: 'OK', uris: ['im:+46700000003@imsp-c.test'], suffix: 'e164enum.test', ttlSeconds: 120 } },
  { number: '+46700000004', rule: 'no usable record → next suffix', expect: { status: 'OK', uris: ['im:+46700000004@imsp-c.test'], suffix: 'e164enum.test', ttlSeconds: 300 } },
  { number: '+46700000005', rule: 'non-terminal chain, regexp on the original AUS', expect: { status: 'OK', uris: ['im:700000005@imsp-c.test'], suffix: 'e164.arpa', ttlSeconds: 900 } },
  { number: '+46700000006', rule: 'loop through another zone', expect: { status: 'LOOP', uris: [], suffix: null, ttlSeconds: 60 } },
  { number: '+46700000007', rule: 'order then preference, one order only', expect: { status: 'OK', uris: ['im:first@imsp-b.test', 'im:second@imsp-b.test'] } },
  { number: '+46700000008', rule: 'bad records ignored', expect: { status: 'OK', uris: ['im:good@imsp-b.test'] } },
  {
    number: '+46700000009',
    service: 'pstn:tel',
    rule: 'number portability with rn-context',
    expect: { status: 'OK', uris: ['tel:+46700000009;npdi;rn=91000000;rn-context=+46'], np: { npdi: true, rn: '+4691000000' } },
  },
  { number: '+46700000010', rule: 'catastrophic regexp beside a good record', expect: { status: 'OK', uris: ['im:+46700000010@imsp-b.test'] } },
  { number: '+46700000011', rule: 'POSIX class, back-reference, # delimiter, i flag', expect: { status: 'OK', uris: ['im:700000011@IMSP-B.test'] } },
  { number: 'tel:+46-700-000-011', service: 'pres', rule: 'E2U+SIP+pres, / delimiter', expect: { status: 'OK', uris: ['pres:0700000011@imsp-b.test'] } },
  { number: '+46700000012', rule: 'CNAME to another number', expect: { status: 'OK', uris: ['im:+46700000001@imsp-b.test'], ttlSeconds: 600 } },
  { number: '+46700000099', rule: 'NXDOMAIN in every tree', expect: { status: 'NXDOMAIN', uris: [], suffix: null, ttlSeconds: 60 } },
];

function checkCases(dns: () => DnsClient): void {
  const resolve = (testCase: Case) =>
    createEnumResolver({ dns: dns(), suffixes: ['e164.arpa', 'e164enum.test'], maxNonTerminalHops: 3, cacheMaxEntries: 100 }).resolve(testCase.number, testCase.service ?? 'im');
  for (const testCase of CASES) {
    it(`${testCase.number} ${testCase.service ?? 'im'}: ${testCase.rule}`, async () => {
      const result = await resolve(testCase);
      const picked = Object.fromEntries(Object.keys(testCase.expect).map((key) => [key, result[key as keyof EnumResult]]));
      assert.deepEqual(picked, testCase.expect, result.trace.join('\n'));
    });
  }
  it('every case at once: a hostile record does not hold up the others', async () => {
    const results = await Promise.all(CASES.map(resolve));
    assert.deepEqual(results.map((result) => result.status), CASES.map((testCase) => testCase.expect.status));
  });
}

describe('DnsEnumResolver on the fixture zones', () => {
  describe('in process (ZoneDnsClient)', () => {
    const zones = new ZoneDnsClient(ZONE_FILES);
    checkCases(() => zones);
  });

  describe('over the network from a real knotd', function () {
    let knot: KnotServer | undefined;
    let client: NetworkDnsClient | undefined;
    before(async () => {
      knot = await startKnotServer(ZONE_FILES);
      client = new NetworkDnsClient({ servers: [knot.address], timeoutMs: 1000, attempts: 2 });
    });
    after(async () => {
      await knot?.stop();
    });
    checkCases(() => client as NetworkDnsClient);
  });
});
