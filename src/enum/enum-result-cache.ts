// Result-level ENUM cache of one enumservice: AUS → compact outcome until its TTL ends (RFC 2308 §5 for negatives).
import { LRUCache } from 'lru-cache';
import type { EnumStatus, NumberPortability } from './enum-resolver';

/** RFC 8767 §4: the TTL of a stale result, which is also the wait before DNS is asked again after a failure. */
export const STALE_TTL_SECONDS = 30;

/**
 * Status, suffix and portability data of an outcome; shared by every entry with the same values when np is null.
 * `staleUntilSeconds` is set only on an entry re-kept after a DNS failure (RFC 8767): the end of the stale window
 * of the result it carries on, which its own expiry no longer tells.
 */
export interface OutcomeMeta {
  readonly status: EnumStatus;
  readonly suffix: string | null;
  readonly np: NumberPortability | null;
  readonly staleUntilSeconds: number | null;
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
export interface CacheableOutcome {
  readonly status: EnumStatus;
  readonly suffix: string | null;
  readonly np: NumberPortability | null;
  readonly uris: readonly string[];
  readonly ttlSeconds: number;
}

/**
 * Bounded LRU keyed by the AUS itself (one instance per enumservice), so that a hit builds no key string.
 * `max` makes lru-cache allocate typed index arrays for every possible entry at construction (~100 ms and
 * ~24 MB for a million), but saves ~38 bytes per entry over a `maxSize` bound: create it on first use.
 *
 * Serve-stale (RFC 8767): an expired entry stays for `staleSeconds` (the DNS cache's window: a number's own
 * NAPTR answer is not kept there, this cache stands in for it). When DNS then fails, {@link serveStale} keeps it
 * on for STALE_TTL_SECONDS, during which it is served as a hit without asking DNS again.
 */
export class EnumResultCache {
  private readonly lru: LRUCache<string, CachedEnumOutcome>;
  /** Status → suffix → shared meta; nested maps so that storing an entry builds no key string. */
  private readonly sharedMeta = new Map<EnumStatus, Map<string | null, OutcomeMeta>>();

  /**
   * @param maxEntries bound on the number of entries
   * @param epochMs the clock reading expiries count from (the resolver's start)
   * @param staleSeconds how long past its expiry an entry may still be served when DNS fails (0: never)
   */
  constructor(
    maxEntries: number,
    private readonly epochMs: number,
    private readonly staleSeconds: number,
  ) {
    this.lru = new LRUCache({ max: maxEntries });
  }

  /** The live entry for `aus`, or undefined; an expired entry is dropped once its stale window has passed too. */
  get(aus: string, nowMs: number): CachedEnumOutcome | undefined {
    const entry = this.lru.get(aus);
    if (entry === undefined) return undefined;
    const seconds = this.secondsAt(nowMs);
    if (entry.expiresAtSeconds > seconds) return entry;
    if (this.staleUntil(entry) <= seconds) this.lru.delete(aus);
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

  /**
   * DNS failed for `aus`: its expired entry when still inside the stale window, kept on (and returned) with an
   * expiry STALE_TTL_SECONDS away, not past the window; undefined when there is none.
   */
  serveStale(aus: string, nowMs: number): CachedEnumOutcome | undefined {
    const entry = this.lru.get(aus);
    if (entry === undefined) return undefined;
    const seconds = Math.floor(this.secondsAt(nowMs));
    const staleUntilSeconds = this.staleUntil(entry);
    if (staleUntilSeconds <= seconds) return undefined;
    const { status, suffix, np } = entry.meta;
    const kept = { meta: { status, suffix, np, staleUntilSeconds }, uris: entry.uris, expiresAtSeconds: Math.min(seconds + STALE_TTL_SECONDS, staleUntilSeconds) };
    this.lru.set(aus, kept);
    return kept;
  }

  get size(): number {
    return this.lru.size;
  }

  private staleUntil(entry: CachedEnumOutcome): number {
    return entry.meta.staleUntilSeconds ?? entry.expiresAtSeconds + this.staleSeconds;
  }

  /** Statuses × suffixes are few: one shared object each. Entries with np data keep their own. */
  private metaOf({ status, suffix, np }: CacheableOutcome): OutcomeMeta {
    if (np !== null) return { status, suffix, np, staleUntilSeconds: null };
    let bySuffix = this.sharedMeta.get(status);
    if (bySuffix === undefined) {
      bySuffix = new Map();
      this.sharedMeta.set(status, bySuffix);
    }
    let meta = bySuffix.get(suffix);
    if (meta === undefined) {
      meta = Object.freeze({ status, suffix, np, staleUntilSeconds: null });
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
 * bench/enum-memory). Joining two non-empty parts always builds a new flat string of the URI alone, for a third
 * of what a JSON round trip costs (a one-character string is never a view).
 */
function detached(uri: string): string {
  return uri.length < 2 ? uri : [uri.slice(0, 1), uri.slice(1)].join('');
}

/** A fresh, caller-owned copy of an entry's URIs. */
export function cachedUris(entry: CachedEnumOutcome): string[] {
  return typeof entry.uris === 'string' ? [entry.uris] : [...entry.uris];
}
