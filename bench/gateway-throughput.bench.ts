// Benchmark (issue 4): SendMessageRequest core → gateway → peer through warm ENUM, vs a bare Node HTTP forwarder.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startKnotServer } from '../test/support/knot-server';
import type { BenchResult } from './bench-result';
import { CORE_SENDER, FIRST_PEER_NUMBER, GATEWAY_CPU, LOAD_CPU, OUR_DOMAIN, PEER_DOMAIN, PEER_NUMBER_PREFIX, benchGatewayConfig } from './support/bench-gateway-config';
import { writeEnumZone, writeSspDomainZone } from './support/bench-zones';
import { canPin, spawnRpcChild, type RpcChild } from './support/child-rpc';
import { CleanupStack } from './support/cleanup-stack';
import { formatProfileSummary, summariseCpuProfile } from './support/cpu-profile-summary';
import { launcherNodeOptions, startGatewayProcess, type GatewayProcess } from './support/gateway-process';
import { hostUdpSendsPerSecond, withHostUdpSends } from './support/host-syscall-probe';
import { errorCount, median, type ClosedLoopResult, type OpenLoopResult } from './support/load-driver';
import { PeerProcess, type Traffic } from './support/peer-process';
import { sumMetric } from './support/prometheus-text';
import { coresUsed, readMachineBusySeconds, readProcessStats, type ProcessStats } from './support/process-stats';

/*
 * Path: our IMPS core (a load peer) sends SendMessageRequest to `wv:+4791NNNNNNN` (domain-less numbers, seed
 * 004); the gateway stores it, routes it through ENUM (NAPTR from knotd, warm in the gateway's cache) to
 * imsp-b.test, finds that peer's SSP server by SRV, and delivers it; the peer's SendMessageResponse goes back
 * to the core. Four HTTP exchanges per message (ssp-profile §1, asynchronous answers), deliveryReport="No" —
 * fewer under load: the gateway coalesces what it sends to one peer into shared Session POSTs (ssp-profile §2),
 * and the sink answers the requests of one POST in one POST. The core sends one transaction per POST (as the
 * deployed peer does), or with `--coalescing-core` one POST per event-loop turn; the forwarder forwards each
 * POST as it came, so it gets the same POSTs from the same peers.
 * Processes: the gateway (or the forwarder) pinned to CPU 0 (one core); the two load peers and knotd unpinned.
 * Closed loop (N outstanding) gives max throughput — rounds alternate gateway and forwarder so both see the
 * same machine load, median of the rounds; then an open loop at half the gateway's max gives p50/p99 for
 * both at that same offered rate. The forwarder and its fairness are described in support/bare-forwarder.ts.
 */

const NUMBERS = 2_000;
const TARGET_TPS = 5_000;
const TARGET_RATIO = 0.6;
const TARGET_RSS_MB = 256;

interface Settings {
  concurrency: number;
  seconds: number;
  rounds: number;
  openSeconds: number;
  profile: boolean;
  pin: boolean;
  logLevel: string;
  /** The core sends what one turn originates in one Session POST (as an SspNode-based core does), else one per POST. */
  coalescingCore: boolean;
}

interface Rig {
  origins: PeerProcess;
  sinks: PeerProcess;
  gateway: GatewayProcess;
  forwarder: RpcChild;
}

interface RoundResult {
  perSecond: number;
  /** CPU cores used by the gateway (or forwarder), by both load peer processes, and by the whole machine. */
  cores: number;
  peerCores: number;
  machineCores: number;
  errors: number;
}

const traffic: Traffic = { sender: CORE_SENDER, first: FIRST_PEER_NUMBER, count: NUMBERS, offset: 0 };

function readSettings(): Settings {
  const { values } = parseArgs({
    options: {
      concurrency: { type: 'string', default: '128' },
      seconds: { type: 'string', default: '4' },
      rounds: { type: 'string', default: '5' },
      'open-seconds': { type: 'string', default: '8' },
      profile: { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'warn' },
      'coalescing-core': { type: 'boolean', default: false },
    },
  });
  return {
    concurrency: Number(values.concurrency),
    seconds: Number(values.seconds),
    rounds: Number(values.rounds),
    openSeconds: Number(values['open-seconds']),
    profile: values.profile,
    pin: !values['no-pin'] && canPin(),
    logLevel: values['log-level'],
    coalescingCore: values['coalescing-core'],
  };
}

async function startRig(settings: Settings, cleanup: CleanupStack): Promise<Rig> {
  const dir = await cleanup.tempDir('bench-throughput-', settings.profile);
  const origins = cleanup.add(PeerProcess.spawn(settings.pin ? { cpu: LOAD_CPU } : {}), (p) => p.stop());
  const sinks = cleanup.add(PeerProcess.spawn(settings.pin ? { cpu: LOAD_CPU } : {}), (p) => p.stop());
  const sinkUrl = await sinks.start({ name: 'gw', domain: PEER_DOMAIN, listen: '127.0.0.1:0', sessions: 'ssp', connections: 16 });
  const fwdSinkUrl = await sinks.start({ name: 'fwd', domain: PEER_DOMAIN, listen: '127.0.0.1:0', sessions: 'fixed', connections: 16 });
  const coalesce = settings.coalescingCore;
  const coreUrl = await origins.start({ name: 'gw', domain: OUR_DOMAIN, listen: '127.0.0.1:0', sessions: 'ssp', connections: 32, coalesce });
  const fwdOriginUrl = await origins.start({ name: 'fwd', domain: OUR_DOMAIN, listen: '127.0.0.1:0', sessions: 'fixed', connections: 32, coalesce });
  const zones = [writeEnumZone(dir, PEER_NUMBER_PREFIX, { first: FIRST_PEER_NUMBER, count: NUMBERS }, PEER_DOMAIN, 3600), writeSspDomainZone(dir, PEER_DOMAIN, Number(new URL(sinkUrl).port))];
  const knot = cleanup.add(await startKnotServer(zones, { readyTimeoutMs: 30_000 }), (k) => k.stop());
  const config = benchGatewayConfig({ coreUrl, dnsServer: knot.address, storePath: path.join(dir, 'gateway.db'), logLevel: settings.logLevel });
  const gatewayStart = { config, dir, name: 'gateway', ...(settings.pin ? { cpu: GATEWAY_CPU } : {}), cpuProfile: settings.profile };
  const gateway = cleanup.add(await startGatewayProcess(gatewayStart), (g) => g.stop());
  await sinks.connect('gw', gateway.sspUrl, OUR_DOMAIN);
  await origins.connect('gw', gateway.sspUrl, OUR_DOMAIN);
  await origins.establish('gw');
  const forwarder = cleanup.add(spawnRpcChild(path.join(__dirname, 'support', 'bare-forwarder.js'), settings.pin ? { cpu: GATEWAY_CPU } : {}), (f) => f.stop());
  const { url: fwdUrl } = await forwarder.call<{ url: string }>('start', { sinkUrl: fwdSinkUrl, originUrl: fwdOriginUrl, connections: 16 });
  await origins.connect('fwd', fwdUrl, OUR_DOMAIN);
  await sinks.connect('fwd', fwdUrl, OUR_DOMAIN);
  return { origins, sinks, gateway, forwarder };
}

/** One closed-loop round against `name`, reading the CPU time of the forwarding process, the load peers and the machine. */
async function closedRound(rig: Rig, name: 'gw' | 'fwd', settings: Settings, warmupMs = 500): Promise<RoundResult> {
  const pids = [name === 'gw' ? rig.gateway.pid : rig.forwarder.pid, rig.origins.pid, rig.sinks.pid];
  let before: { processes: ProcessStats[]; machine: number } | undefined;
  const read = () => ({ processes: pids.map(readProcessStats), machine: readMachineBusySeconds() });
  const measuredFrom = setTimeout(() => (before = read()), warmupMs);
  const result: ClosedLoopResult = await rig.origins.closed(name, traffic, { concurrency: settings.concurrency, warmupMs, durationMs: settings.seconds * 1000 });
  clearTimeout(measuredFrom);
  const after = read();
  const used = (index: number) => (before ? coresUsed(before.processes[index] as ProcessStats, after.processes[index] as ProcessStats, result.seconds) : Number.NaN);
  const round = {
    perSecond: result.perSecond,
    cores: used(0),
    peerCores: round2(used(1) + used(2)),
    machineCores: before ? round2((after.machine - before.machine) / result.seconds) : Number.NaN,
    errors: errorCount(result.statusCounts) + result.unanswered,
  };
  process.stderr.write(`  ${name}: ${Math.round(round.perSecond)} tx/s, cores ${round.cores} (load peers ${round.peerCores}, machine ${round.machineCores}), errors ${round.errors}\n`);
  return round;
}

/** Every number once (fills the ENUM and SRV caches, sets sessions up), then a short JIT warm-up of both paths. */
async function warmUp(rig: Rig, settings: Settings): Promise<void> {
  const cold = await rig.origins.closed('gw', traffic, { concurrency: 64, warmupMs: 0, durationMs: 60_000, maxSends: NUMBERS });
  if (errorCount(cold.statusCounts) > 0 || cold.unanswered > 0) throw new Error(`warm-up failed: ${JSON.stringify(cold)}`);
  process.stderr.write(`warm-up: ${NUMBERS} numbers resolved and delivered\n`);
  await closedRound(rig, 'gw', { ...settings, seconds: 2 });
  await closedRound(rig, 'fwd', { ...settings, seconds: 2 });
}

/** What the gateway asked DNS during the measured rounds: a warm cache means ENUM answers come from the cache. */
function dnsWork(before: string, after: string): { enumFromCache: number; enumFromDns: number; queries: number; toPeerPerPost: number; toCorePerPost: number } {
  const delta = (name: string, labels = '') => sumMetric(after, name, labels) - sumMetric(before, name, labels);
  const perPost = (peer: string) => round2(delta('ssp_transactions_per_post_sum', `peer="${peer}"`) / delta('ssp_transactions_per_post_count', `peer="${peer}"`));
  return {
    enumFromCache: delta('enum_lookups_total', 'source="cache"'),
    enumFromDns: delta('enum_lookups_total', 'source="dns"'),
    queries: delta('dns_query_duration_seconds_count'),
    toPeerPerPost: perPost(PEER_DOMAIN),
    toCorePerPost: perPost('core'),
  };
}

/** Alternate gateway and forwarder rounds, so that both see the same background load. */
async function closedRounds(rig: Rig, settings: Settings): Promise<{ gw: RoundResult[]; fwd: RoundResult[]; dns: ReturnType<typeof dnsWork> }> {
  const metricsBefore = await rig.gateway.metrics();
  const gw: RoundResult[] = [];
  const fwd: RoundResult[] = [];
  for (let round = 1; round <= settings.rounds; round += 1) {
    process.stderr.write(`round ${round}/${settings.rounds}\n`);
    gw.push(await closedRound(rig, 'gw', settings));
    fwd.push(await closedRound(rig, 'fwd', settings));
  }
  return { gw, fwd, dns: dnsWork(metricsBefore, await rig.gateway.metrics()) };
}

/** Heap and off-heap memory as the gateway reports them, to tell what its RSS is made of. */
function memoryOf(metrics: string): { heapUsedMb: number; heapTotalMb: number; externalMb: number } {
  const mb = (name: string) => Math.round(sumMetric(metrics, name) / 1024 / 102.4) / 10;
  return { heapUsedMb: mb('nodejs_heap_size_used_bytes'), heapTotalMb: mb('nodejs_heap_size_total_bytes'), externalMb: mb('nodejs_external_memory_bytes') };
}

interface Measured {
  gw: RoundResult[];
  fwd: RoundResult[];
  dns: ReturnType<typeof dnsWork>;
  rate: number;
  gwOpen: OpenLoopResult;
  fwdOpen: OpenLoopResult;
  rss: ProcessStats;
  memory: ReturnType<typeof memoryOf>;
}

async function measure(rig: Rig, settings: Settings): Promise<Measured> {
  await warmUp(rig, settings);
  const { gw, fwd, dns } = await closedRounds(rig, settings);
  const rate = Math.round(median(gw.map((r) => r.perSecond)) / 2);
  const open = { ratePerSecond: rate, durationMs: settings.openSeconds * 1000, maxOutstanding: 20_000 };
  const gwOpen = await rig.origins.open('gw', traffic, open);
  const fwdOpen = await rig.origins.open('fwd', traffic, open);
  process.stderr.write(`open loop at ${rate}/s: gateway ${JSON.stringify(gwOpen)}\n  forwarder ${JSON.stringify(fwdOpen)}\n`);
  return { gw, fwd, dns, rate, gwOpen, fwdOpen, rss: rig.gateway.stats(), memory: memoryOf(await rig.gateway.metrics()) };
}

function resultOf(settings: Settings, { gw, fwd, dns, rate, gwOpen, fwdOpen, rss, memory }: Measured): BenchResult {
  const gwMax = median(gw.map((r) => r.perSecond));
  const fwdMax = median(fwd.map((r) => r.perSecond));
  const gwCores = round2(median(gw.map((r) => r.cores)));
  const fwdCores = round2(median(fwd.map((r) => r.cores)));
  const errors = [...gw, ...fwd].reduce((sum, r) => sum + r.errors, 0) + errorCount(gwOpen.statusCounts) + errorCount(fwdOpen.statusCounts) + gwOpen.unanswered + fwdOpen.unanswered;
  const ratio = gwMax / fwdMax;
  const coresOf = (rounds: RoundResult[], key: 'peerCores' | 'machineCores') => round2(median(rounds.map((r) => r[key])));
  return {
    name: 'gateway-throughput',
    figures: {
      path: `core → gateway → peer, wv:+MSISDN via warm ENUM (knotd) + SRV, file store, log level ${settings.logLevel}`,
      core: settings.coalescingCore ? 'coalescing: one Session POST per event-loop turn (≤ 32 transactions)' : 'one transaction per POST',
      concurrency: settings.concurrency,
      rounds: settings.rounds,
      gatewayPerSecond: Math.round(gwMax),
      forwarderPerSecond: Math.round(fwdMax),
      gatewayOverForwarder: round2(ratio),
      gatewayCoresUsed: gwCores,
      forwarderCoresUsed: fwdCores,
      gatewayCpuMicrosPerTx: Math.round((gwCores / gwMax) * 1e6),
      forwarderCpuMicrosPerTx: Math.round((fwdCores / fwdMax) * 1e6),
      loadPeersCoresUsedWithGateway: coresOf(gw, 'peerCores'),
      loadPeersCoresUsedWithForwarder: coresOf(fwd, 'peerCores'),
      machineCoresBusyWithGateway: coresOf(gw, 'machineCores'),
      machineCoresBusyWithForwarder: coresOf(fwd, 'machineCores'),
      openLoopRatePerSecond: rate,
      gatewayP50Ms: gwOpen.p50Ms,
      gatewayP99Ms: gwOpen.p99Ms,
      forwarderP50Ms: fwdOpen.p50Ms,
      forwarderP99Ms: fwdOpen.p99Ms,
      enumLookupsFromCache: dns.enumFromCache,
      enumLookupsFromDns: dns.enumFromDns,
      dnsQueriesSent: dns.queries,
      gatewayTransactionsPerPostToPeer: dns.toPeerPerPost,
      gatewayTransactionsPerPostToCore: dns.toCorePerPost,
      gatewayRssMb: rss.rssMb,
      gatewayPeakRssMb: rss.peakRssMb,
      gatewayHeapUsedMb: memory.heapUsedMb,
      gatewayHeapTotalMb: memory.heapTotalMb,
      gatewayExternalMb: memory.externalMb,
      errors,
      gatewayNodeOptions: `${launcherNodeOptions().join(' ')} (the forwarder: Node's defaults)`,
      pinned: settings.pin ? `gateway/forwarder on CPU ${GATEWAY_CPU}; load peers on CPU ${LOAD_CPU}; knotd unpinned` : 'no',
    },
    baseline: 'bare Node HTTP forwarder (node:http + undici Pool), same 4 HTTP exchanges and XML bytes per message, same load peers, same run',
    target: `≥ ${TARGET_TPS} tx/s on one core, ≥ ${TARGET_RATIO * 100} % of the forwarder, RSS ≤ ${TARGET_RSS_MB} MB`,
    pass: errors === 0 && gwMax >= TARGET_TPS && ratio >= TARGET_RATIO && rss.peakRssMb <= TARGET_RSS_MB,
  };
}

/** Run the benchmark; with `--profile` the gateway's CPU profile summary goes to stderr (and its dir is kept). */
export async function runGatewayThroughputBench(): Promise<BenchResult> {
  const settings = readSettings();
  const cleanup = new CleanupStack();
  try {
    const hostUdp = hostUdpSendsPerSecond(settings.pin ? GATEWAY_CPU : undefined);
    const rig = await startRig(settings, cleanup);
    const result = withHostUdpSends(resultOf(settings, await measure(rig, settings)), hostUdp);
    const profile = await rig.gateway.stop('SIGTERM');
    if (profile) process.stderr.write(`gateway CPU profile ${profile}\n${formatProfileSummary(summariseCpuProfile(profile))}\n`);
    return result;
  } finally {
    await cleanup.run();
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

if (require.main === module) {
  runGatewayThroughputBench().then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
