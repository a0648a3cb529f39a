// DNS over the network (RFC 1035 §4.2, RFC 6891 EDNS0, RFC 7766 TCP fallback, RFC 5452 spoofing checks).
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { GatewayError, type GatewayErrorCode } from '../errors';
import type { GatewayMetrics } from '../metrics';
import type { DnsAnswer, DnsClient, RecordType } from './dns-client';
import { exchangeTcp, exchangeUdp, parseServerAddress, type DnsServerAddress, type ExchangeFailureKind, type ExchangeOutcome } from './dns-exchange';
import { RECORD_TYPE_CODES, canonicalName, encodeQuery } from './dns-wire';
import { readDnsResponse, type ResponseReading } from './read-response';

/** The fields of config `dns` the network client uses. */
export interface NetworkDnsClientOptions {
  /** Servers as HOST:PORT (IP literals), asked in this order. */
  servers: readonly string[];
  /** Deadline of one exchange with one server (UDP, and again for the TCP retry after TC=1). */
  timeoutMs: number;
  /** Rounds over the whole server list before giving up. */
  attempts: number;
}

/** Optional collaborators: metrics for dns_query_duration_seconds and dns_errors_total. */
export interface NetworkDnsClientDeps {
  metrics?: GatewayMetrics;
}

type Failure = Extract<ResponseReading, { kind: 'failure' }>;
type Observe = (seconds: number) => void;

const FAILURE_KINDS: readonly ExchangeFailureKind[] = ['timeout', 'network', 'malformed', 'servfail', 'refused'];

/**
 * Asks the servers in order, `attempts` rounds: UDP with EDNS0 (payload 1232), TCP when TC=1; a fresh random
 * id and source port per query; SERVFAIL, REFUSED, malformed answers and timeouts move on to the next server.
 * When none answers it rejects with GatewayError (transient): DNS_SERVFAIL if any server answered with an
 * error RCODE, else DNS_MALFORMED if any answer was unparseable, else DNS_TIMEOUT. NXDOMAIN and NODATA are
 * answers.
 */
export class NetworkDnsClient implements DnsClient {
  private readonly servers: readonly DnsServerAddress[];
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly durations = new Map<string, Observe>();
  private readonly errorCounters = new Map<string, () => void>();

  /** @throws GatewayError CONFIG_INVALID for a server that is not IP:PORT or an empty list. */
  constructor(options: NetworkDnsClientOptions, deps: NetworkDnsClientDeps = {}) {
    if (options.servers.length === 0) throw new GatewayError('CONFIG_INVALID', 'NetworkDnsClient needs at least one server', { impsStatus: 500 });
    this.servers = options.servers.map(parseServerAddress);
    this.timeoutMs = options.timeoutMs;
    this.attempts = Math.max(1, options.attempts);
    // Label children are resolved once here; the query path only calls them (house style: build once).
    for (const server of this.servers) {
      for (const type of Object.keys(RECORD_TYPE_CODES)) {
        const child = deps.metrics?.dnsQueryDuration.labels({ server: server.label, type });
        this.durations.set(`${server.label} ${type}`, child ? (seconds) => child.observe(seconds) : () => undefined);
      }
      for (const kind of FAILURE_KINDS) {
        const child = deps.metrics?.dnsErrors.labels({ server: server.label, kind });
        this.errorCounters.set(`${server.label} ${kind}`, child ? () => child.inc() : () => undefined);
      }
    }
  }

  async query(name: string, type: RecordType, signal?: AbortSignal): Promise<DnsAnswer> {
    const qname = canonicalName(name);
    const failures: Failure[] = [];
    for (let attempt = 0; attempt < this.attempts; attempt += 1) {
      for (const server of this.servers) {
        if (signal?.aborted) throw cancelled(qname, type, signal.reason);
        const reading = await this.ask(server, qname, type, signal);
        if (reading.kind === 'answer') return reading.answer;
        if (signal?.aborted) throw cancelled(qname, type, signal.reason);
        this.errorCounters.get(`${server.label} ${reading.failure}`)?.();
        failures.push({ ...reading, detail: `${server.label}: ${reading.detail}` });
      }
    }
    throw finalError(qname, type, failures);
  }

  /** One server: UDP, then TCP if the UDP response was truncated. */
  private async ask(server: DnsServerAddress, name: string, type: RecordType, signal?: AbortSignal): Promise<Exclude<ResponseReading, { kind: 'truncated' }>> {
    const started = performance.now();
    const udp = await this.exchange(exchangeUdp, server, name, type, signal);
    const reading = udp.kind === 'truncated' ? await this.exchange(exchangeTcp, server, name, type, signal) : udp;
    // Only a UDP answer may be cut to fit its datagram (RFC 2181 §9); TC over TCP means a broken server.
    if (reading.kind === 'truncated') return { kind: 'failure', failure: 'malformed', detail: 'TC set on a TCP response' };
    // Only exchanges that got a response are timed: a timeout's duration is the configured deadline.
    if (reading.kind === 'answer' || (reading.failure !== 'timeout' && reading.failure !== 'network')) {
      this.durations.get(`${server.label} ${type}`)?.((performance.now() - started) / 1000);
    }
    return reading;
  }

  private async exchange(transport: typeof exchangeUdp, server: DnsServerAddress, name: string, type: RecordType, signal?: AbortSignal): Promise<ResponseReading> {
    const id = randomInt(0x10000);
    // Not AbortSignal.timeout: it cannot be cancelled, so at thousands of queries per second each answered
    // query would leave its timer pending for the whole timeout. This one is cleared on the answer.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
    let outcome: ExchangeOutcome;
    try {
      const query = encodeQuery(id, name, type);
      outcome = await transport(server, query, { id, name, typeCode: RECORD_TYPE_CODES[type] }, signal ? AbortSignal.any([deadline.signal, signal]) : deadline.signal);
    } finally {
      clearTimeout(timer);
    }
    if (!outcome.ok) return { kind: 'failure', failure: outcome.kind, detail: outcome.detail };
    return readDnsResponse(outcome.packet, name, type, server.label);
  }
}

function cancelled(name: string, type: RecordType, reason: unknown): GatewayError {
  return new GatewayError('DNS_TIMEOUT', `DNS query ${type} ${name} was cancelled`, { impsStatus: 503, transient: true, cause: reason });
}

function finalError(name: string, type: RecordType, failures: readonly Failure[]): GatewayError {
  const has = (...kinds: ExchangeFailureKind[]): boolean => failures.some((failure) => kinds.includes(failure.failure));
  const code: GatewayErrorCode = has('servfail', 'refused') ? 'DNS_SERVFAIL' : has('malformed') ? 'DNS_MALFORMED' : 'DNS_TIMEOUT';
  const detail = failures.map((failure) => failure.detail).join('; ');
  return new GatewayError(code, `DNS query ${type} ${name} failed on every server (${detail})`, { impsStatus: 503, transient: true });
}
