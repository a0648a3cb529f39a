// ENUM (RFC 6116/3403): the result of a resolution that went to DNS, whose trace is rendered only when read.
import type { NaptrData } from '../dns';
import type { EnumLookupResult } from './enum-lookup';
import type { EnumResult, EnumService, EnumStatus, NumberPortability } from './enum-resolver';
import { renderTrace, type TraceStep } from './enum-trace';

/**
 * An EnumResult whose `trace` is kept as steps until first read (then rendered once and kept, so readers of one
 * result share one array that they may change). A class, not an object literal with an accessor: V8 builds
 * such literals slowly (~1 µs each, measured), more than rendering the trace would cost. `toJSON` keeps
 * `JSON.stringify` output identical to a plain EnumResult's, trace included.
 */
export class ResolvedEnumResult implements EnumResult {
  readonly status: EnumStatus;
  uris: string[];
  readonly suffix: string | null;
  readonly ttlSeconds: number;
  readonly np: NumberPortability | null;
  records: NaptrData[];
  readonly cached: boolean;
  #steps: readonly TraceStep[];
  #trace: string[] | undefined;

  /**
   * @param outcome the shared resolution
   * @param owner true for the caller that started the resolution: it takes the arrays, joiners get copies
   */
  constructor(
    readonly number: string,
    readonly aus: string,
    readonly service: EnumService,
    outcome: EnumLookupResult,
    owner: boolean,
  ) {
    this.status = outcome.status;
    this.uris = owner ? outcome.uris : outcome.uris.slice();
    this.suffix = outcome.suffix;
    this.ttlSeconds = outcome.ttlSeconds;
    this.np = outcome.np;
    this.records = owner ? outcome.records : outcome.records.slice();
    this.cached = outcome.cached;
    this.#steps = outcome.steps;
  }

  get trace(): string[] {
    this.#trace ??= renderTrace(this.#steps);
    return this.#trace;
  }

  set trace(lines: string[]) {
    this.#trace = lines;
  }

  /** The plain EnumResult, in the field order of the interface. */
  toJSON(): EnumResult {
    const { number, aus, service, status, uris, suffix, ttlSeconds, np, records, cached, trace } = this;
    return { number, aus, service, status, uris, suffix, ttlSeconds, np, records, cached, trace };
  }
}
