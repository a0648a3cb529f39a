// Benchmark: ENUM resolutions per second served from the resolver's result cache, on one core (~3 s).
import { createEnumResolver, type EnumResolver } from '../src/enum';
import { GatewayMetrics } from '../src/metrics';
import type { BenchResult } from './bench-result';
import { SyntheticEnumDns, benchNumbers } from './enum-synthetic-dns';

const HOT_NUMBERS = 10_000;
const LARGE_NUMBERS = 100_000;
const MEASURE_MS = 600;
const TARGET_PER_SECOND = 1_000_000;

/**
 * Sequential awaited `resolve()` calls (each one a full promise round trip, as a caller sees it) over a hot set of
 * 10,000 numbers and over 100,000 (more cache misses in the CPU). Baseline in the same run: the same resolver
 * path with TTL 0 answers, so every call resolves afresh (regexp rewrite and all) against an instant DnsClient.
 */
export async function runEnumCacheHitBench(): Promise<BenchResult> {
  const hot = await hitRate(HOT_NUMBERS, 300);
  const large = await hitRate(LARGE_NUMBERS, 300);
  const uncached = await hitRate(HOT_NUMBERS, 0);
  return {
    name: 'enum-cache-hit',
    figures: {
      hitsPerSecondHot10k: Math.round(hot),
      hitsPerSecond100k: Math.round(large),
      uncachedPerSecond: Math.round(uncached),
      speedupOverUncached: Number((hot / uncached).toFixed(1)),
    },
    baseline: 'same resolver, TTL 0 answers from an instant in-memory DnsClient (no result cache)',
    target: `≥ ${TARGET_PER_SECOND.toLocaleString('en')} cache-hit resolutions/s on one core`,
    pass: Math.min(hot, large) >= TARGET_PER_SECOND,
  };
}

async function hitRate(count: number, ttlSeconds: number): Promise<number> {
  const numbers = benchNumbers(count);
  const resolver = createEnumResolver({
    dns: new SyntheticEnumDns(ttlSeconds),
    suffixes: ['e164.arpa'],
    maxNonTerminalHops: 5,
    metrics: new GatewayMetrics({ processMetrics: false }),
  });
  for (const number of numbers) await resolver.resolve(number, 'im');
  await measure(resolver, numbers, MEASURE_MS / 4); // warm-up: let the JIT settle
  return measure(resolver, numbers, MEASURE_MS);
}

async function measure(resolver: EnumResolver, numbers: string[], durationMs: number): Promise<number> {
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(durationMs) * 1_000_000n;
  let done = 0;
  let now = started;
  while (now < deadline) {
    for (let batch = 0; batch < 10_000; batch += 1) {
      const result = await resolver.resolve(numbers[done % numbers.length] as string, 'im');
      if (result.status !== 'OK') throw new Error(`unexpected status ${result.status}`);
      done += 1;
    }
    now = process.hrtime.bigint();
  }
  return done / (Number(now - started) / 1e9);
}

if (require.main === module) {
  void runEnumCacheHitBench().then((result) => console.log(JSON.stringify(result)));
}
