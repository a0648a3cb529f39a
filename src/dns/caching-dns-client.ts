// DNS answer cache (RFC 1035 §7.4 TTLs, RFC 2308 negative caching, RFC 8767 serve-stale) with coalescing.
import { performance } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';
import { GatewayError } from '../errors';
import type { GatewayMetrics } from '../metrics';
import type { DnsAnswer, DnsClient, RecordType, UnstoredQueries } from './dns-client';
import { canonicalName } from './dns-wire';
import { InFlight } from './in-flight';

/** The same fields as config `dns.cache`. */
export interface DnsCacheOptions {
  maxEntries: number;
  minTtlSeconds: number;
  maxTtlSeconds: number;
  maxNegativeTtlSeconds: number;
  /** RFC 8767 §5: how long past expiry an answer may still be served while the inner client fails. */
  staleSeconds: number;
}

/** Collaborators: the metrics to report dns_cache_entries to, and the clock. */
export interface CachingDnsClientDeps {
  metrics?: GatewayMetrics;
  /** Monotonic clock in milliseconds; injected by TTL tests. */
  now?: () => number;
}

/** RFC 8767 §4: the TTL put on a stale answer, and the "failure recheck" wait before asking again. */
const STALE_TTL_SECONDS = 30;

interface CacheEntry {
  answer: DnsAnswer;
  expiresAtMs: number;
  staleUntilMs: number;
  /** While now < this, a recent failure says: serve stale without asking the inner client again. */
  recheckAtMs: number;
  /** The last answer handed out on a hit, reused while its remaining TTL is unchanged (no allocation). */
  hit: DnsAnswer | undefined;
  hitTtlSeconds: number;
}

/**
 * Wraps any DnsClient. Hits return `source: 'cache'` with the remaining TTL (records keep the TTLs they were
 * received with). Positive TTL = the answer's TTL clamped to [minTtlSeconds, maxTtlSeconds]; negative TTL
 * clamped to maxNegativeTtlSeconds. Concurrent misses of one name+type share one inner query (which runs
 * under the inner client's own deadline; a caller's signal only stops that caller's wait). When the inner
 * client rejects with a transient error and an expired entry is younger than staleSeconds, that entry is
 * returned with `source: 'stale'`. `unstored` queries go to the inner client without touching the cache,
 * their answers' TTLs bounded alike; concurrent ones for one name+type share one inner query too (a number's
 * `im` and `pres` look-ups ask the same NAPTR name).
 */
export class CachingDnsClient implements DnsClient {
  readonly unstored: UnstoredQueries;
  private readonly cache: LRUCache<string, CacheEntry>;
  private readonly inflight = new InFlight<string, DnsAnswer>();
  private readonly unstoredInflight = new InFlight<string, DnsAnswer>();
  private readonly now: () => number;

  constructor(
    private readonly inner: DnsClient,
    private readonly options: DnsCacheOptions,
    private readonly deps: CachingDnsClientDeps = {},
  ) {
    // Bounded by maxSize with every entry sized 1, not by `max`: lru-cache preallocates its index arrays for
    // `max` entries (~100 ms and ~28 MB at construction for the default 1,000,000); this way they grow with use.
    this.cache = new LRUCache<string, CacheEntry>({ maxSize: options.maxEntries, sizeCalculation: () => 1 });
    this.now = deps.now ?? (() => performance.now());
    this.unstored = { query: (name, type) => this.queryUnstored(name, type), staleSeconds: options.staleSeconds };
  }

  /** Entries held, fresh or stale. */
  get size(): number {
    return this.cache.size;
  }

  /** Drop every entry (after a zone reload). */
  clear(): void {
    this.cache.clear();
    this.deps.metrics?.dnsCacheEntries.set(0);
  }

  query(name: string, type: RecordType, signal?: AbortSignal): Promise<DnsAnswer> {
    const qname = canonicalName(name);
    const key = `${type} ${qname}`;
    const entry = this.cache.get(key);
    if (entry !== undefined) {
      const now = this.now();
      if (now < entry.expiresAtMs) return Promise.resolve(cachedAnswer(entry, now));
      if (now < entry.recheckAtMs) return Promise.resolve(staleAnswer(entry));
    }
    const pending = this.inflight.get(key)?.join() ?? this.fetch(key, qname, type);
    return signal === undefined ? pending : abortable(pending, signal, qname, type);
  }

  private queryUnstored(name: string, type: RecordType): Promise<DnsAnswer> {
    const qname = canonicalName(name);
    const key = `${type} ${qname}`;
    const joined = this.unstoredInflight.get(key)?.join();
    if (joined !== undefined) return joined;
    const flight = this.unstoredInflight.start(key);
    return innerQuery(this.inner, qname, type).then(
      (received) => {
        // Not stored here, but whoever keeps it (the ENUM result cache) keeps it within the same TTL bounds.
        const answer = this.withBoundedTtl(received);
        flight.land(answer);
        return answer;
      },
      (error: unknown) => {
        flight.crash(error);
        throw error;
      },
    );
  }

  /**
   * One inner query, in flight until it settles, then stored, or answered stale when it failed. Its outcome is
   * handled in the same `then` that lands the flight: no promise more than the inner one.
   */
  private fetch(key: string, name: string, type: RecordType): Promise<DnsAnswer> {
    const flight = this.inflight.start(key);
    return innerQuery(this.inner, name, type).then(
      (answer) => {
        flight.land(answer);
        this.store(key, answer);
        return answer;
      },
      (error: unknown) => {
        const stale = this.staleAfter(key, error);
        if (stale === undefined) {
          flight.crash(error);
          throw error;
        }
        flight.land(stale);
        return stale;
      },
    );
  }

  /** RFC 8767: after a transient failure, the expired entry while it is younger than staleSeconds. */
  private staleAfter(key: string, error: unknown): DnsAnswer | undefined {
    const entry = this.cache.get(key);
    if (entry === undefined || !(error instanceof GatewayError) || !error.transient) return undefined;
    const now = this.now();
    if (now >= entry.staleUntilMs) {
      this.delete(key);
      return undefined;
    }
    entry.recheckAtMs = Math.min(now + STALE_TTL_SECONDS * 1000, entry.staleUntilMs);
    return staleAnswer(entry);
  }

  /** The answer's TTL within [minTtlSeconds, maxTtlSeconds], a negative one at most maxNegativeTtlSeconds. */
  private boundedTtl(answer: DnsAnswer): number {
    const { minTtlSeconds, maxTtlSeconds, maxNegativeTtlSeconds } = this.options;
    return answer.kind === 'answer' ? Math.min(Math.max(answer.ttlSeconds, minTtlSeconds), maxTtlSeconds) : Math.min(answer.negativeTtlSeconds, maxNegativeTtlSeconds);
  }

  private withBoundedTtl(answer: DnsAnswer): DnsAnswer {
    const ttlSeconds = this.boundedTtl(answer);
    if (answer.kind === 'answer') return ttlSeconds === answer.ttlSeconds ? answer : { ...answer, ttlSeconds };
    return ttlSeconds === answer.negativeTtlSeconds ? answer : { ...answer, negativeTtlSeconds: ttlSeconds };
  }

  private store(key: string, answer: DnsAnswer): void {
    const { staleSeconds } = this.options;
    const ttlSeconds = this.boundedTtl(answer);
    if (ttlSeconds <= 0 && staleSeconds <= 0) return this.delete(key);
    const expiresAtMs = this.now() + ttlSeconds * 1000;
    this.cache.set(key, { answer, expiresAtMs, staleUntilMs: expiresAtMs + staleSeconds * 1000, recheckAtMs: 0, hit: undefined, hitTtlSeconds: -1 });
    this.deps.metrics?.dnsCacheEntries.set(this.cache.size);
  }

  private delete(key: string): void {
    this.cache.delete(key);
    this.deps.metrics?.dnsCacheEntries.set(this.cache.size);
  }
}

/** The inner client's answer; a synchronous throw becomes a rejection, so that the flight still ends. */
function innerQuery(inner: DnsClient, name: string, type: RecordType): Promise<DnsAnswer> {
  try {
    return inner.query(name, type);
  } catch (error) {
    return Promise.reject(error);
  }
}

function cachedAnswer(entry: CacheEntry, now: number): DnsAnswer {
  const remaining = Math.floor((entry.expiresAtMs - now) / 1000);
  if (entry.hit !== undefined && entry.hitTtlSeconds === remaining) return entry.hit;
  entry.hit = withTtl(entry.answer, remaining, 'cache');
  entry.hitTtlSeconds = remaining;
  return entry.hit;
}

function staleAnswer(entry: CacheEntry): DnsAnswer {
  return withTtl(entry.answer, STALE_TTL_SECONDS, 'stale');
}

function withTtl(answer: DnsAnswer, ttlSeconds: number, source: 'cache' | 'stale'): DnsAnswer {
  return answer.kind === 'answer' ? { ...answer, ttlSeconds, source } : { ...answer, negativeTtlSeconds: ttlSeconds, source };
}

function abortable(pending: Promise<DnsAnswer>, signal: AbortSignal, name: string, type: RecordType): Promise<DnsAnswer> {
  const cancelled = (): GatewayError =>
    new GatewayError('DNS_TIMEOUT', `DNS query ${type} ${name} was cancelled`, { impsStatus: 503, transient: true, cause: signal.reason });
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (answer) => (signal.removeEventListener('abort', onAbort), resolve(answer)),
      (error: unknown) => (signal.removeEventListener('abort', onAbort), reject(error)),
    );
  });
}
