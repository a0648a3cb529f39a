// Benchmark: cold ENUM resolution of distinct numbers from a real knotd, ours vs Node's c-ares resolveNaptr.
import { promises as dnsPromises } from 'node:dns';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NetworkDnsClient } from '../src/dns';
import { createEnumResolver, toEnumDomain } from '../src/enum';
import { startKnotServer } from '../test/support/knot-server';
import type { BenchResult } from './bench-result';

const NUMBERS = 5_000;
const WARM_UP = 500;
const CONCURRENCY = 64;
const ROUNDS = 2;
const FIRST = 4_799_000_000;

/**
 * A zone of NUMBERS + WARM_UP numbers (+4799000000…, one `E2U+im` NAPTR each) served by knotd on loopback.
 * Ours: NetworkDnsClient + DnsEnumResolver (regexp rewrite, trace and all, every number distinct so no cache
 * hit). Baseline: `dns.promises.Resolver#resolveNaptr` (c-ares) on the same names, same concurrency, same run.
 * Rounds alternate c-ares and ours on fresh number ranges; the best round of each is reported. A third figure,
 * NetworkDnsClient alone on the same names, tells whether the resolver or the DNS client limits the rate.
 */
export async function runEnumColdBench(): Promise<BenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'enum-cold-'));
  const total = WARM_UP + ROUNDS * NUMBERS;
  const zoneFile = path.join(dir, '9.9.7.4.e164.arpa.zone');
  await writeFile(zoneFile, zoneText(total));
  const knot = await startKnotServer([zoneFile], { readyTimeoutMs: 30_000 });
  try {
    const numbers = Array.from({ length: total }, (_, index) => `+${FIRST + index}`);
    const cares = caresResolve(knot.address);
    const ours = oursResolve(knot.address, total);
    const networkOnly = networkClientResolve(knot.address);
    await rate(numbers.slice(0, WARM_UP), cares);
    await rate(numbers.slice(0, WARM_UP), ours);
    let bestCares = 0;
    let bestOurs = 0;
    let bestNetworkOnly = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const slice = numbers.slice(WARM_UP + round * NUMBERS, WARM_UP + (round + 1) * NUMBERS);
      bestCares = Math.max(bestCares, await rate(slice, cares));
      bestOurs = Math.max(bestOurs, await rate(slice, ours));
      bestNetworkOnly = Math.max(bestNetworkOnly, await rate(slice, networkOnly));
    }
    return {
      name: 'enum-cold',
      figures: {
        numbers: NUMBERS,
        concurrency: CONCURRENCY,
        oursPerSecond: Math.round(bestOurs),
        caresPerSecond: Math.round(bestCares),
        oursOverCares: Number((bestOurs / bestCares).toFixed(2)),
        networkClientOnlyPerSecond: Math.round(bestNetworkOnly),
      },
      baseline: "node:dns Resolver#resolveNaptr (c-ares), same zone, numbers and concurrency, same knotd",
      target: 'ours ≥ c-ares',
      pass: bestOurs >= bestCares,
    };
  } finally {
    await knot.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function zoneText(count: number): string {
  const lines = [
    '$ORIGIN 9.9.7.4.e164.arpa.',
    '$TTL 3600',
    '@ IN SOA ns1.imsp-a.test. hostmaster.imsp-a.test. 1 3600 600 86400 60',
    '@ IN NS ns1.imsp-a.test.',
  ];
  for (let index = 0; index < count; index += 1) {
    const aus = `+${FIRST + index}`;
    const owner = toEnumDomain(aus, '').slice(0, -'.9.9.7.4.'.length);
    lines.push(`${owner} IN NAPTR 10 100 "u" "E2U+im" "!^.*$!im:${aus}@imsp-b.test!" .`);
  }
  return `${lines.join('\n')}\n`;
}

type ResolveOne = (aus: string) => Promise<boolean>;

function caresResolve(server: string): ResolveOne {
  const resolver = new dnsPromises.Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers([server]);
  return async (aus) => (await resolver.resolveNaptr(toEnumDomain(aus, 'e164.arpa'))).length > 0;
}

function oursResolve(server: string, cacheEntries: number): ResolveOne {
  const dns = new NetworkDnsClient({ servers: [server], timeoutMs: 2000, attempts: 2 });
  const resolver = createEnumResolver({ dns, suffixes: ['e164.arpa'], maxNonTerminalHops: 5, cacheMaxEntries: cacheEntries });
  return async (aus) => (await resolver.resolve(aus, 'im')).status === 'OK';
}

/** Diagnostic: NetworkDnsClient queries alone (no resolver), to show which layer limits the rate. */
function networkClientResolve(server: string): ResolveOne {
  const dns = new NetworkDnsClient({ servers: [server], timeoutMs: 2000, attempts: 2 });
  return async (aus) => (await dns.query(toEnumDomain(aus, 'e164.arpa'), 'NAPTR')).kind === 'answer';
}

/** Resolutions per second over `numbers` with CONCURRENCY workers; every one must succeed. */
async function rate(numbers: string[], resolveOne: ResolveOne): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < numbers.length) {
      const aus = numbers[next++] as string;
      if (!(await resolveOne(aus))) throw new Error(`no NAPTR answer for ${aus}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return numbers.length / (Number(process.hrtime.bigint() - started) / 1e9);
}

if (require.main === module) {
  void runEnumColdBench().then((result) => console.log(JSON.stringify(result)));
}
