// A real authoritative DNS server for tests: Knot DNS (knotd) in the foreground, from a temp dir, on loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NetworkDnsClient, readZoneFileSync } from '../../src/dns';

/** The knotd binary of the Debian package `knot`. */
export const KNOTD = '/usr/sbin/knotd';

/** A running knotd. */
export interface KnotServer {
  pid: number;
  host: string;
  port: number;
  /** HOST:PORT for NetworkDnsClient / config dns.servers. */
  address: string;
  dir: string;
  /** What knotd printed so far (its log goes to stderr). */
  log(): string;
  /** SIGTERM, await exit, remove the temp dir. */
  stop(): Promise<void>;
}

/** Start-up settings. */
export interface KnotOptions {
  /** Bound on start-up until the zones answer; default 10 s. */
  readyTimeoutMs?: number;
  /**
   * UDP workers, each with a socket (and receive buffer) of its own; default 1. A benchmark sending hundreds
   * of queries at once wants more: one worker's socket overflowed and dropped queries at 384 outstanding.
   */
  udpWorkers?: number;
}

const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 5;

/**
 * Start knotd serving `zoneFiles` (the zone name of each is the owner of its SOA) on a free loopback port,
 * and resolve once every zone answers its SOA query. A port lost to a race is retried with a new one.
 */
export async function startKnotServer(zoneFiles: readonly string[], options: KnotOptions = {}): Promise<KnotServer> {
  const zones = zoneFiles.map((file) => ({ file: path.resolve(file), domain: zoneApex(file) }));
  for (let attempt = 1; ; attempt += 1) {
    const dir = await mkdtemp(path.join(tmpdir(), 'knot-'));
    const port = await probeFreePort();
    await writeFile(path.join(dir, 'knot.conf'), knotConfig(dir, port, zones, options.udpWorkers ?? 1));
    const child = spawn(KNOTD, ['-c', path.join(dir, 'knot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // 'error' (e.g. knotd not installed) may come without 'exit': either one ends the process' life.
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (error) => {
        output += `cannot run ${KNOTD}: ${error.message} (Debian package "knot")\n`;
        resolve();
      });
    });
    const server: KnotServer = {
      pid: child.pid ?? 0,
      host: HOST,
      port,
      address: `${HOST}:${port}`,
      dir,
      log: () => output,
      stop: () => stopKnot(child, exited, dir),
    };
    const ready = await waitUntilAnswering(server, zones.map((zone) => zone.domain), exited, options.readyTimeoutMs ?? 10_000);
    if (ready) return server;
    await server.stop();
    if (!/cannot bind/.test(output) || attempt >= PORT_ATTEMPTS) throw new Error(`knotd did not start on port ${port}:\n${output}`);
  }
}

function zoneApex(file: string): string {
  const soa = readZoneFileSync(file).records.find((record) => record.data.type === 'SOA');
  if (soa === undefined) throw new Error(`${file} has no SOA record`);
  return soa.name;
}

function knotConfig(dir: string, port: number, zones: ReadonlyArray<{ file: string; domain: string }>, udpWorkers: number): string {
  const quoted = (value: string): string => JSON.stringify(value);
  return [
    'server:',
    `    listen: ${HOST}@${port}`,
    `    rundir: ${quoted(dir)}`,
    `    pidfile: ${quoted(path.join(dir, 'knot.pid'))}`,
    '    background-workers: 1',
    `    udp-workers: ${udpWorkers}`,
    '    tcp-workers: 1',
    'log:',
    '  - target: stderr',
    '    any: info',
    'database:',
    `    storage: ${quoted(dir)}`,
    'template:',
    '  - id: default',
    `    storage: ${quoted(dir)}`,
    '    zonefile-sync: -1', // never write the zone file back
    '    zonefile-load: whole',
    '    journal-content: none',
    '    semantic-checks: on',
    'zone:',
    ...zones.flatMap((zone) => [`  - domain: ${quoted(zone.domain || '.')}`, `    file: ${quoted(zone.file)}`]),
    '',
  ].join('\n');
}

/** A port free on both UDP and TCP right now: bind UDP on 0, then TCP on the same port, release both. */
export async function probeFreePort(): Promise<number> {
  for (;;) {
    const udp = createSocket('udp4');
    const port = await new Promise<number>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, HOST, () => resolve(udp.address().port));
    });
    const tcp = createServer();
    const free = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, HOST, () => resolve(true));
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (free) {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      return port;
    }
  }
}

/** Poll each zone's SOA (bounded deadline; knotd has no readiness event). False if knotd exited or the deadline passed. */
async function waitUntilAnswering(server: KnotServer, domains: readonly string[], exited: Promise<void>, timeoutMs: number): Promise<boolean> {
  const client = new NetworkDnsClient({ servers: [server.address], timeoutMs: 200, attempts: 1 });
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  const pending = new Set(domains);
  while (!gone && Date.now() < deadline) {
    for (const domain of pending) {
      const answer = await client.query(domain, 'SOA').catch(() => undefined);
      if (answer?.kind === 'answer') pending.delete(domain);
    }
    if (pending.size === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

async function stopKnot(child: ChildProcess, exited: Promise<void>, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await exited;
  await rm(dir, { recursive: true, force: true });
}
