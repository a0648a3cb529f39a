// Starts IM domains for integration tests: per domain a real gateway and a sink as its core, on loopback.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, startSink, type RunningGateway, type RunningSink } from '../../src/app';
import { parseConfig, type GatewayConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { freePort } from './free-port';

export interface DomainSpec {
  domain: string;
  /** Extra config merged over the generated one (peers, routing, ssp timeouts …). */
  config?: Record<string, unknown>;
  /** Start only DNS data for the domain (its SSP server is down). */
  down?: boolean;
}

export interface DomainUnderTest {
  domain: string;
  sspPort: number;
  gateway: RunningGateway;
  sink: RunningSink;
  config: GatewayConfig;
}

export interface Domains {
  get(domain: string): DomainUnderTest;
  /** The SSP port DNS SRV announces for a domain (also for domains started `down`). */
  portOf(domain: string): number;
  zoneDir: string;
  stop(): Promise<void>;
}

/** SOA/NS/SRV/A data for a domain whose SSP server listens on 127.0.0.1:`port`. */
export function domainZone(domain: string, port: number): string {
  return [
    `$ORIGIN ${domain}.`,
    '$TTL 300',
    `@ IN SOA ns1.${domain}. hostmaster.${domain}. 2026112301 3600 600 86400 60`,
    `@ IN NS ns1.${domain}.`,
    `ns1 IN A 127.0.0.1`,
    `_imps-server._tcp IN SRV 10 10 ${port} gw.${domain}.`,
    `gw IN A 127.0.0.1`,
    '',
  ].join('\n');
}

export async function startDomains(specs: DomainSpec[], extraZoneFiles: string[] = []): Promise<Domains> {
  const zoneDir = mkdtempSync(join(tmpdir(), 'sspgw-zones-'));
  const ports = new Map<string, number>();
  for (const spec of specs) ports.set(spec.domain, await freePort());
  const zoneFiles = [...extraZoneFiles];
  for (const [domain, port] of ports) {
    const file = join(zoneDir, `${domain}.zone`);
    writeFileSync(file, domainZone(domain, port));
    zoneFiles.push(file);
  }
  const running = new Map<string, DomainUnderTest>();
  const stopAll = async () => {
    for (const domain of running.values()) {
      await domain.gateway.stop();
      await domain.sink.stop();
    }
    rmSync(zoneDir, { recursive: true, force: true });
  };
  try {
    for (const spec of specs) {
      if (spec.down) continue;
      const sink = await startSink({ domain: spec.domain, listen: '127.0.0.1:0', answerTimeoutMs: 5000 });
      const config = parseConfig({
        domain: spec.domain,
        ssp: { listen: `127.0.0.1:${ports.get(spec.domain)}`, answerTimeoutMs: 5000 },
        admin: { listen: '127.0.0.1:0' },
        core: { url: sink.url },
        dns: { zoneFiles },
        store: { path: ':memory:' },
        log: { level: 'silent' },
        ...spec.config,
      });
      const gateway = await startGateway(config, { logger: createLogger('silent') });
      sink.setGatewayUrl(gateway.sspUrl);
      running.set(spec.domain, { domain: spec.domain, sspPort: ports.get(spec.domain) as number, gateway, sink, config });
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    zoneDir,
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
    stop: stopAll,
  };
}
