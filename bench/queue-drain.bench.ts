// Benchmark (issue 4): 100,000 queued messages survive a gateway crash and drain to the peer once it is back.
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { freePort } from '../test/support/free-port';
import { startKnotServer } from '../test/support/knot-server';
import type { BenchResult } from './bench-result';
import { CORE_SENDER, FIRST_PEER_NUMBER, GATEWAY_CPU, LOAD_CPU, OUR_DOMAIN, PEER_DOMAIN, PEER_NUMBER_PREFIX, benchGatewayConfig } from './support/bench-gateway-config';
import { writeEnumZone, writeSspDomainZone } from './support/bench-zones';
import { canPin } from './support/child-rpc';
import { CleanupStack } from './support/cleanup-stack';
import { formatProfileSummary, summariseCpuProfile } from './support/cpu-profile-summary';
import { fillQueue } from './support/fill-queue';
import { launcherNodeOptions, startGatewayProcess, type GatewayProcess } from './support/gateway-process';
import { PeerProcess, type PeerReport } from './support/peer-process';
import { sumMetric } from './support/prometheus-text';
import { coresUsed } from './support/process-stats';

/*
 * 1. Fill: COUNT SendMessageRequests from our core to `wv:+4791…` numbers (10,000 distinct, ENUM → imsp-b.test)
 *    while imsp-b.test is down. `--fill store` (default) writes them through SqliteTransactionStore exactly as
 *    the gateway leaves a queued message (accept + "queued" answer + reschedule); `--fill ssp` sends them
 *    through a running gateway over SSP (slower: each is tried, refused by the closed port, and retried).
 * 2. A gateway process runs on that store with the peer down until its metrics show the whole queue, and is
 *    killed with SIGKILL (a crash, not a graceful stop).
 * 3. A new gateway process starts on the same file; then the peer comes up (its SRV port was published from
 *    the start). The drain is watched in the SQLite file (read-only) and at the peer, which counts every
 *    SendMessageRequest by messageID: lost = expected ids never seen, duplicated = ids seen more than once.
 * Retry 1–5 s and circuit open 2 s: after the peer is back the first deliveries wait for those timers; the
 * steady rate (first to last delivery) is the drain capacity, the rate from peer-up includes that wait.
 */

const NUMBERS = 10_000;
const TARGET_PER_SECOND = 2_000;
const MESSAGE_PREFIX = 'drain-';
const FILL_STORE = 'SqliteTransactionStore.accept + reschedule with the answer (as the gateway writes a queued message)';
const FILL_SSP = 'SSP SendMessageRequest from the core while the peer is down';

interface Settings {
  count: number;
  fill: 'store' | 'ssp';
  timeoutSeconds: number;
  profile: boolean;
  pin: boolean;
  logLevel: string;
}

const USAGE = `node dist/bench/queue-drain.bench.js [options]
  --count N             transactions queued before the crash (default 100000)
  --fill store|ssp      write the queue through the store (default) or send it over SSP while the peer is down
  --timeout-seconds S   bound of each wait (default 240)
  --profile             CPU profile of the restarted gateway: summary on stderr, files kept
  --no-pin              do not pin the gateway to CPU ${GATEWAY_CPU}
  --log-level L         gateway log level (default warn); logs are kept with --profile
Prints one JSON line: drain rate from peer-up and steady (first to last delivery), missing, duplicated.`;

function readSettings(): Settings {
  const { values } = parseArgs({
    options: {
      help: { type: 'boolean', default: false },
      count: { type: 'string', default: '100000' },
      fill: { type: 'string', default: 'store' },
      'timeout-seconds': { type: 'string', default: '240' },
      profile: { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'warn' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (values.fill !== 'store' && values.fill !== 'ssp') throw new Error('--fill is store or ssp');
  return {
    count: Number(values.count),
    fill: values.fill,
    timeoutSeconds: Number(values['timeout-seconds']),
    profile: values.profile,
    pin: !values['no-pin'] && canPin(),
    logLevel: values['log-level'],
  };
}

/** Pending and done rows, read from the store file by a read-only connection beside the gateway's (WAL). */
function storeCounts(storePath: string): { pending: number; done: number } {
  const db = new Database(storePath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare<[], { state: string; n: number }>('SELECT state, COUNT(*) AS n FROM inbound GROUP BY state').all();
    return { pending: rows.find((r) => r.state === 'pending')?.n ?? 0, done: rows.find((r) => r.state === 'done')?.n ?? 0 };
  } finally {
    db.close();
  }
}

/** Poll a condition of an external process (bounded): the gateway exposes no event for it. False on timeout. */
async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await delay(everyMs);
  }
  return true;
}

interface Rig {
  dir: string;
  storePath: string;
  config: Record<string, unknown>;
  origins: PeerProcess;
  sinks: PeerProcess;
  sinkPort: number;
}

async function startRig(settings: Settings, cleanup: CleanupStack): Promise<Rig> {
  const dir = await cleanup.tempDir('bench-drain-', settings.profile);
  const origins = cleanup.add(PeerProcess.spawn(settings.pin ? { cpu: LOAD_CPU } : {}), (p) => p.stop());
  const sinks = cleanup.add(PeerProcess.spawn(settings.pin ? { cpu: LOAD_CPU } : {}), (p) => p.stop());
  const coreUrl = await origins.start({ name: 'core', domain: OUR_DOMAIN, listen: '127.0.0.1:0', sessions: 'ssp', connections: 32 });
  const sinkPort = await freePort();
  const zones = [writeEnumZone(dir, PEER_NUMBER_PREFIX, { first: FIRST_PEER_NUMBER, count: NUMBERS }, PEER_DOMAIN, 3600), writeSspDomainZone(dir, PEER_DOMAIN, sinkPort)];
  const knot = cleanup.add(await startKnotServer(zones, { readyTimeoutMs: 30_000 }), (k) => k.stop());
  const storePath = path.join(dir, 'gateway.db');
  const config = benchGatewayConfig({
    coreUrl,
    dnsServer: knot.address,
    storePath,
    logLevel: settings.logLevel,
    retry: { initialMs: 1000, maxMs: 5000, jitter: 0.2 },
    circuit: { failureThreshold: 5, openMs: 2000 },
  });
  return { dir, storePath, config, origins, sinks, sinkPort };
}

function startGateway(rig: Rig, settings: Settings, cleanup: CleanupStack, name: string, profile = false): Promise<GatewayProcess> {
  const options = { config: rig.config, dir: rig.dir, name, cpuProfile: profile, ...(settings.pin ? { cpu: GATEWAY_CPU } : {}) };
  return startGatewayProcess(options).then((gateway) => cleanup.add(gateway, (g) => g.stop('SIGKILL')));
}

/** Fill the queue (peer down), run a gateway on it until its metrics show it all, then crash that gateway. */
async function fillAndCrash(rig: Rig, settings: Settings, cleanup: CleanupStack): Promise<number> {
  const started = performance.now();
  if (settings.fill === 'store') {
    const seconds = await fillQueue({
      storePath: rig.storePath,
      count: settings.count,
      messagePrefix: MESSAGE_PREFIX,
      originDomain: OUR_DOMAIN,
      sender: CORE_SENDER,
      recipients: { first: FIRST_PEER_NUMBER, count: NUMBERS },
      target: PEER_DOMAIN,
    });
    process.stderr.write(`filled ${settings.count} through the store in ${seconds.toFixed(1)} s\n`);
  }
  const first = await startGateway(rig, settings, cleanup, 'gateway-1');
  if (settings.fill === 'ssp') {
    await rig.origins.connect('core', first.sspUrl, OUR_DOMAIN);
    await rig.origins.establish('core');
    const traffic = { sender: CORE_SENDER, first: FIRST_PEER_NUMBER, count: NUMBERS, offset: 0, messagePrefix: MESSAGE_PREFIX };
    const sent = await rig.origins.closed('core', traffic, { concurrency: 128, warmupMs: 0, durationMs: settings.timeoutSeconds * 1000, maxSends: settings.count });
    process.stderr.write(`filled over SSP: ${JSON.stringify(sent.statusCounts)}\n`);
    if (sent.statusCounts['200'] !== settings.count) throw new Error(`fill over SSP was not accepted in full: ${JSON.stringify(sent)}`);
  }
  const fillSeconds = (performance.now() - started) / 1000;
  const seen = await waitFor(async () => sumMetric(await first.metrics(), 'delivery_queue_depth', `target="${PEER_DOMAIN}"`) === settings.count, 60_000);
  if (!seen) throw new Error(`the gateway never showed a queue of ${settings.count} for ${PEER_DOMAIN}`);
  await first.stop('SIGKILL');
  return fillSeconds;
}

interface Drain {
  /** False when the timeout ended the wait first. */
  drained: boolean;
  peerUpAtMs: number;
  peer: PeerReport;
  after: { pending: number; done: number };
  queuedAtRestart: number;
  gateway: GatewayProcess;
  /** CPU cores the gateway used from peer-up until the queue was empty. */
  gatewayCores: number;
}

/** Restart the gateway on the same file, bring the peer up, and wait until the queue is empty and all arrived. */
async function restartAndDrain(rig: Rig, settings: Settings, cleanup: CleanupStack): Promise<Drain> {
  const queuedAtRestart = storeCounts(rig.storePath).pending;
  const gateway = await startGateway(rig, settings, cleanup, 'gateway-2', settings.profile);
  const cpuBefore = gateway.stats();
  const peerUpAtMs = Date.now();
  const listen = `127.0.0.1:${rig.sinkPort}`;
  await rig.sinks.start({ name: 'peer', domain: PEER_DOMAIN, listen, sessions: 'ssp', connections: 16, trackMessageIds: true, remote: { url: gateway.sspUrl, domain: OUR_DOMAIN } });
  // A record is marked done only after the peer answered it, so once none is pending the peer has seen all it
  // will ever see: what it has not is lost (given up), and waiting longer would not change that.
  const drained = await waitFor(() => storeCounts(rig.storePath).pending === 0, settings.timeoutSeconds * 1000);
  const gatewayCores = coresUsed(cpuBefore, gateway.stats(), (Date.now() - peerUpAtMs) / 1000);
  const peer = await rig.sinks.counters('peer', { prefix: MESSAGE_PREFIX, count: settings.count });
  return { drained, peerUpAtMs, peer, after: storeCounts(rig.storePath), queuedAtRestart, gateway, gatewayCores };
}

function resultOf(settings: Settings, fillSeconds: number, drain: Drain): BenchResult {
  const { peer, after } = drain;
  const fromPeerUpSeconds = (peer.lastNewRequestAtMs - drain.peerUpAtMs) / 1000;
  const steadySeconds = (peer.lastNewRequestAtMs - peer.firstRequestAtMs) / 1000;
  const steadyPerSecond = Math.round(settings.count / steadySeconds);
  const stats = drain.gateway.stats();
  const intact = drain.drained && peer.missing === 0 && peer.duplicates === 0 && after.pending === 0 && drain.queuedAtRestart === settings.count;
  return {
    name: 'queue-drain',
    figures: {
      queued: settings.count,
      fillMethod: settings.fill === 'store' ? FILL_STORE : FILL_SSP,
      fillSeconds: Math.round(fillSeconds * 10) / 10,
      restart: 'SIGKILL, then a new gateway process on the same store file',
      queuedAtRestart: drain.queuedAtRestart,
      drained: String(drain.drained),
      firstDeliveryAfterPeerUpSeconds: Math.round(((peer.firstRequestAtMs - drain.peerUpAtMs) / 1000) * 10) / 10,
      drainSecondsFromPeerUp: Math.round(fromPeerUpSeconds * 10) / 10,
      drainPerSecondFromPeerUp: Math.round(settings.count / fromPeerUpSeconds),
      steadyDrainPerSecond: steadyPerSecond,
      deliveredDistinct: peer.distinct,
      missing: peer.missing,
      duplicated: peer.duplicates,
      pendingAfter: after.pending,
      doneAfter: after.done,
      gatewayCoresUsed: drain.gatewayCores,
      gatewayPeakRssMb: stats.peakRssMb,
      gatewayNodeOptions: launcherNodeOptions().join(' '),
      pinned: settings.pin ? `gateway on CPU ${GATEWAY_CPU}; load peers on CPU ${LOAD_CPU}; knotd unpinned` : 'no',
    },
    baseline: 'none in process; target from issue 4',
    target: `all ${settings.count} delivered exactly once after a crash, steady drain ≥ ${TARGET_PER_SECOND}/s`,
    pass: intact && steadyPerSecond >= TARGET_PER_SECOND,
  };
}

/** Run the benchmark; with `--profile` the restarted gateway's CPU profile summary goes to stderr. */
export async function runQueueDrainBench(): Promise<BenchResult> {
  const settings = readSettings();
  const cleanup = new CleanupStack();
  try {
    const rig = await startRig(settings, cleanup);
    const fillSeconds = await fillAndCrash(rig, settings, cleanup);
    const drain = await restartAndDrain(rig, settings, cleanup);
    const result = resultOf(settings, fillSeconds, drain);
    const profile = await drain.gateway.stop('SIGTERM');
    if (profile) process.stderr.write(`gateway CPU profile ${profile}\n${formatProfileSummary(summariseCpuProfile(profile))}\n`);
    return result;
  } finally {
    await cleanup.run();
  }
}

if (require.main === module) {
  runQueueDrainBench().then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
