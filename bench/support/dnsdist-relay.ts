// The 10 ms ENUM backend as a real DNS proxy: dnsdist (Debian package `dnsdist`) in front of knotd.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '../../test/support/free-port';
import { probeFreePort } from '../../test/support/knot-server';
import { NetworkDnsClient } from '../../src/dns';

export const DNSDIST = '/usr/bin/dnsdist';
const HOST = '127.0.0.1';
const API_KEY = 'bench';

/** A running dnsdist relay. */
export interface DnsdistRelay {
  address: string;
  pid: number;
  /** Queries dnsdist received since it started (its own `queries` statistic). */
  queries(): Promise<number>;
  stop(): Promise<void>;
}

export function dnsdistInstalled(): boolean {
  return existsSync(DNSDIST);
}

/*
 * Why dnsdist rather than a relay of our own: at 6,600 look-ups/s a Node relay costs ≈ 0.6 of this machine's
 * two cores, which the gateway under test then cannot have. dnsdist holds each answer `delayMs` in its delay
 * thread (DelayResponseAction) and sends queries on at once, so the delay adds latency, not a queue. It never
 * polls for security updates (no traffic off loopback) and health-checks knotd with a question knotd answers.
 */
export async function startDnsdistRelay(options: { dir: string; upstream: string; checkName: string; delayMs: number }): Promise<DnsdistRelay> {
  const port = await probeFreePort();
  const webPort = await freePort();
  const config = path.join(options.dir, 'dnsdist.conf');
  await writeFile(
    config,
    [
      `setLocal("${HOST}:${port}")`,
      'setSecurityPollSuffix("")',
      // Bursts of answers released together by the delay, and of queries from 256+ outstanding: room for them.
      'setUDPSocketBufferSizes(4194304, 4194304)',
      `newServer({address="${options.upstream}", checkName="${options.checkName}", checkType="SOA", checkInterval=1, sockets=4})`,
      `addResponseAction(AllRule(), DelayResponseAction(${options.delayMs}))`,
      `webserver("${HOST}:${webPort}")`,
      `setWebserverConfig({apiKey="${API_KEY}", acl="${HOST}/32"})`,
      '',
    ].join('\n'),
  );
  const child = spawn(DNSDIST, ['--supervised', '--disable-syslog', '-C', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const relay: DnsdistRelay = {
    address: `${HOST}:${port}`,
    pid: child.pid as number,
    queries: async () => {
      const response = await fetch(`http://${HOST}:${webPort}/jsonstat?command=stats`, { headers: { 'X-API-Key': API_KEY } });
      return Number(((await response.json()) as { queries: number }).queries);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  if (!(await answers(relay.address, options.checkName, exited))) {
    await relay.stop();
    throw new Error(`dnsdist did not answer on ${relay.address}:\n${output}`);
  }
  return relay;
}

/** Poll the SOA through dnsdist until it answers (it marks knotd up after its first health check). */
async function answers(address: string, name: string, exited: Promise<void>): Promise<boolean> {
  const client = new NetworkDnsClient({ servers: [address], timeoutMs: 500, attempts: 1 });
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 15_000;
  while (!gone && Date.now() < deadline) {
    const answer = await client.query(name, 'SOA').catch(() => undefined);
    if (answer?.kind === 'answer') return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
