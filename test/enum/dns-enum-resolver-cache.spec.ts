// Tests of the resolver's result cache (TTL, negative TTL, no failures), coalescing, abort, metrics, hostile regexps.
import { strict as assert } from 'node:assert';
import { CachingDnsClient, type DnsAnswer } from '../../src/dns';
import { GatewayError } from '../../src/errors';
import { createEnumResolver } from '../../src/enum';
import { GatewayMetrics } from '../../src/metrics';
import { TableDnsClient, type TableEntry } from './table-dns-client';

const NUMBER = '+4790000001';
const ARPA = '1.0.0.0.0.0.0.9.7.4.e164.arpa';
const IM_RECORD: TableEntry = { naptr: [{ regexp: '!^.*$!im:+4790000001@imsp-b.test!' }], ttlSeconds: 300 };

function setUp(table: Record<string, TableEntry>) {
  const clock = { nowMs: 1_000_000 };
  const dns = new TableDnsClient(table);
  const metrics = new GatewayMetrics({ processMetrics: false });
  const resolver = createEnumResolver({ dns, suffixes: ['e164.arpa'], maxNonTerminalHops: 5, metrics, now: () => clock.nowMs, cacheMaxEntries: 100 });
  return { clock, dns, metrics, resolver };
}

/** A DNS answer the test releases when it wants. */
function deferredAnswer(): { entry: TableEntry; release: (answer: DnsAnswer) => void; asked: Promise<void> } {
  let release!: (answer: DnsAnswer) => void;
  let markAsked!: () => void;
  const asked = new Promise<void>((resolve) => (markAsked = resolve));
  const answer = new Promise<DnsAnswer>((resolve) => (release = resolve));
  return { entry: { answer: () => (markAsked(), answer) }, release, asked };
}

const OK_ANSWER: DnsAnswer = {
  kind: 'answer',
  ttlSeconds: 300,
  source: 'dns',
  records: [{ name: ARPA, ttlSeconds: 300, data: { type: 'NAPTR', naptr: { order: 10, preference: 100, flags: 'u', services: 'E2U+im', regexp: '!^.*$!im:a@b.test!', replacement: '' } } }],
};

describe('DnsEnumResolver cache', () => {
  it('answers a repeat look-up from the result cache until the TTL ends', async () => {
    const { clock, dns, resolver } = setUp({ [`${ARPA} NAPTR`]: IM_RECORD });
    const first = await resolver.resolve(NUMBER, 'im');
    clock.nowMs += 100_500;
    const hit = await resolver.resolve('tel:+47-900-00-001', 'im');
    assert.equal(dns.queries.length, 1);
    assert.equal(hit.number, 'tel:+47-900-00-001');
    assert.equal(hit.cached, true);
    assert.equal(hit.status, 'OK');
    assert.deepEqual(hit.uris, first.uris);
    assert.equal(hit.suffix, 'e164.arpa');
    assert.equal(hit.ttlSeconds, 200);
    assert.deepEqual(hit.records, []);
    assert.match(hit.trace[0] ?? '', /served from the ENUM result cache/);
    hit.uris.push('im:mutated@x.test');
    assert.deepEqual((await resolver.resolve(NUMBER, 'im')).uris, ['im:+4790000001@imsp-b.test']);
    clock.nowMs += 200_000;
    const again = await resolver.resolve(NUMBER, 'im');
    assert.equal(again.cached, false);
    assert.equal(dns.queries.length, 2);
  });

  it('keys the cache by service as well as number', async () => {
    const { dns, resolver } = setUp({ [`${ARPA} NAPTR`]: IM_RECORD });
    await resolver.resolve(NUMBER, 'im');
    const pres = await resolver.resolve(NUMBER, 'pres');
    assert.equal(pres.status, 'NO_USABLE');
    assert.equal(dns.queries.length, 2);
    assert.equal(resolver.cacheSize, 2);
  });

  it('keeps negative results for their negative TTL, failures not at all', async () => {
    const { clock, dns, resolver } = setUp({ [`9.e164.arpa NAPTR`]: { fail: 'DNS_SERVFAIL' } });
    assert.equal((await resolver.resolve(NUMBER, 'im')).status, 'NXDOMAIN');
    assert.equal((await resolver.resolve(NUMBER, 'im')).cached, true);
    clock.nowMs += 60_000;
    assert.equal((await resolver.resolve(NUMBER, 'im')).cached, false);
    assert.equal((await resolver.resolve('+9', 'im')).status, 'SERVFAIL');
    assert.equal((await resolver.resolve('+9', 'im')).status, 'SERVFAIL');
    assert.equal(dns.queries.filter((query) => query.startsWith('9.e164.arpa')).length, 2);
  });

  it('coalesces concurrent misses of the same key into one DNS query', async () => {
    const deferred = deferredAnswer();
    const { dns, resolver } = setUp({ [`${ARPA} NAPTR`]: deferred.entry });
    const pending = [resolver.resolve(NUMBER, 'im'), resolver.resolve('wv:+4790000001', 'im'), resolver.resolve(NUMBER, 'im')];
    await deferred.asked;
    deferred.release(OK_ANSWER);
    const results = await Promise.all(pending);
    assert.equal(dns.queries.length, 1);
    assert.deepEqual(results.map((result) => result.uris[0]), ['im:a@b.test', 'im:a@b.test', 'im:a@b.test']);
    assert.equal(results[1]?.number, 'wv:+4790000001');
  });

  it('an aborted caller gets ENUM_TIMEOUT while the shared look-up still serves the others', async () => {
    const deferred = deferredAnswer();
    const { resolver } = setUp({ [`${ARPA} NAPTR`]: deferred.entry });
    const controller = new AbortController();
    const abandoned = resolver.resolve(NUMBER, 'im', controller.signal);
    const patient = resolver.resolve(NUMBER, 'im');
    await deferred.asked;
    controller.abort();
    await assert.rejects(abandoned, (error: unknown) => error instanceof GatewayError && error.code === 'ENUM_TIMEOUT' && error.transient);
    deferred.release(OK_ANSWER);
    assert.equal((await patient).status, 'OK');
  });

  it('counts look-ups in enum_lookups_total by service, status and source, hits included', async () => {
    const { metrics, resolver } = setUp({ [`${ARPA} NAPTR`]: IM_RECORD });
    await resolver.resolve(NUMBER, 'im');
    await resolver.resolve(NUMBER, 'im');
    await resolver.resolve(NUMBER, 'im');
    await assert.rejects(resolver.resolve('+47*', 'im'));
    const text = (await metrics.render()).body;
    assert.match(text, /enum_lookups_total\{service="im",status="OK",source="zone"\} 1/);
    assert.match(text, /enum_lookups_total\{service="im",status="OK",source="cache"\} 2/);
    assert.match(text, /enum_lookups_total\{service="im",status="REJECTED",source="input"\} 1/);
    await resolver.resolve(NUMBER, 'im');
    assert.match((await metrics.render()).body, /enum_lookups_total\{service="im",status="OK",source="cache"\} 3/);
  });

  describe('over a caching DnsClient (RFC 8767 serve-stale for the numbers it does not store)', () => {
    function setUpCached(table: Record<string, TableEntry>, staleSeconds: number) {
      const clock = { nowMs: 1_000_000 };
      const zone = new TableDnsClient(table);
      const dns = new CachingDnsClient(zone, { maxEntries: 100, minTtlSeconds: 0, maxTtlSeconds: 86_400, maxNegativeTtlSeconds: 900, staleSeconds });
      const metrics = new GatewayMetrics({ processMetrics: false });
      const resolver = createEnumResolver({ dns, suffixes: ['e164.arpa'], maxNonTerminalHops: 5, metrics, now: () => clock.nowMs, cacheMaxEntries: 100 });
      return { clock, zone, dns, metrics, resolver };
    }

    it("asks a number's own name without storing it, and names reached by non-terminal records through the cache", async () => {
      const { zone, dns, resolver } = setUpCached(
        {
          [`${ARPA} NAPTR`]: { naptr: [{ flags: '', services: '', replacement: 'numbers.carrier.test' }] },
          '2.0.0.0.0.0.0.9.7.4.e164.arpa NAPTR': { naptr: [{ flags: '', services: '', replacement: 'numbers.carrier.test' }] },
          'numbers.carrier.test NAPTR': { naptr: [{ regexp: '!^\\+47(.*)$!im:\\1@imsp-c.test!' }] },
        },
        3600,
      );
      assert.deepEqual((await resolver.resolve(NUMBER, 'im')).uris, ['im:90000001@imsp-c.test']);
      assert.deepEqual((await resolver.resolve('+4790000002', 'im')).uris, ['im:90000002@imsp-c.test']);
      assert.equal(zone.queries.filter((query) => query === 'numbers.carrier.test NAPTR').length, 1);
      assert.equal(dns.size, 1);
    });

    it("concurrent im and pres look-ups of one new number ask its name once, each getting its own service's result", async () => {
      const { zone, resolver } = setUpCached(
        { [`${ARPA} NAPTR`]: { naptr: [{ regexp: '!^.*$!im:+4790000001@imsp-b.test!' }, { services: 'E2U+pres', regexp: '!^.*$!pres:+4790000001@imsp-b.test!' }] } },
        0,
      );
      const [im, pres] = await Promise.all([resolver.resolve(NUMBER, 'im'), resolver.resolve(NUMBER, 'pres')]);
      assert.deepEqual([im.uris, pres.uris], [['im:+4790000001@imsp-b.test'], ['pres:+4790000001@imsp-b.test']]);
      assert.equal(zone.queries.filter((query) => query === `${ARPA} NAPTR`).length, 1);
    });

    it('serves the expired result when DNS fails, and waits 30 s before asking DNS again', async () => {
      const table: Record<string, TableEntry> = { [`${ARPA} NAPTR`]: IM_RECORD };
      const { clock, zone, metrics, resolver } = setUpCached(table, 3600);
      const fresh = await resolver.resolve(NUMBER, 'im');
      table[`${ARPA} NAPTR`] = { fail: 'DNS_TIMEOUT' };
      clock.nowMs += 400_000;
      const stale = await resolver.resolve(NUMBER, 'im');
      assert.deepEqual([stale.status, stale.uris, stale.suffix, stale.ttlSeconds, stale.cached, stale.records], ['OK', fresh.uris, 'e164.arpa', 30, true, []]);
      assert.match(stale.trace.join('\n'), /failed: DNS_TIMEOUT[\s\S]*RFC 8767/);
      assert.match((await metrics.render()).body, /enum_lookups_total\{service="im",status="OK",source="stale"\} 1/);
      clock.nowMs += 29_000;
      const waiting = await resolver.resolve(NUMBER, 'im');
      assert.deepEqual([waiting.status, waiting.ttlSeconds, zone.queries.length], ['OK', 1, 2]);
      assert.match(waiting.trace[0] ?? '', /served stale/);
      clock.nowMs += 1_000;
      assert.equal((await resolver.resolve(NUMBER, 'im')).ttlSeconds, 30);
      assert.equal(zone.queries.length, 3, 'DNS is asked again after the wait');
      table[`${ARPA} NAPTR`] = IM_RECORD;
      clock.nowMs += 30_000;
      const recovered = await resolver.resolve(NUMBER, 'im');
      assert.deepEqual([recovered.cached, recovered.ttlSeconds, zone.queries.length], [false, 300, 4]);
    });

    it('serves nothing stale once staleSeconds have passed since the result expired', async () => {
      const table: Record<string, TableEntry> = { [`${ARPA} NAPTR`]: IM_RECORD };
      const { clock, resolver } = setUpCached(table, 100);
      await resolver.resolve(NUMBER, 'im');
      table[`${ARPA} NAPTR`] = { fail: 'DNS_SERVFAIL' };
      clock.nowMs += 390_000;
      assert.equal((await resolver.resolve(NUMBER, 'im')).status, 'OK');
      clock.nowMs += 10_000;
      assert.equal((await resolver.resolve(NUMBER, 'im')).status, 'SERVFAIL');
    });
  });

  it('a crafted catastrophic regexp is answered while a concurrent normal look-up completes', async () => {
    const crafted = '+479000000000001';
    const craftedName = `${crafted.slice(1).split('').reverse().join('.')}.e164.arpa`;
    const { resolver } = setUp({
      // A backtracking engine needs minutes for this pattern on 15 digits; the linear-time engine does not care.
      [`${craftedName} NAPTR`]: { naptr: [{ regexp: '!^\\+((([0-9]+)+)+)+x$!im:\\1@evil.test!' }] },
      [`${ARPA} NAPTR`]: IM_RECORD,
    });
    const [hostile, normal] = await Promise.all([resolver.resolve(crafted, 'im'), resolver.resolve(NUMBER, 'im')]);
    assert.equal(hostile.status, 'NO_USABLE');
    assert.ok(hostile.trace.some((line) => line.includes('regexp does not match')));
    assert.equal(normal.status, 'OK');
  });
});
