// Benchmark: cold ENUM resolution of distinct numbers from a real knotd, ours vs Node's c-ares resolveNaptr.
import { promises as dnsPromises } from 'node:dns';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { configSchema } from '../src/config';
import { NetworkDnsClient, createDnsClient } from '../src/dns';
import { createEnumResolver, toEnumDomain } from '../src/enum';
import { GatewayMetrics } from '../src/metrics';
import { startKnotServer } from '../test/support/knot-server';
import type { BenchResult } from './bench-result';

const NUMBERS = 5_000;
/** Resolutions each contender makes before the timed rounds, so that the JIT has compiled its code. */
const WARM_UP = 5_000;
const CONCURRENCY = 64;
const ROUNDS = 5;
const FIRST = 4_799_000_000;

/** One contender: resolves one number (true when it got a NAPTR answer); `close` releases its sockets. */
interface Contender {
  resolve: (aus: string) => Promise<boolean>;
  close: () => Promise<void>;
}

/** One timed pass: resolutions per second (wall clock) and this process's CPU time per resolution. */
interface Pass {
  perSecond: number;
  cpuMicros: number;
}

/**
 * A zone of WARM_UP + ROUNDS × NUMBERS numbers (+4799000000…, one `E2U+im` NAPTR each) served by knotd on
 * loopback. Ours: the gateway's production path, built as buildRouting builds it — createDnsClient (DNS answer
 * cache) and createEnumResolver (result cache, regexp rewrite, trace and all) with the config defaults and
 * metrics. Baseline: `dns.promises.Resolver#resolveNaptr` (c-ares) on the same names at the same concurrency in
 * the same run. Both are cold: each round gives every contender the same fresh range of numbers, knotd is
 * authoritative (nothing to warm), our caches never see a number twice, and Node's c-ares keeps no query cache.
 * The order of contenders rotates each round so none always runs first; the best round of each is reported.
 * A third contender, NetworkDnsClient alone, tells whether the resolver or the DNS client limits the rate;
 * CPU µs per resolution are reported because wall-clock rates move with the load of a shared machine.
 */
export async function runEnumColdBench(): Promise<BenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'enum-cold-'));
  const total = WARM_UP + ROUNDS * NUMBERS;
  const zoneFile = path.join(dir, '9.9.7.4.e164.arpa.zone');
  await writeFile(zoneFile, zoneText(total));
  const knot = await startKnotServer([zoneFile], { readyTimeoutMs: 30_000 });
  const contenders = { cares: caresContender(knot.address), ours: oursContender(knot.address), networkOnly: networkClientContender(knot.address) };
  try {
    const numbers = Array.from({ length: total }, (_, index) => `+${FIRST + index}`);
    for (const contender of Object.values(contenders)) await measure(numbers.slice(0, WARM_UP), contender);
    const passes = { cares: [] as Pass[], ours: [] as Pass[], networkOnly: [] as Pass[] };
    const order = Object.keys(contenders) as Array<keyof typeof contenders>;
    for (let round = 0; round < ROUNDS; round += 1) {
      const slice = numbers.slice(WARM_UP + round * NUMBERS, WARM_UP + (round + 1) * NUMBERS);
      for (const name of [...order.slice(round % order.length), ...order.slice(0, round % order.length)]) passes[name].push(await measure(slice, contenders[name]));
    }
    const [cares, ours, networkOnly] = [bestOf(passes.cares), bestOf(passes.ours), bestOf(passes.networkOnly)];
    return {
      name: 'enum-cold',
      figures: figuresOf(cares, ours, networkOnly),
      baseline: 'node:dns Resolver#resolveNaptr (c-ares), same zone, numbers and concurrency, same knotd, both cold',
      target: 'ours ≥ c-ares',
      pass: ours.perSecond >= cares.perSecond,
    };
  } finally {
    await Promise.all(Object.values(contenders).map((contender) => contender.close()));
    await knot.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function figuresOf(cares: Pass, ours: Pass, networkOnly: Pass): BenchResult['figures'] {
  const micros = (pass: Pass): number => Number(pass.cpuMicros.toFixed(1));
  return {
    numbers: NUMBERS,
    concurrency: CONCURRENCY,
    rounds: ROUNDS,
    oursPerSecond: Math.round(ours.perSecond),
    caresPerSecond: Math.round(cares.perSecond),
    oursOverCares: Number((ours.perSecond / cares.perSecond).toFixed(2)),
    networkClientOnlyPerSecond: Math.round(networkOnly.perSecond),
    networkClientOnlyOverCares: Number((networkOnly.perSecond / cares.perSecond).toFixed(2)),
    oursCpuMicrosPerResolution: micros(ours),
    caresCpuMicrosPerResolution: micros(cares),
    networkClientOnlyCpuMicrosPerResolution: micros(networkOnly),
    /** The machine's 1-minute load average at the end of the run: other processes move every rate. */
    loadAverage1m: Number((loadavg()[0] as number).toFixed(2)),
  };
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

function caresContender(server: string): Contender {
  const resolver = new dnsPromises.Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers([server]);
  return {
    resolve: async (aus) => (await resolver.resolveNaptr(toEnumDomain(aus, 'e164.arpa'))).length > 0,
    close: async () => resolver.cancel(),
  };
}

/** The gateway's DNS and ENUM stack with the default `dns` and `enum` config (src/app/build-routing.ts). */
function oursContender(server: string): Contender {
  const metrics = new GatewayMetrics({ processMetrics: false });
  const dns = createDnsClient(configSchema.shape.dns.parse({ servers: [server] }), { metrics });
  const resolver = createEnumResolver({ dns, ...configSchema.shape.enum.parse({}), metrics });
  return { resolve: async (aus) => (await resolver.resolve(aus, 'im')).status === 'OK', close: () => dns.close() };
}

/** Diagnostic: NetworkDnsClient queries alone (no resolver), to show which layer limits the rate. */
function networkClientContender(server: string): Contender {
  const dns = new NetworkDnsClient({ servers: [server], timeoutMs: 2000, attempts: 2 });
  return { resolve: async (aus) => (await dns.query(toEnumDomain(aus, 'e164.arpa'), 'NAPTR')).kind === 'answer', close: () => dns.close() };
}

/** Resolve `numbers` with CONCURRENCY workers; every one must succeed. */
async function measure(numbers: string[], contender: Contender): Promise<Pass> {
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < numbers.length) {
      const aus = numbers[next++] as string;
      if (!(await contender.resolve(aus))) throw new Error(`no NAPTR answer for ${aus}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { perSecond: numbers.length / seconds, cpuMicros: (cpu.user + cpu.system) / numbers.length };
}

/** The fastest pass, with its own CPU figure. */
function bestOf(passes: readonly Pass[]): Pass {
  return passes.reduce((best, pass) => (pass.perSecond > best.perSecond ? pass : best));
}

if (require.main === module) {
  void runEnumColdBench().then((result) => console.log(JSON.stringify(result)));
}
