// Benchmark: resident memory of the ENUM result cache holding 1,000,000 distinct numbers (child process, bounded heap).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CachingDnsClient, type DnsCacheOptions } from '../src/dns';
import { createEnumResolver } from '../src/enum';
import type { BenchResult } from './bench-result';
import { launcherNodeOptions } from './support/gateway-process';
import { SyntheticEnumDns, benchNumber } from './enum-synthetic-dns';

const ENTRIES = 1_000_000;
const TARGET_RSS_MB = 400;
/** Enough head-room for the cache and the garbage of filling it (a cache that needs more fails the run); the gateway's Node options. */
const CHILD_FLAGS = ['--max-old-space-size=768', '--expose-gc', ...launcherNodeOptions()];
/** Idle time after the fill before the held memory is read: V8's memory reducer gives back what the fill's garbage took. */
const SETTLE_MS = 10_000;
const CHILD_MARK = '--enum-memory-child';
/** The defaults of config `dns.cache` (not parsed from the schema here: loading zod would add ~20 MB to the RSS). */
const DNS_CACHE: DnsCacheOptions = { maxEntries: 1_000_000, minTtlSeconds: 0, maxTtlSeconds: 86_400, maxNegativeTtlSeconds: 900, staleSeconds: 86_400 };

interface ChildFigures {
  baselineRssMb: number;
  /** Right after the fill and a full collection. */
  rssAfterFillMb: number;
  /** What holding the entries costs: after SETTLE_MS idle and a full collection. */
  rssMb: number;
  heapUsedMb: number;
  entries: number;
  fillSeconds: number;
}

/**
 * A fresh Node process (so nothing else shares its heap) resolves 1,000,000 distinct numbers once each through
 * the resolver and the gateway's DNS answer cache (default config `dns.cache`, as createDnsClient builds it) in
 * front of an in-memory DnsClient that keeps nothing, then collects garbage and reports its RSS. Baseline in the
 * same run: the RSS of that process after start-up and a GC, before the first look-up.
 */
export async function runEnumMemoryBench(): Promise<BenchResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [...CHILD_FLAGS, __filename, CHILD_MARK], { maxBuffer: 1 << 20 });
  const child = JSON.parse(stdout) as ChildFigures;
  const bytesPerEntry = ((child.rssMb - child.baselineRssMb) * 1e6) / child.entries;
  return {
    name: 'enum-memory',
    figures: { ...child, settledAfterSeconds: SETTLE_MS / 1000, bytesPerEntry: Math.round(bytesPerEntry), nodeOptions: CHILD_FLAGS.join(' ') },
    baseline: 'RSS of the same process before the first look-up',
    target: `${ENTRIES.toLocaleString('en')} cached numbers in ≤ ${TARGET_RSS_MB} MB RSS`,
    pass: child.entries === ENTRIES && child.rssMb <= TARGET_RSS_MB,
  };
}

async function fillInChild(): Promise<ChildFigures> {
  const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const dns = new CachingDnsClient(new SyntheticEnumDns(3600), DNS_CACHE);
  const resolver = createEnumResolver({ dns, suffixes: ['e164.arpa'], maxNonTerminalHops: 5 });
  collect();
  const baselineRss = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  // Numbers are made one by one, so that their strings are counted as part of the cache they end up in.
  for (let index = 0; index < ENTRIES; index += 1) await resolver.resolve(benchNumber(index), 'im');
  const fillSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  collect();
  const rssAfterFill = process.memoryUsage().rss;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  collect();
  const usage = process.memoryUsage();
  const megabytes = (bytes: number) => Number((bytes / 1e6).toFixed(1));
  return {
    baselineRssMb: megabytes(baselineRss),
    rssAfterFillMb: megabytes(rssAfterFill),
    rssMb: megabytes(usage.rss),
    heapUsedMb: megabytes(usage.heapUsed),
    entries: resolver.cacheSize,
    fillSeconds: Number(fillSeconds.toFixed(1)),
  };
}

if (require.main === module) {
  if (process.argv.includes(CHILD_MARK)) void fillInChild().then((figures) => console.log(JSON.stringify(figures)));
  else void runEnumMemoryBench().then((result) => console.log(JSON.stringify(result)));
}
