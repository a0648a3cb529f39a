// ENUM resolver (RFC 6116/3403) over any DnsClient, with a result-level cache that makes repeat look-ups cheap.
import type { DnsClient } from '../dns';
import { GatewayError } from '../errors';
import type { GatewayMetrics } from '../metrics';
import { toAus } from './e164-number';
import type { EnumResolver, EnumResult, EnumService, EnumStatus } from './enum-resolver';
import { lookupEnum, type EnumLookupOptions, type EnumOutcome } from './enum-lookup';
import { EnumResultCache, cachedUris, type CachedEnumOutcome } from './enum-result-cache';
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

/** Per-enumservice state: the result cache, the look-ups in flight, and hit counts not yet given to metrics. */
interface ServiceSlot {
  readonly cache: EnumResultCache;
  readonly inflight: Map<string, Promise<EnumOutcome>>;
  readonly hits: Map<EnumStatus, number>;
}

/** Build the gateway's ENUM resolver. */
export function createEnumResolver(options: EnumResolverOptions): DnsEnumResolver {
  return new DnsEnumResolver(options);
}

/**
 * Resolves numbers through a DnsClient. A repeat look-up within the result's TTL is answered from a bounded LRU
 * keyed by enumservice + AUS without touching DNS; concurrent misses of the same key share one resolution.
 * Failures (SERVFAIL/TIMEOUT) are never cached here: the DNS layer's stale answers cover them.
 */
export class DnsEnumResolver implements EnumResolver {
  private readonly lookupOptions: EnumLookupOptions;
  private readonly now: () => number;
  private readonly cacheMaxEntries: number;
  private readonly slots = new Map<EnumService, ServiceSlot>();
  private readonly metrics: GatewayMetrics | undefined;
  /** Clock reading at construction: cache expiries count from here. */
  private readonly epochMs: number;

  constructor(options: EnumResolverOptions) {
    if (options.suffixes.length === 0) {
      throw new GatewayError('CONFIG_INVALID', 'the ENUM resolver needs at least one suffix (enum.suffixes)');
    }
    this.lookupOptions = {
      dns: options.dns,
      suffixes: options.suffixes.map((suffix) => suffix.toLowerCase().replace(/\.$/, '')),
      maxNonTerminalHops: options.maxNonTerminalHops,
    };
    this.now = options.now ?? Date.now;
    this.epochMs = this.now();
    this.cacheMaxEntries = options.cacheMaxEntries ?? DEFAULT_CACHE_ENTRIES;
    this.metrics = options.metrics;
    this.metrics?.addEnumLookupsFlush(() => this.flushHits());
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
    const status = entry.meta.status;
    slot.hits.set(status, (slot.hits.get(status) ?? 0) + 1);
    return Promise.resolve(hitResult(number, aus, service, entry, slot.cache.remainingSeconds(entry, nowMs)));
  }

  /** Entries in the result cache, all enumservices together. */
  get cacheSize(): number {
    let size = 0;
    for (const slot of this.slots.values()) size += slot.cache.size;
    return size;
  }

  /** `then` chains rather than async functions: one promise fewer per layer on every cold look-up. */
  private resolveMiss(
    number: string,
    aus: string,
    service: EnumService,
    slot: ServiceSlot,
    signal: AbortSignal | undefined,
  ): Promise<EnumResult> {
    let pending = slot.inflight.get(aus);
    const owner = pending === undefined;
    if (pending === undefined) {
      pending = this.load(aus, service, slot);
      slot.inflight.set(aus, pending);
    }
    return abortable(pending, signal).then((outcome) => new ResolvedEnumResult(number, aus, service, outcome, owner));
  }

  /** One shared resolution per key: its caller's signal must not cancel it for the others. */
  private load(aus: string, service: EnumService, slot: ServiceSlot): Promise<EnumOutcome> {
    return lookupEnum(this.lookupOptions, aus, service).then(
      (outcome) => {
        try {
          slot.cache.set(aus, outcome, this.now());
          this.metrics?.enumLookups.inc({ service, status: outcome.status, source: outcome.source });
          return outcome;
        } finally {
          slot.inflight.delete(aus);
        }
      },
      (error: unknown) => {
        slot.inflight.delete(aus);
        throw error;
      },
    );
  }

  private slotFor(service: EnumService): ServiceSlot {
    let slot = this.slots.get(service);
    if (slot === undefined) {
      slot = { cache: new EnumResultCache(this.cacheMaxEntries, this.epochMs), inflight: new Map(), hits: new Map() };
      this.slots.set(service, slot);
    }
    return slot;
  }

  private flushHits(): void {
    for (const [service, slot] of this.slots) {
      for (const [status, count] of slot.hits) this.metrics?.enumLookups.inc({ service, status, source: 'cache' }, count);
      slot.hits.clear();
    }
  }
}

const HIT_TRACE = 'served from the ENUM result cache (NAPTR records and the full trace are not kept)';

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
    trace: [HIT_TRACE],
  };
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
