// Composition of the DNS stack from config `dns`: zone files and/or servers, behind one cache.
import { GatewayError } from '../errors';
import type { GatewayMetrics } from '../metrics';
import type { DnsAnswer, DnsClient, RecordType, UnstoredQueries } from './dns-client';
import { CachingDnsClient, type DnsCacheOptions } from './caching-dns-client';
import { NetworkDnsClient, type NetworkDnsClientOptions } from './network-dns-client';
import { SplitDnsClient } from './split-dns-client';
import { ZoneDnsClient } from './zone-dns-client';

/** The fields of config `dns`. */
export interface DnsClientOptions {
  servers: readonly string[];
  zoneFiles: readonly string[];
  timeoutMs: number;
  attempts: number;
  cache: DnsCacheOptions;
  /** UDP sockets per server and their rotation; defaults apply to what is not given. */
  udpPool?: NetworkDnsClientOptions['udpPool'];
}

/** Collaborators shared by the stack: metrics for the network client and the cache, the cache clock. */
export interface DnsClientDeps {
  metrics?: GatewayMetrics;
  now?: () => number;
}

/** The gateway's DnsClient, plus zone reloading (SIGHUP, admin endpoint) and shutdown. */
export interface ConfiguredDnsClient extends DnsClient {
  readonly unstored: UnstoredQueries;
  /** Re-read the zone files and drop cached answers; on an invalid file the old data stays and this throws. */
  reload(): Promise<void>;
  /** Close the network client's UDP sockets (gateway stop); queries after this reject with DNS_TIMEOUT. */
  close(): Promise<void>;
}

/**
 * Build the DNS stack: zone files answer for names inside their zones, servers for the rest (or zones only,
 * or servers only), all behind one CachingDnsClient. Zone files are read synchronously here (start-up).
 * @throws GatewayError CONFIG_INVALID for an invalid zone file (file:line), a bad server, or neither given.
 */
export function createDnsClient(options: DnsClientOptions, deps: DnsClientDeps = {}): ConfiguredDnsClient {
  const network =
    options.servers.length > 0
      ? new NetworkDnsClient({ servers: options.servers, timeoutMs: options.timeoutMs, attempts: options.attempts, udpPool: options.udpPool }, { metrics: deps.metrics })
      : undefined;
  // An alias in a zone file that points out of the zone files is followed at the servers.
  const zones = options.zoneFiles.length > 0 ? new ZoneDnsClient(options.zoneFiles, network) : undefined;
  const inner = zones && network ? new SplitDnsClient(zones, network) : (zones ?? network);
  if (inner === undefined) throw new GatewayError('CONFIG_INVALID', 'dns: give at least one of dns.servers or dns.zoneFiles', { impsStatus: 500 });
  const cache = new CachingDnsClient(inner, options.cache, deps);
  return {
    query: (name: string, type: RecordType, signal?: AbortSignal): Promise<DnsAnswer> => cache.query(name, type, signal),
    unstored: cache.unstored,
    reload: async (): Promise<void> => {
      if (zones === undefined) return;
      await zones.reload();
      cache.clear();
    },
    close: async (): Promise<void> => {
      await network?.close();
    },
  };
}
