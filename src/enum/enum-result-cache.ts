// Result-level ENUM cache of one enumservice: AUS → compact outcome until its TTL ends (RFC 2308 §5 for negatives).
import { LRUCache } from 'lru-cache';
import type { EnumStatus, NumberPortability } from './enum-resolver';

/** Status, suffix and portability data of an outcome; shared by every entry with the same values when np is null. */
export interface OutcomeMeta {
  readonly status: EnumStatus;
  readonly suffix: string | null;
  readonly np: NumberPortability | null;
}

/**
 * One cached outcome, kept small (bench/enum-memory: about 200 bytes of heap with its key and index). A single
 * URI is a plain string; status and suffix live in a shared {@link OutcomeMeta}; the expiry is whole seconds
 * since the cache was created (a small integer V8 stores unboxed); neither the trace nor the NAPTR records
 * are kept — a hit regenerates a one-line trace.
 */
export interface CachedEnumOutcome {
  readonly meta: OutcomeMeta;
  readonly uris: string | readonly string[];
  /** Whole seconds after the cache's epoch; rounded down, so an entry never outlives its TTL. */
  readonly expiresAtSeconds: number;
}

/** What is stored from a resolution. */
export interface CacheableOutcome extends OutcomeMeta {
  uris: readonly string[];
  ttlSeconds: number;
}

/**
 * Bounded LRU keyed by the AUS itself (one instance per enumservice), so that a hit builds no key string.
 * `max` makes lru-cache allocate typed index arrays for every possible entry at construction (~100 ms and
 * ~24 MB for a million), but saves ~38 bytes per entry over a `maxSize` bound: create it on first use.
 */
export class EnumResultCache {
  private readonly lru: LRUCache<string, CachedEnumOutcome>;
  /** Status → suffix → shared meta; nested maps so that storing an entry builds no key string. */
  private readonly sharedMeta = new Map<EnumStatus, Map<string | null, OutcomeMeta>>();

  /**
   * @param maxEntries bound on the number of entries
   * @param epochMs the clock reading expiries count from (the resolver's start)
   */
  constructor(
    maxEntries: number,
    private readonly epochMs: number,
  ) {
    this.lru = new LRUCache({ max: maxEntries });
  }

  /** The live entry for `aus`, or undefined; an expired entry is dropped. */
  get(aus: string, nowMs: number): CachedEnumOutcome | undefined {
    const entry = this.lru.get(aus);
    if (entry === undefined || entry.expiresAtSeconds > this.secondsAt(nowMs)) return entry;
    this.lru.delete(aus);
    return undefined;
  }

  /** Whole seconds an entry has left at `nowMs` (at least 1 while it is live). */
  remainingSeconds(entry: CachedEnumOutcome, nowMs: number): number {
    return Math.ceil(entry.expiresAtSeconds - this.secondsAt(nowMs));
  }

  /** Keep an outcome for its TTL; a TTL of 0 keeps nothing. */
  set(aus: string, outcome: CacheableOutcome, nowMs: number): void {
    if (outcome.ttlSeconds <= 0) return;
    const uris = outcome.uris.length === 1 ? detached(outcome.uris[0] as string) : Object.freeze(outcome.uris.map(detached));
    const expiresAtSeconds = Math.floor(this.secondsAt(nowMs)) + outcome.ttlSeconds;
    this.lru.set(aus, { meta: this.metaOf(outcome), uris, expiresAtSeconds });
  }

  get size(): number {
    return this.lru.size;
  }

  /** Statuses × suffixes are few: one shared object each. Entries with np data keep their own. */
  private metaOf({ status, suffix, np }: OutcomeMeta): OutcomeMeta {
    if (np !== null) return { status, suffix, np };
    let bySuffix = this.sharedMeta.get(status);
    if (bySuffix === undefined) {
      bySuffix = new Map();
      this.sharedMeta.set(status, bySuffix);
    }
    let meta = bySuffix.get(suffix);
    if (meta === undefined) {
      meta = Object.freeze({ status, suffix, np });
      bySuffix.set(suffix, meta);
    }
    return meta;
  }

  private secondsAt(nowMs: number): number {
    return (nowMs - this.epochMs) / 1000;
  }
}

/**
 * A copy of `uri` that keeps nothing else alive: V8 represents a long substring as a view of its parent, so a URI
 * cut from a NAPTR regexp would hold the whole regexp field (~32 bytes more per entry, measured with
 * bench/enum-memory). A JSON round trip is exact for every string and yields a plain string of the URI alone
 * (~0.3 µs, once per cold look-up; cheaper copies measured either keep a view or an extra string header).
 */
function detached(uri: string): string {
  return JSON.parse(JSON.stringify(uri)) as string;
}

/** A fresh, caller-owned copy of an entry's URIs. */
export function cachedUris(entry: CachedEnumOutcome): string[] {
  return typeof entry.uris === 'string' ? [entry.uris] : [...entry.uris];
}
