// DNS over the network (RFC 1035 §4.2, RFC 6891 EDNS0, RFC 7766 TCP fallback, RFC 5452 spoofing checks).
import { performance } from 'node:perf_hooks';
import { GatewayError, type GatewayErrorCode } from '../errors';
import type { GatewayMetrics } from '../metrics';
import type { DnsAnswer, DnsClient, RecordType } from './dns-client';
import { exchangeTcp, parseServerAddress, type DnsServerAddress, type ExchangeFailureKind, type ExchangeOutcome } from './dns-exchange';
import { RECORD_TYPE_CODES, canonicalName, encodeQuery } from './dns-wire';
import { randomUint16 } from './random-uint16';
import { readDnsResponse, type ResponseReading } from './read-response';
import { DEFAULT_UDP_SOCKET_POOL, UdpSocketPool, type UdpSocketPoolOptions } from './udp-socket-pool';

/** The fields of config `dns` the network client uses. */
export interface NetworkDnsClientOptions {
  /** Servers as HOST:PORT (IP literals), asked in this order. */
  servers: readonly string[];
  /** Deadline of one exchange with one server (UDP, and again for the TCP retry after TC=1). */
  timeoutMs: number;
  /** Rounds over the whole server list before giving up. */
  attempts: number;
  /** UDP sockets per server and their rotation (default {@link DEFAULT_UDP_SOCKET_POOL}). */
  udpPool?: Partial<UdpSocketPoolOptions>;
}

/** Optional collaborators: metrics for dns_query_duration_seconds and dns_errors_total; the socket-age clock. */
export interface NetworkDnsClientDeps {
  metrics?: GatewayMetrics;
  /** Monotonic clock in milliseconds for UDP socket rotation by age (default performance.now). */
  now?: () => number;
}

type Failure = Extract<ResponseReading, { kind: 'failure' }>;
type Reading = Exclude<ResponseReading, { kind: 'truncated' }>;

/**
 * One query's walk over the servers, `attempts` rounds in order, settled by the first answer. Callbacks carry it
 * from server to server: the promise `query` returns is the only one a query makes on the way to its answer.
 */
interface Walk {
  readonly name: string;
  readonly type: RecordType;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (answer: DnsAnswer) => void;
  readonly reject: (error: unknown) => void;
  /** Exchanges started so far, all rounds together. */
  tried: number;
  readonly failures: Failure[];
}

/** A configured server with its metric label children, resolved once (house style: build once). */
interface Server {
  address: DnsServerAddress;
  /** dns_query_duration_seconds by record type; absent without metrics, so the clock is not even read. */
  durations: Map<RecordType, (seconds: number) => void> | undefined;
  errors: Map<ExchangeFailureKind, () => void> | undefined;
}

const FAILURE_KINDS: readonly ExchangeFailureKind[] = ['timeout', 'network', 'malformed', 'servfail', 'refused'];

/**
 * Asks the servers in order, `attempts` rounds: UDP with EDNS0 (payload 1232) over a pool of connected
 * sockets per server (random ids, rotated random source ports: see UdpSocketPool), TCP when TC=1;
 * SERVFAIL, REFUSED, malformed answers and timeouts move on to the next server.
 * When none answers it rejects with GatewayError (transient): DNS_SERVFAIL if any server answered with an
 * error RCODE, else DNS_MALFORMED if any answer was unparseable, else DNS_TIMEOUT. NXDOMAIN and NODATA are
 * answers. Call close() on shutdown; idle sockets never keep the process alive, but they hold their ports.
 */
export class NetworkDnsClient implements DnsClient {
  private readonly servers: readonly Server[];
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly pool: UdpSocketPool;
  private closed = false;

  /** @throws GatewayError CONFIG_INVALID for a server that is not IP:PORT, an empty list or a bad pool limit. */
  constructor(options: NetworkDnsClientOptions, deps: NetworkDnsClientDeps = {}) {
    if (options.servers.length === 0) throw new GatewayError('CONFIG_INVALID', 'NetworkDnsClient needs at least one server', { impsStatus: 500 });
    const { metrics } = deps;
    this.servers = options.servers.map((text) => serverWithMetrics(parseServerAddress(text), metrics));
    this.timeoutMs = options.timeoutMs;
    this.attempts = Math.max(1, options.attempts);
    this.pool = new UdpSocketPool({ ...DEFAULT_UDP_SOCKET_POOL, ...options.udpPool }, this.timeoutMs, deps.now ?? (() => performance.now()));
  }

  query(name: string, type: RecordType, signal?: AbortSignal): Promise<DnsAnswer> {
    const qname = canonicalName(name);
    return new Promise((resolve, reject) => this.next({ name: qname, type, signal, resolve, reject, tried: 0, failures: [] }));
  }

  /** Close every UDP socket; queries still outstanding, and any made later, reject with DNS_TIMEOUT. */
  close(): Promise<void> {
    this.closed = true;
    return this.pool.close();
  }

  /** Ask the next server of the walk, or reject when every round is spent or the walk was stopped. */
  private next(walk: Walk): void {
    try {
      this.throwIfStopped(walk);
      if (walk.tried === this.servers.length * this.attempts) throw finalError(walk.name, walk.type, walk.failures);
      const server = this.servers[walk.tried % this.servers.length] as Server;
      walk.tried += 1;
      const observe = server.durations?.get(walk.type);
      const started = observe === undefined ? 0 : performance.now();
      const query = encodeQuery(0, walk.name, walk.type);
      this.pool.exchange(server.address, query, walk.name, RECORD_TYPE_CODES[walk.type], walk.signal, (outcome) => this.afterUdp(walk, server, started, outcome));
    } catch (error) {
      walk.reject(error);
    }
  }

  /** One server's UDP outcome; TCP when the response was truncated. */
  private afterUdp(walk: Walk, server: Server, started: number, outcome: ExchangeOutcome): void {
    try {
      const udp = toReading(outcome, walk.name, walk.type, server);
      if (udp.kind !== 'truncated') return this.afterReading(walk, server, started, udp);
      this.exchangeTcp(server, walk.name, walk.type, walk.signal).then((reading) => this.afterReading(walk, server, started, reading), walk.reject);
    } catch (error) {
      walk.reject(error);
    }
  }

  /** Settle the walk with an answer, or note the server's failure and go on to the next server. */
  private afterReading(walk: Walk, server: Server, started: number, response: ResponseReading): void {
    // Only a UDP answer may be cut to fit its datagram (RFC 2181 §9); TC over TCP means a broken server.
    const reading: Reading = response.kind === 'truncated' ? { kind: 'failure', failure: 'malformed', detail: 'TC set on a TCP response' } : response;
    // Only exchanges that got a response are timed: a timeout's duration is the configured deadline.
    const observe = server.durations?.get(walk.type);
    if (observe !== undefined && (reading.kind === 'answer' || (reading.failure !== 'timeout' && reading.failure !== 'network'))) {
      observe((performance.now() - started) / 1000);
    }
    if (reading.kind === 'answer') return walk.resolve(reading.answer);
    // A walk stopped by its caller or by close() ends in next(); its cancelled exchange is no server's failure.
    if (!walk.signal?.aborted && !this.closed) {
      server.errors?.get(reading.failure)?.();
      walk.failures.push({ ...reading, detail: `${server.address.label}: ${reading.detail}` });
    }
    this.next(walk);
  }

  /** The caller gave up or the client was closed: no next server, no next attempt. */
  private throwIfStopped(walk: Walk): void {
    if (walk.signal?.aborted) throw cancelled(walk.name, walk.type, walk.signal.reason);
    if (this.closed) throw cancelled(walk.name, walk.type, new Error('the DNS client is closed'));
  }

  /**
   * A new connection per truncated answer. RFC 7766 §6.2.1 recommends reusing one; TC=1 is rare for ENUM
   * (a handful of NAPTRs fit in 1232 octets), so the cold path does not pay for a kept-open connection.
   */
  private async exchangeTcp(server: Server, name: string, type: RecordType, signal?: AbortSignal): Promise<ResponseReading> {
    const id = randomUint16();
    // Not AbortSignal.timeout: it cannot be cancelled, so each answered query would leave its timer pending
    // for the whole timeout. This one is cleared on the answer.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
    let outcome: ExchangeOutcome;
    try {
      const query = encodeQuery(id, name, type);
      outcome = await exchangeTcp(server.address, query, { id, name, typeCode: RECORD_TYPE_CODES[type] }, signal ? AbortSignal.any([deadline.signal, signal]) : deadline.signal);
    } finally {
      clearTimeout(timer);
    }
    return toReading(outcome, name, type, server);
  }
}

function serverWithMetrics(address: DnsServerAddress, metrics: GatewayMetrics | undefined): Server {
  if (metrics === undefined) return { address, durations: undefined, errors: undefined };
  const durations = new Map<RecordType, (seconds: number) => void>();
  for (const type of Object.keys(RECORD_TYPE_CODES) as RecordType[]) {
    const child = metrics.dnsQueryDuration.labels({ server: address.label, type });
    durations.set(type, (seconds) => child.observe(seconds));
  }
  const errors = new Map<ExchangeFailureKind, () => void>();
  for (const kind of FAILURE_KINDS) {
    const child = metrics.dnsErrors.labels({ server: address.label, kind });
    errors.set(kind, () => child.inc());
  }
  return { address, durations, errors };
}

function toReading(outcome: ExchangeOutcome, name: string, type: RecordType, server: Server): ResponseReading {
  return outcome.ok ? readDnsResponse(outcome.response, name, type, server.address.label) : { kind: 'failure', failure: outcome.kind, detail: outcome.detail };
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
