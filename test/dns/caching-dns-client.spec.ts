// CachingDnsClient: TTLs on an injected clock, RFC 2308 negative caching, RFC 8767 serve-stale, coalescing, bounds.
import { strict as assert } from 'node:assert';
import { CachingDnsClient, EmbeddedDnsServer, NetworkDnsClient, ZoneDnsClient, type DnsAnswer, type DnsCacheOptions, type DnsClient } from '../../src/dns';
import { GatewayError } from '../../src/errors';
import { GatewayMetrics } from '../../src/metrics';
import { fixturePath } from '../support/paths';

const NAME = '1.0.0.0.0.0.0.9.7.4.e164.arpa';
const OPTIONS: DnsCacheOptions = { maxEntries: 100, minTtlSeconds: 0, maxTtlSeconds: 86_400, maxNegativeTtlSeconds: 900, staleSeconds: 0 };
const positive = (ttlSeconds: number): DnsAnswer => ({
  kind: 'answer',
  records: [{ name: NAME, ttlSeconds, data: { type: 'A', address: '127.0.0.1' } }],
  ttlSeconds,
  source: 'dns',
});
const timeout = (): GatewayError => new GatewayError('DNS_TIMEOUT', 'no answer', { transient: true });

/** An inner client answering from a queue of outcomes (the last one repeats), counting its queries. */
class ScriptedClient implements DnsClient {
  calls = 0;
  constructor(private outcomes: Array<DnsAnswer | Error | Promise<DnsAnswer>>) {}
  answerNext(...outcomes: Array<DnsAnswer | Error>): void {
    this.outcomes = outcomes;
  }
  query(): Promise<DnsAnswer> {
    this.calls += 1;
    const outcome = this.outcomes.length > 1 ? this.outcomes.shift() : this.outcomes[0];
    return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome as DnsAnswer | Promise<DnsAnswer>);
  }
}

describe('CachingDnsClient', () => {
  let nowMs = 0;
  const now = (): number => nowMs;
  const at = (seconds: number): void => void (nowMs = seconds * 1000);
  beforeEach(() => (nowMs = 0));

  it('serves hits from the cache with the remaining TTL, then asks again after expiry', async () => {
    const inner = new ScriptedClient([positive(300)]);
    const cache = new CachingDnsClient(inner, OPTIONS, { now });
    assert.equal((await cache.query(NAME, 'A')).source, 'dns');
    at(100.5);
    const hit = await cache.query(NAME.toUpperCase(), 'A');
    assert.deepEqual([hit.source, hit.kind === 'answer' && hit.ttlSeconds, inner.calls], ['cache', 199, 1]);
    at(299.9);
    assert.equal((await cache.query(NAME, 'A')).source, 'cache');
    at(300);
    assert.equal((await cache.query(NAME, 'A')).source, 'dns');
    assert.equal(inner.calls, 2);
  });

  it('keys by type as well as name', async () => {
    const inner = new ScriptedClient([positive(300)]);
    const cache = new CachingDnsClient(inner, OPTIONS, { now });
    await cache.query(NAME, 'A');
    await cache.query(NAME, 'AAAA');
    assert.equal(inner.calls, 2);
  });

  it('clamps positive TTLs to [minTtlSeconds, maxTtlSeconds]', async () => {
    const inner = new ScriptedClient([positive(0), positive(100_000)]);
    const cache = new CachingDnsClient(inner, { ...OPTIONS, minTtlSeconds: 5, maxTtlSeconds: 60 }, { now });
    await cache.query(NAME, 'A');
    at(4.9);
    assert.equal((await cache.query(NAME, 'A')).source, 'cache');
    at(5);
    await cache.query(NAME, 'A'); // refetch, now with TTL 100000 clamped to 60
    at(64.9);
    assert.equal((await cache.query(NAME, 'A')).source, 'cache');
    at(65);
    assert.equal((await cache.query(NAME, 'A')).source, 'dns');
    assert.equal(inner.calls, 3);
  });

  it('caches NXDOMAIN and NODATA for their negative TTL, clamped by maxNegativeTtlSeconds', async () => {
    const inner = new ScriptedClient([{ kind: 'nxdomain', negativeTtlSeconds: 300, source: 'dns' }]);
    const cache = new CachingDnsClient(inner, { ...OPTIONS, maxNegativeTtlSeconds: 60 }, { now });
    await cache.query(NAME, 'NAPTR');
    at(59);
    assert.deepEqual(await cache.query(NAME, 'NAPTR'), { kind: 'nxdomain', negativeTtlSeconds: 1, source: 'cache' });
    at(60);
    inner.answerNext({ kind: 'nodata', negativeTtlSeconds: 30, source: 'dns' });
    assert.equal((await cache.query(NAME, 'NAPTR')).kind, 'nodata');
    at(89);
    assert.deepEqual(await cache.query(NAME, 'NAPTR'), { kind: 'nodata', negativeTtlSeconds: 1, source: 'cache' });
    assert.equal(inner.calls, 2);
  });

  it('serves a stale answer when the inner client fails, and waits 30 s before asking again (RFC 8767)', async () => {
    const inner = new ScriptedClient([positive(10)]);
    const cache = new CachingDnsClient(inner, { ...OPTIONS, staleSeconds: 100 }, { now });
    await cache.query(NAME, 'A');
    inner.answerNext(timeout());
    at(20);
    const stale = await cache.query(NAME, 'A');
    assert.deepEqual([stale.source, stale.kind === 'answer' && stale.ttlSeconds, inner.calls], ['stale', 30, 2]);
    at(49);
    assert.equal((await cache.query(NAME, 'A')).source, 'stale');
    assert.equal(inner.calls, 2, 'no query during the failure recheck wait');
    at(50);
    inner.answerNext(positive(10));
    assert.equal((await cache.query(NAME, 'A')).source, 'dns');
    assert.equal(inner.calls, 3);
  });

  it('does not serve an answer older than staleSeconds past expiry', async () => {
    const inner = new ScriptedClient([positive(10)]);
    const cache = new CachingDnsClient(inner, { ...OPTIONS, staleSeconds: 100 }, { now });
    await cache.query(NAME, 'A');
    inner.answerNext(timeout());
    at(110);
    await assert.rejects(cache.query(NAME, 'A'), (error: unknown) => error instanceof GatewayError && error.code === 'DNS_TIMEOUT');
    assert.equal(cache.size, 0);
  });

  it('passes on errors that are not transient, and errors with nothing cached', async () => {
    const inner = new ScriptedClient([new GatewayError('DNS_SERVFAIL', 'refused', { transient: false })]);
    const cache = new CachingDnsClient(inner, { ...OPTIONS, staleSeconds: 100 }, { now });
    await assert.rejects(cache.query(NAME, 'A'), (error: unknown) => error instanceof GatewayError && error.code === 'DNS_SERVFAIL');
    inner.answerNext(positive(1));
    await cache.query(NAME, 'A');
    at(2);
    inner.answerNext(new GatewayError('DNS_SERVFAIL', 'refused', { transient: false }));
    await assert.rejects(cache.query(NAME, 'A'), (error: unknown) => error instanceof GatewayError && error.code === 'DNS_SERVFAIL');
  });

  it('coalesces concurrent misses of one name and type into one inner query', async () => {
    let release: (answer: DnsAnswer) => void = () => undefined;
    const inner = new ScriptedClient([new Promise<DnsAnswer>((resolve) => (release = resolve))]);
    const cache = new CachingDnsClient(inner, OPTIONS, { now });
    const pending = Array.from({ length: 100 }, () => cache.query(NAME, 'A'));
    release(positive(60));
    const answers = await Promise.all(pending);
    assert.equal(inner.calls, 1);
    assert.ok(answers.every((answer) => answer.kind === 'answer'));
  });

  it("stops only the aborting caller's wait", async () => {
    let release: (answer: DnsAnswer) => void = () => undefined;
    const inner = new ScriptedClient([new Promise<DnsAnswer>((resolve) => (release = resolve))]);
    const cache = new CachingDnsClient(inner, OPTIONS, { now });
    const controller = new AbortController();
    const aborted = cache.query(NAME, 'A', controller.signal);
    const other = cache.query(NAME, 'A');
    controller.abort();
    await assert.rejects(aborted, (error: unknown) => error instanceof GatewayError && error.code === 'DNS_TIMEOUT' && /cancelled/.test(error.message));
    release(positive(60));
    assert.equal((await other).kind, 'answer');
  });

  it('holds at most maxEntries, evicting the least recently used, and reports the count as a gauge', async () => {
    const metrics = new GatewayMetrics({ processMetrics: false });
    const inner = new ScriptedClient([positive(300)]);
    const cache = new CachingDnsClient(inner, { ...OPTIONS, maxEntries: 3 }, { now, metrics });
    for (const label of ['a', 'b', 'c', 'd', 'e']) await cache.query(`${label}.test`, 'A');
    assert.equal(cache.size, 3);
    assert.equal((await metrics.dnsCacheEntries.get()).values[0]?.value, 3);
    await cache.query('e.test', 'A');
    assert.equal(inner.calls, 5);
    await cache.query('a.test', 'A');
    assert.equal(inner.calls, 6, 'a.test was evicted');
  });

  it('sends unstored queries to the inner client, neither answering them from the cache nor storing them', async () => {
    const inner = new ScriptedClient([positive(60)]);
    const cache = new CachingDnsClient(inner, { ...OPTIONS, staleSeconds: 100 }, { now });
    assert.equal(cache.unstored.staleSeconds, 100);
    assert.equal((await cache.unstored.query(NAME, 'NAPTR')).source, 'dns');
    assert.deepEqual([inner.calls, cache.size], [1, 0]);
    await cache.query(NAME, 'NAPTR');
    assert.equal((await cache.unstored.query(NAME, 'NAPTR')).source, 'dns', 'not from the entry a stored query left');
    assert.deepEqual([inner.calls, cache.size], [3, 1]);
  });

  it('coalesces concurrent unstored queries of one name and type, and shares their failure too', async () => {
    let release: (answer: DnsAnswer) => void = () => undefined;
    const inner = new ScriptedClient([new Promise<DnsAnswer>((resolve) => (release = resolve))]);
    const cache = new CachingDnsClient(inner, OPTIONS, { now });
    const pending = [cache.unstored.query(NAME, 'NAPTR'), cache.unstored.query(NAME.toUpperCase(), 'NAPTR'), cache.unstored.query(NAME, 'SRV')];
    release(positive(60));
    const answers = await Promise.all(pending);
    assert.deepEqual([inner.calls, cache.size], [2, 0], 'one NAPTR query, one SRV query, nothing stored');
    assert.ok(answers.every((answer) => answer.source === 'dns'));
    inner.answerNext(timeout());
    const failures = await Promise.allSettled([cache.unstored.query(NAME, 'NAPTR'), cache.unstored.query(NAME, 'NAPTR')]);
    assert.equal(inner.calls, 3);
    assert.ok(failures.every((outcome) => outcome.status === 'rejected'));
  });

  it("bounds the TTLs of unstored answers as it bounds its own (the ENUM result cache keeps them)", async () => {
    const nxdomain: DnsAnswer = { kind: 'nxdomain', negativeTtlSeconds: 604_800, source: 'dns' };
    const inner = new ScriptedClient([positive(2_147_483_647), nxdomain, positive(1)]);
    const cache = new CachingDnsClient(inner, { ...OPTIONS, minTtlSeconds: 30, maxTtlSeconds: 86_400, maxNegativeTtlSeconds: 900 }, { now });
    const long = await cache.unstored.query(NAME, 'NAPTR');
    const negative = await cache.unstored.query(NAME, 'NAPTR');
    const short = await cache.unstored.query(NAME, 'NAPTR');
    assert.deepEqual(
      [long.kind === 'answer' && long.ttlSeconds, negative.kind === 'nxdomain' && negative.negativeTtlSeconds, short.kind === 'answer' && short.ttlSeconds],
      [86_400, 900, 30],
    );
  });

  it('passes every failure of an unstored query on: its caller serves what it kept', async () => {
    const inner = new ScriptedClient([positive(10)]);
    const cache = new CachingDnsClient(inner, { ...OPTIONS, staleSeconds: 100 }, { now });
    await cache.query(NAME, 'NAPTR');
    inner.answerNext(timeout());
    at(20);
    await assert.rejects(cache.unstored.query(NAME, 'NAPTR'), (error: unknown) => error instanceof GatewayError && error.code === 'DNS_TIMEOUT');
  });

  it('allocates as entries arrive, not for maxEntries up front', () => {
    // Preallocating 10,000,000 slots takes well over 100 MB (index arrays of 4 and 8 octets a slot).
    const before = process.memoryUsage();
    const cache = new CachingDnsClient(new ScriptedClient([positive(300)]), { ...OPTIONS, maxEntries: 10_000_000 });
    const after = process.memoryUsage();
    const grownMb = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 1e6;
    assert.ok(grownMb < 10, `construction took ${grownMb.toFixed(1)} MB`);
    assert.equal(cache.size, 0);
  });
});

describe('CachingDnsClient over the network', () => {
  it('sends ONE query to the server for 1,000 concurrent look-ups of one uncached name', async () => {
    const server = await EmbeddedDnsServer.start({ source: new ZoneDnsClient([fixturePath('zones', 'e164.arpa.zone')]) });
    try {
      const network = new NetworkDnsClient({ servers: [server.address], timeoutMs: 2000, attempts: 1 });
      const cache = new CachingDnsClient(network, OPTIONS);
      const answers = await Promise.all(Array.from({ length: 1000 }, () => cache.query(NAME, 'NAPTR')));
      assert.equal(server.queryCount, 1);
      assert.ok(answers.every((answer) => answer.kind === 'answer' && answer.records.length === 3));
      await Promise.all(Array.from({ length: 1000 }, () => cache.query(NAME, 'NAPTR')));
      assert.equal(server.queryCount, 1);
    } finally {
      await server.close();
    }
  });
});
