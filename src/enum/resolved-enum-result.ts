// ENUM (RFC 6116/3403): the result of a resolution that went to DNS, whose trace is rendered only when read.
import type { NaptrData } from '../dns';
import type { EnumLookupResult } from './enum-lookup';
import type { EnumResult, EnumService, EnumStatus, NumberPortability } from './enum-resolver';
import { renderTrace } from './enum-trace';

/**
 * An EnumResult whose `trace` is kept as steps until first read (then rendered once and kept, so readers of one
 * result share one array that they may change). A class, not an object literal with an accessor: V8 builds
 * such literals slowly (~1 µs each, measured), more than rendering the trace would cost. `toJSON` keeps
 * `JSON.stringify` output identical to a plain EnumResult's, trace included. Each result has its own `uris` and
 * `records` arrays, copied from the outcome, which stays as it was for the callers that joined the resolution.
 */
export class ResolvedEnumResult implements EnumResult {
  readonly status: EnumStatus;
  uris: string[];
  readonly suffix: string | null;
  readonly ttlSeconds: number;
  readonly np: NumberPortability | null;
  records: NaptrData[];
  readonly cached: boolean;
  readonly #outcome: EnumLookupResult;
  #trace: string[] | undefined;

  constructor(
    readonly number: string,
    readonly aus: string,
    readonly service: EnumService,
    outcome: EnumLookupResult,
  ) {
    this.status = outcome.status;
    this.uris = outcome.uris.slice();
    this.suffix = outcome.suffix;
    this.ttlSeconds = outcome.ttlSeconds;
    this.np = outcome.np;
    this.records = outcome.records.slice();
    this.cached = outcome.cached;
    this.#outcome = outcome;
  }

  /** The same resolution's result for another caller, who asked with `number`. */
  copyFor(number: string): ResolvedEnumResult {
    return new ResolvedEnumResult(number, this.aus, this.service, this.#outcome);
  }

  get trace(): string[] {
    this.#trace ??= renderTrace(this.#outcome.steps);
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
