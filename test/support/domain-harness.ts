// Starts IM domains for integration tests: per domain a real gateway and a sink as its core, on loopback,
// with DNS answered from zone files in process or by a real Knot server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, startSink, type RunningGateway, type RunningSink } from '../../src/app';
import { parseConfig, type GatewayConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { freePort } from './free-port';
import { startKnotServer, type KnotServer } from './knot-server';

export interface DomainSpec {
  domain: string;
  /** Extra config merged over the generated one (peers, routing, limits …). */
  config?: Record<string, unknown>;
  /** Publish only DNS data for the domain; start it later with `startLater` (its SSP server is down). */
  down?: boolean;
  /** Put a dead SSP address first in the domain's SRV set, to exercise failover. */
  deadFirstTarget?: boolean;
}

export interface DomainUnderTest {
  domain: string;
  gateway: RunningGateway;
  sink: RunningSink;
  config: GatewayConfig;
}

export interface HarnessOptions {
  /** Zone files served besides the generated domain zones (e.g. an ENUM zone). */
  extraZoneFiles?: string[];
  /** `zones`: each gateway reads the zone files in process; `knot`: a real knotd serves them. */
  dns?: 'zones' | 'knot';
  /** Binds a test's own server to a `down` domain's port; a port lost to another process restarts the set-up. */
  listenOnDownPort?: { domain: string; listen: (port: number) => Promise<unknown> };
}

export interface Domains {
  get(domain: string): DomainUnderTest;
  /** The SSP port DNS SRV announces for a domain (also for domains started `down`). */
  portOf(domain: string): number;
  /** The config a domain's gateway runs (or would run) with. */
  configOf(domain: string): GatewayConfig;
  /** Start a domain declared `down`. */
  startLater(domain: string): Promise<DomainUnderTest>;
  knot?: KnotServer;
  zoneDir: string;
  stop(): Promise<void>;
}

/** SOA/NS/SRV/A data for a domain whose SSP server listens on 127.0.0.1:`port`. */
export function domainZone(domain: string, port: number, deadPort?: number): string {
  const srv = deadPort === undefined ? [`_imps-server._tcp IN SRV 10 10 ${port} gw.${domain}.`] : [`_imps-server._tcp IN SRV 10 10 ${deadPort} dead.${domain}.`, `_imps-server._tcp IN SRV 20 10 ${port} gw.${domain}.`];
  return [
    `$ORIGIN ${domain}.`,
    '$TTL 300',
    `@ IN SOA ns1.${domain}. hostmaster.${domain}. 2026112301 3600 600 86400 60`,
    `@ IN NS ns1.${domain}.`,
    'ns1 IN A 127.0.0.1',
    ...srv,
    'gw IN A 127.0.0.1',
    'dead IN A 127.0.0.1',
    '',
  ].join('\n');
}

/**
 * Ports are probed free and taken a moment later: on a shared machine another process may take one in between.
 * Then the whole set-up is torn down and tried again on new ports.
 */
export async function startDomains(specs: DomainSpec[], options: HarnessOptions = {}): Promise<Domains> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const domains = await startDomainsOnce(specs, options);
      const own = options.listenOnDownPort;
      await own?.listen(domains.portOf(own.domain)).catch(async (error: unknown) => {
        await domains.stop();
        throw error;
      });
      return domains;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 3) throw error;
    }
  }
}

async function startDomainsOnce(specs: DomainSpec[], options: HarnessOptions): Promise<Domains> {
  const zoneDir = mkdtempSync(join(tmpdir(), 'sspgw-zones-'));
  const ports = new Map<string, number>();
  for (const spec of specs) ports.set(spec.domain, await freePort());
  const zoneFiles = [...(options.extraZoneFiles ?? [])];
  for (const spec of specs) {
    const file = join(zoneDir, `${spec.domain}.zone`);
    writeFileSync(file, domainZone(spec.domain, ports.get(spec.domain) as number, spec.deadFirstTarget ? await freePort() : undefined));
    zoneFiles.push(file);
  }
  const knot = options.dns === 'knot' ? await startKnotServer(zoneFiles) : undefined;
  // Small caches: the defaults (a million entries) cost start-up time in every one of the many test gateways.
  const cache = { maxEntries: 10_000 };
  const dns = knot ? { servers: [knot.address], timeoutMs: 500, cache } : { zoneFiles, cache };
  const configs = new Map<string, GatewayConfig>();
  for (const spec of specs) {
    configs.set(
      spec.domain,
      parseConfig({
        domain: spec.domain,
        ssp: { listen: `127.0.0.1:${ports.get(spec.domain)}`, answerTimeoutMs: 3000 },
        admin: { listen: '127.0.0.1:0' },
        core: { url: 'http://127.0.0.1:1/' },
        dns,
        enum: { cacheMaxEntries: 10_000 },
        delivery: { retry: { initialMs: 200, maxMs: 1000, jitter: 0.1 }, circuit: { failureThreshold: 3, openMs: 500 } },
        store: { path: ':memory:' },
        log: { level: 'silent' },
        ...spec.config,
      }),
    );
  }
  const running = new Map<string, DomainUnderTest>();
  const start = async (domain: string): Promise<DomainUnderTest> => {
    const sink = await startSink({ domain, listen: '127.0.0.1:0', answerTimeoutMs: 3000 });
    const config = { ...(configs.get(domain) as GatewayConfig), core: { ...(configs.get(domain) as GatewayConfig).core, url: sink.url } };
    const gateway = await startGateway(config, { logger: createLogger('silent') }).catch(async (error: unknown) => {
      await sink.stop();
      throw error;
    });
    sink.setGatewayUrl(gateway.sspUrl);
    const started = { domain, gateway, sink, config };
    running.set(domain, started);
    return started;
  };
  const stopAll = async () => {
    for (const domain of running.values()) await domain.gateway.stop();
    for (const domain of running.values()) await domain.sink.stop();
    await knot?.stop();
    rmSync(zoneDir, { recursive: true, force: true });
  };
  try {
    for (const spec of specs) if (!spec.down) await start(spec.domain);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    zoneDir,
    ...(knot ? { knot } : {}),
    get(domain) {
      const found = running.get(domain);
      if (!found) throw new Error(`domain ${domain} is not running`);
      return found;
    },
    portOf(domain) {
      const port = ports.get(domain);
      if (port === undefined) throw new Error(`domain ${domain} is not part of this test`);
      return port;
    },
    configOf(domain) {
      const config = configs.get(domain);
      if (!config) throw new Error(`domain ${domain} is not part of this test`);
      return config;
    },
    startLater: start,
    stop: stopAll,
  };
}
