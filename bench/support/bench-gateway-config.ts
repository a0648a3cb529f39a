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
 * With pinning, the gateway (or the forwarder) may use this CPU only: "one core", and has it to itself — the
 * load peers are pinned to LOAD_CPU. Unpinned, the scheduler puts load peers on the gateway's CPU now and then
 * (one back-to-back pair of runs: 192 µs per transaction pinned vs 293 unpinned; the host's own drift is as
 * large, so take the gain as uncertain — the point is that the gateway's core is its own by construction). The
 * DNS relay and knotd stay unpinned. On a machine shared with other jobs, `--no-pin` avoids starving a pinned
 * process on a CPU that someone else occupies.
 */
export const GATEWAY_CPU = 0;
export const LOAD_CPU = 1;

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
