// The gateway configuration the routing/delivery benchmarks run: our domain, its core, one peer, ENUM over DNS.
/** Our domain (the gateway and its IMPS core). */
export const OUR_DOMAIN = 'imsp-a.test';
/** The peer domain that ENUM names as the serving operator of the benchmark numbers. */
export const PEER_DOMAIN = 'imsp-b.test';
/** One of our core's users, domain-less as MNP-aware cores send them (seed 004). */
export const CORE_SENDER = 'wv:+4790000001';
/** Benchmark recipients are +4791…: a range ENUM assigns to the peer domain. */
export const PEER_NUMBER_PREFIX = '4791';
export const FIRST_PEER_NUMBER = 4_791_000_000;
/**
 * With pinning, the gateway (or the forwarder) may use this CPU only: "one core". The load peers, the DNS
 * relay and knotd stay unpinned: on a shared machine a helper pinned to a CPU that someone else's job
 * occupies would starve and make the gateway look slow; unpinned, the scheduler keeps them mostly on the
 * other CPU while the gateway keeps its own busy.
 */
export const GATEWAY_CPU = 0;

/** What differs between the benchmarks' gateways. */
export interface BenchGatewayConfigOptions {
  coreUrl: string;
  /** HOST:PORT of the DNS server (knotd, or the delaying relay). */
  dnsServer: string;
  storePath: string;
  logLevel: string;
  /** Store-and-forward retry schedule (the drain bench shortens it so a restarted gateway retries soon). */
  retry?: { initialMs: number; maxMs: number; jitter: number };
  circuit?: { failureThreshold: number; openMs: number };
}

/**
 * Production defaults everywhere except what a benchmark must set: loopback listeners on port 0 (the real
 * URLs are read back), the core's URL, the peer agreement (`presentUsersAs: msisdn`, an MNP-aware peer), the
 * DNS server, the store file and the log level.
 */
export function benchGatewayConfig(options: BenchGatewayConfigOptions): Record<string, unknown> {
  return {
    domain: OUR_DOMAIN,
    ssp: { listen: '127.0.0.1:0' },
    admin: { listen: '127.0.0.1:0' },
    core: { url: options.coreUrl },
    peers: [{ domain: PEER_DOMAIN, presentUsersAs: 'msisdn' }],
    dns: { servers: [options.dnsServer] },
    routing: { homeNumberPrefixes: ['+4790'] },
    delivery: { ...(options.retry ? { retry: options.retry } : {}), ...(options.circuit ? { circuit: options.circuit } : {}) },
    store: { path: options.storePath },
    log: { level: options.logLevel },
  };
}
