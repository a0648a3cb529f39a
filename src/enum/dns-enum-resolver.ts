// ENUM resolver (RFC 6116/3403) over any DnsClient, with a result-level cache that makes repeat look-ups cheap.
import { InFlight, type AnswerSource, type DnsClient } from '../dns';
import { GatewayError } from '../errors';
import type { GatewayMetrics } from '../metrics';
import { toAus } from './e164-number';
import type { EnumResolver, EnumResult, EnumService, EnumStatus } from './enum-resolver';
import { enumLookupOptions, lookupEnum, type EnumLookupOptions, type EnumOutcome } from './enum-lookup';
import { EnumResultCache, STALE_TTL_SECONDS, cachedUris, type CachedEnumOutcome } from './enum-result-cache';
import { ResolvedEnumResult } from './resolved-enum-result';

/** Construction options of {@link createEnumResolver}. */
export interface EnumResolverOptions {
  dns: DnsClient;
  /** ENUM trees searched in order (RFC 6116 §3.1). At least one. */
  suffixes: string[];
  /** How many non-terminal NAPTR hops one chain may take before the result is LOOP. */
  maxNonTerminalHops: number;
  metrics?: GatewayMetrics;
  /** Clock in milliseconds (default Date.now); injectable for TTL tests. */
  now?: () => number;
  /**
   * Bound of the result cache, per enumservice (default 1,000,000; the index arrays for it are allocated when
   * the service is first asked for: ~24 MB and ~100 ms at a million).
   */
  cacheMaxEntries?: number;
}

const DEFAULT_CACHE_ENTRIES = 1_000_000;

/** Per-enumservice state: the result cache, the look-ups in flight, and counts not yet given to metrics. */
interface ServiceSlot {
  readonly cache: EnumResultCache;
  /** Resolutions in flight by AUS, landing with their owner's result; callers that join get their own copy. */
  readonly inflight: InFlight<string, ResolvedEnumResult>;
  /** This enumservice's {@link DnsEnumResolver.counts}. */
  readonly counts: Float64Array;
}

const STATUSES: readonly EnumStatus[] = ['OK', 'NXDOMAIN', 'NODATA', 'NO_USABLE', 'LOOP', 'SERVFAIL', 'TIMEOUT'];
const SOURCES: readonly AnswerSource[] = ['cache', 'stale', 'zone', 'dns'];
const STATUS_INDEX = Object.fromEntries(STATUSES.map((status, index) => [status, index])) as Record<EnumStatus, number>;
const SOURCE_INDEX = Object.fromEntries(SOURCES.map((source, index) => [source, index])) as Record<AnswerSource, number>;

function countIndex(status: EnumStatus, source: AnswerSource): number {
  return STATUS_INDEX[status] * SOURCES.length + SOURCE_INDEX[source];
}

function countLookup(counts: Float64Array, status: EnumStatus, source: AnswerSource): void {
  const index = countIndex(status, source);
  counts[index] = (counts[index] as number) + 1;
}

/** Build the gateway's ENUM resolver. */
export function createEnumResolver(options: EnumResolverOptions): DnsEnumResolver {
  return new DnsEnumResolver(options);
}

/**
 * Resolves numbers through a DnsClient. A repeat look-up within the result's TTL is answered from a bounded LRU
 * keyed by enumservice + AUS without touching DNS; concurrent misses of the same key share one resolution.
 * Failures (SERVFAIL/TIMEOUT) are never cached. Over a caching DnsClient (createDnsClient) a number's own NAPTR
 * answers are kept only here, so this cache also serves them stale when DNS fails (RFC 8767), for the DNS
 * cache's `staleSeconds`.
 */
export class DnsEnumResolver implements EnumResolver {
  private readonly lookupOptions: EnumLookupOptions;
  private readonly now: () => number;
  private readonly cacheMaxEntries: number;
  private readonly staleSeconds: number;
  private readonly slots = new Map<EnumService, ServiceSlot>();
  /**
   * Look-ups per enumservice by status × source ({@link countIndex}), added to enum_lookups_total when it is
   * read: a labelled `inc()` costs ~350 ns in prom-client 15 and allocates its label key. Kept apart from the
   * slots so that clear() loses no count, not even of a resolution still in flight.
   */
  private readonly counts = new Map<EnumService, Float64Array>();
  private readonly metrics: GatewayMetrics | undefined;
  /** Clock reading at construction: cache expiries count from here. */
  private readonly epochMs: number;

  constructor(options: EnumResolverOptions) {
    if (options.suffixes.length === 0) {
      throw new GatewayError('CONFIG_INVALID', 'the ENUM resolver needs at least one suffix (enum.suffixes)');
    }
    const suffixes = options.suffixes.map((suffix) => suffix.toLowerCase().replace(/\.$/, ''));
    this.lookupOptions = enumLookupOptions(options.dns, suffixes, options.maxNonTerminalHops);
    this.staleSeconds = options.dns.unstored?.staleSeconds ?? 0;
    this.now = options.now ?? Date.now;
    this.epochMs = this.now();
    this.cacheMaxEntries = options.cacheMaxEntries ?? DEFAULT_CACHE_ENTRIES;
    this.metrics = options.metrics;
    this.metrics?.addEnumLookupsFlush(() => this.flushCounts());
  }

  /** Forget every cached result (after the zone data changed); the next look-ups go to DNS. */
  clear(): void {
    this.slots.clear();
  }

  /** Hit path: no DNS, no parsing beyond the `+digits` check, one LRU look-up. */
  resolve(number: string, service: EnumService, signal?: AbortSignal): Promise<EnumResult> {
    let aus: string;
    try {
      aus = toAus(number);
    } catch (error) {
      this.metrics?.enumLookups.inc({ service, status: 'REJECTED', source: 'input' });
      return Promise.reject(error);
    }
    const slot = this.slotFor(service);
    const nowMs = this.now();
    const entry = slot.cache.get(aus, nowMs);
    if (entry === undefined) return this.resolveMiss(number, aus, service, slot, signal);
    countLookup(slot.counts, entry.meta.status, 'cache');
    return Promise.resolve(hitResult(number, aus, service, entry, slot.cache.remainingSeconds(entry, nowMs)));
  }

  /** Entries in the result cache, all enumservices together. */
  get cacheSize(): number {
    let size = 0;
    for (const slot of this.slots.values()) size += slot.cache.size;
    return size;
  }

  /** The caller that starts a resolution gets its result from the resolution's own `then`: no promise more. */
  private resolveMiss(
    number: string,
    aus: string,
    service: EnumService,
    slot: ServiceSlot,
    signal: AbortSignal | undefined,
  ): Promise<EnumResult> {
    const flight = slot.inflight.get(aus);
    const pending = flight === undefined ? this.load(number, aus, service, slot) : flight.join().then((owners) => owners.copyFor(number));
    return abortable(pending, signal);
  }

  /** One shared resolution per key: its caller's signal must not cancel it for the others. */
  private load(number: string, aus: string, service: EnumService, slot: ServiceSlot): Promise<ResolvedEnumResult> {
    const flight = slot.inflight.start(aus);
    return lookupEnum(this.lookupOptions, aus, service).then(
      (outcome) => {
        try {
          const settled = this.keep(aus, slot, outcome);
          countLookup(slot.counts, settled.status, settled.source);
          const result = new ResolvedEnumResult(number, aus, service, settled);
          flight.land(result);
          return result;
        } catch (error) {
          flight.crash(error);
          throw error;
        }
      },
      (error: unknown) => {
        flight.crash(error);
        throw error;
      },
    );
  }

  /** Cache a completed outcome; for a DNS failure, the stale result in its stead when there is one (RFC 8767). */
  private keep(aus: string, slot: ServiceSlot, outcome: EnumOutcome): EnumOutcome {
    const nowMs = this.now();
    if (outcome.status !== 'SERVFAIL' && outcome.status !== 'TIMEOUT') {
      slot.cache.set(aus, outcome, nowMs);
      return outcome;
    }
    const stale = slot.cache.serveStale(aus, nowMs);
    return stale === undefined ? outcome : staleOutcome(stale, slot.cache.remainingSeconds(stale, nowMs), outcome);
  }

  private slotFor(service: EnumService): ServiceSlot {
    let slot = this.slots.get(service);
    if (slot === undefined) {
      const cache = new EnumResultCache(this.cacheMaxEntries, this.epochMs, this.staleSeconds);
      let counts = this.counts.get(service);
      if (counts === undefined) {
        counts = new Float64Array(STATUSES.length * SOURCES.length);
        this.counts.set(service, counts);
      }
      slot = { cache, inflight: new InFlight(), counts };
      this.slots.set(service, slot);
    }
    return slot;
  }

  private flushCounts(): void {
    for (const [service, counts] of this.counts) {
      for (let index = 0; index < counts.length; index += 1) {
        const count = counts[index] as number;
        if (count === 0) continue;
        const status = STATUSES[Math.floor(index / SOURCES.length)] as EnumStatus;
        const source = SOURCES[index % SOURCES.length] as AnswerSource;
        this.metrics?.enumLookups.inc({ service, status, source }, count);
        counts[index] = 0;
      }
    }
  }
}

const HIT_TRACE = 'served from the ENUM result cache (NAPTR records and the full trace are not kept)';
const STALE_HIT_TRACE = `served stale from the ENUM result cache: DNS failed less than ${STALE_TTL_SECONDS} s ago (RFC 8767)`;

function hitResult(number: string, aus: string, service: EnumService, entry: CachedEnumOutcome, ttlSeconds: number): EnumResult {
  return {
    number,
    aus,
    service,
    status: entry.meta.status,
    uris: cachedUris(entry),
    suffix: entry.meta.suffix,
    ttlSeconds,
    np: entry.meta.np,
    records: [],
    cached: true,
    trace: [entry.meta.staleUntilSeconds === null ? HIT_TRACE : STALE_HIT_TRACE],
  };
}

/** The last result for a number whose resolution failed, after the failed resolution's own steps. */
function staleOutcome(entry: CachedEnumOutcome, ttlSeconds: number, failed: EnumOutcome): EnumOutcome {
  const { status, suffix, np } = entry.meta;
  const uris = cachedUris(entry);
  const steps = [
    ...failed.steps,
    `result ${failed.status}: serving the expired result ${status}${uris.length > 0 ? ` ${uris.join(', ')}` : ''} from the ENUM result cache (RFC 8767 serve-stale, TTL ${ttlSeconds} s)`,
  ];
  return { status, uris, suffix, ttlSeconds, np, records: [], cached: true, source: 'stale', steps };
}

/** Wait for `pending`, or reject with ENUM_TIMEOUT when the caller's signal aborts first. */
function abortable<T>(pending: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return pending;
  const aborted = () => new GatewayError('ENUM_TIMEOUT', 'ENUM look-up abandoned: the caller gave up waiting', {
    impsStatus: 503,
    transient: true,
    cause: signal.reason,
  });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
