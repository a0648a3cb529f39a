// One uncached ENUM resolution (RFC 6116 §3, RFC 3402 §4): suffix search list, NAPTR chains, status precedence.
import type { AnswerSource, DnsAnswer, DnsClient, DnsRecord, NaptrData } from '../dns';
import { GatewayError } from '../errors';
import { describeAnswer } from './describe-answer';
import { toEnumDomain } from './e164-number';
import type { EnumResult, EnumService, NumberPortability } from './enum-resolver';
import type { TraceStep } from './enum-trace';
import { selectNaptrRecords } from './naptr-selection';
import { parseNumberPortability } from './number-portability';

/**
 * The parts of an EnumResult a resolution produces (the caller adds number, aus, service), plus its source;
 * the trace as steps, rendered when the caller reads it.
 */
export type EnumOutcome = EnumLookupResult & {
  /** Metric label: the least cached source among the answers (dns > zone > stale > cache). */
  source: AnswerSource;
};

/** The result fields a resolution fills, with the trace as steps. */
export type EnumLookupResult = Omit<EnumResult, 'number' | 'aus' | 'service' | 'trace'> & {
  steps: readonly TraceStep[];
};

/** One NAPTR question to the DNS. */
export type NaptrQuery = (name: string) => Promise<DnsAnswer>;

/** What a resolution needs besides the number; see {@link enumLookupOptions}. */
export interface EnumLookupOptions {
  /** Asks a number's own ENUM name at a suffix. */
  queryOwnName: NaptrQuery;
  /** Asks a name reached through non-terminal records. */
  queryNextName: NaptrQuery;
  suffixes: readonly string[];
  maxNonTerminalHops: number;
}

/**
 * Lookup options over `dns`. A number's own names are asked through `dns.unstored` when the client has it: the
 * caller's result cache keeps the outcome, so the DNS cache need not keep the answer as well. Names reached
 * through non-terminal records go through the DNS cache, since many numbers share them.
 */
export function enumLookupOptions(dns: DnsClient, suffixes: readonly string[], maxNonTerminalHops: number): EnumLookupOptions {
  const { unstored } = dns;
  return {
    queryOwnName: unstored === undefined ? (name) => dns.query(name, 'NAPTR') : (name) => unstored.query(name, 'NAPTR'),
    queryNextName: (name) => dns.query(name, 'NAPTR'),
    suffixes,
    maxNonTerminalHops,
  };
}

type NegativeStatus = 'NXDOMAIN' | 'NODATA' | 'NO_USABLE' | 'LOOP';
type ChainOutcome = { status: 'OK' | NegativeStatus; uris: string[]; records: NaptrData[] };
type SuffixOutcome = ChainOutcome | { status: 'SERVFAIL' | 'TIMEOUT'; uris: string[]; records: NaptrData[] };

/**
 * Among completed negative outcomes, the one that got furthest decides: a loop or unusable records say more than
 * an empty name, which says more than a missing one. NXDOMAIN therefore only when every suffix said NXDOMAIN.
 */
const NEGATIVE_RANK: Record<NegativeStatus, number> = { NXDOMAIN: 0, NODATA: 1, NO_USABLE: 2, LOOP: 3 };
/** Metric source label: the least cached source wins. */
const SOURCE_RANK: Record<AnswerSource, number> = { cache: 0, stale: 1, zone: 2, dns: 3 };

/**
 * Resolve `aus` for `service` without any result cache. Status precedence across suffixes: the first suffix with
 * OK wins; otherwise, if any suffix failed (SERVFAIL/TIMEOUT), the first failure decides, because the failed tree
 * may hold the number and a negative answer would be wrong; otherwise the furthest negative outcome.
 * ttlSeconds is the minimum over every answer consulted (all of them shaped the result); 0 for failures.
 */
export function lookupEnum(options: EnumLookupOptions, aus: string, service: EnumService): Promise<EnumOutcome> {
  return new EnumLookup(options, aus, service).run();
}

class EnumLookup {
  private readonly trace: TraceStep[] = [];
  private ttlSeconds = Number.POSITIVE_INFINITY;
  private answers = 0;
  private cachedAnswers = 0;
  private source: AnswerSource = 'cache';

  constructor(
    private readonly options: EnumLookupOptions,
    private readonly aus: string,
    private readonly service: EnumService,
  ) {}

  /** `then` chains rather than async functions: each layer would cost a promise more on every cold look-up. */
  run(): Promise<EnumOutcome> {
    return this.fromSuffix(0, []);
  }

  /**
   * RFC 6116 §3.1: suffixes in order; the next one is asked only when this one gave no OK. The first answer is
   * judged in the same `then` that decides the suffix: a terminal answer (the usual case) then costs one promise.
   */
  private fromSuffix(index: number, outcomes: SuffixOutcome[]): Promise<EnumOutcome> {
    const name = toEnumDomain(this.aus, this.options.suffixes[index] as string);
    const fail = (error: unknown): EnumOutcome | Promise<EnumOutcome> => this.afterSuffix(index, outcomes, this.failed(name, error));
    return this.query(this.options.queryOwnName, name).then((answer) => {
      const chain = this.onAnswer(name, 0, [name], answer);
      if (!(chain instanceof Promise)) return this.afterSuffix(index, outcomes, chain);
      return chain.then((outcome) => this.afterSuffix(index, outcomes, outcome), fail);
    }, fail);
  }

  /** The DNS query as a promise, also when a DnsClient throws instead of rejecting. */
  private query(query: NaptrQuery, name: string): Promise<DnsAnswer> {
    try {
      return query(name);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private afterSuffix(index: number, outcomes: SuffixOutcome[], outcome: SuffixOutcome): EnumOutcome | Promise<EnumOutcome> {
    const suffix = this.options.suffixes[index] as string;
    if (outcome.status === 'OK') return this.finish(outcome, suffix);
    outcomes.push(outcome);
    const next = this.options.suffixes[index + 1];
    this.trace.push(`suffix ${suffix}: ${outcome.status}${next === undefined ? '' : `, trying suffix ${next}`}`);
    return next === undefined ? this.finish(decideNegative(outcomes), null) : this.fromSuffix(index + 1, outcomes);
  }

  /** DNS failures are results (SERVFAIL/TIMEOUT); anything else is a bug and propagates. */
  private failed(name: string, error: unknown): SuffixOutcome {
    if (!(error instanceof GatewayError) || !error.code.startsWith('DNS_')) throw error;
    this.trace.push(`query NAPTR ${name} → failed: ${error.message}`);
    return { status: error.code === 'DNS_TIMEOUT' ? 'TIMEOUT' : 'SERVFAIL', uris: [], records: [] };
  }

  /** A non-terminal hop. `visited`: the names of this chain so far, at most maxNonTerminalHops + 1. */
  private followName(name: string, hops: number, visited: readonly string[]): Promise<ChainOutcome> {
    return this.query(this.options.queryNextName, name).then((answer) => this.onAnswer(name, hops, visited, answer));
  }

  /** Judge one answer: a result for the chain, or (non-terminal records) the promise of where the next hops lead. */
  private onAnswer(name: string, hops: number, visited: readonly string[], answer: DnsAnswer): ChainOutcome | Promise<ChainOutcome> {
    this.note(name, answer);
    if (answer.kind !== 'answer') return { status: answer.kind === 'nxdomain' ? 'NXDOMAIN' : 'NODATA', uris: [], records: [] };
    const records = naptrRecordsOf(answer.records);
    if (records.length === 0) return { status: 'NODATA', uris: [], records };
    const { aus, service } = this;
    const selection = selectNaptrRecords(records, aus, service);
    this.trace.push((lines) => selectNaptrRecords(records, aus, service, lines));
    if (selection.kind === 'terminal') return { status: 'OK', uris: selection.uris, records };
    if (selection.kind === 'none') {
      this.trace.push(`no usable record for ${service} at ${name}`);
      return { status: 'NO_USABLE', uris: [], records };
    }
    return this.followNext(selection.next, hops, visited, records);
  }

  /** Non-terminal records (RFC 3402 §4): continue at each next name in turn until one gives URIs. */
  private async followNext(next: string[], hops: number, visited: readonly string[], records: NaptrData[]): Promise<ChainOutcome> {
    let best: ChainOutcome = { status: 'NO_USABLE', uris: [], records };
    for (const name of next) {
      let outcome: ChainOutcome;
      if (visited.includes(name)) {
        this.trace.push(`loop: ${name} was already queried in this chain`);
        outcome = { status: 'LOOP', uris: [], records };
      } else if (hops >= this.options.maxNonTerminalHops) {
        this.trace.push(`hop limit ${this.options.maxNonTerminalHops} reached, not following ${name}`);
        outcome = { status: 'LOOP', uris: [], records };
      } else {
        outcome = await this.followName(name, hops + 1, [...visited, name]);
      }
      if (outcome.status === 'OK') return outcome;
      // An empty or missing name at the end of a chain still means the number had records: NO_USABLE at least.
      if (rank(outcome) > rank(best)) best = outcome;
    }
    return best;
  }

  /** Account for one answer: TTL, source, and a trace line. */
  private note(name: string, answer: DnsAnswer): void {
    this.answers += 1;
    if (answer.source === 'cache' || answer.source === 'stale') this.cachedAnswers += 1;
    if (SOURCE_RANK[answer.source] > SOURCE_RANK[this.source]) this.source = answer.source;
    this.ttlSeconds = Math.min(this.ttlSeconds, answer.kind === 'answer' ? answer.ttlSeconds : answer.negativeTtlSeconds);
    this.trace.push((lines) => lines.push(describeAnswer('NAPTR', name, answer)));
  }

  private finish(outcome: SuffixOutcome, suffix: string | null): EnumOutcome {
    const failed = outcome.status === 'SERVFAIL' || outcome.status === 'TIMEOUT';
    const ttlSeconds = failed || this.answers === 0 ? 0 : this.ttlSeconds;
    const np = this.service === 'pstn:tel' && outcome.status === 'OK' ? this.portability(outcome.uris[0] as string) : null;
    const { status, uris } = outcome;
    this.trace.push((lines) =>
      lines.push(status === 'OK' ? `result OK from suffix ${suffix}: ${uris.join(', ')} (TTL ${ttlSeconds} s)` : `result ${status} (TTL ${ttlSeconds} s)`),
    );
    return {
      status: outcome.status,
      uris: outcome.uris,
      suffix,
      ttlSeconds,
      np,
      records: outcome.records,
      cached: this.answers > 0 && this.cachedAnswers === this.answers,
      source: this.answers === 0 ? 'dns' : this.source,
      steps: this.trace,
    };
  }

  /** RFC 4769: the best-preference tel: URI carries the number-portability data. */
  private portability(uri: string): NumberPortability {
    const parsed = parseNumberPortability(uri);
    if (parsed.problem !== null) this.trace.push(`number portability: ${parsed.problem}`);
    return parsed.np;
  }
}

/** The NAPTR data of an answer (a CNAME chain may precede it, RFC 1034 §3.6.2); a lone record, the usual case, in an array of one. */
function naptrRecordsOf(records: readonly DnsRecord[]): NaptrData[] {
  const only = records.length === 1 ? (records[0] as DnsRecord).data : undefined;
  if (only?.type === 'NAPTR') return [only.naptr];
  const naptr: NaptrData[] = [];
  for (const record of records) if (record.data.type === 'NAPTR') naptr.push(record.data.naptr);
  return naptr;
}

function decideNegative(outcomes: SuffixOutcome[]): SuffixOutcome {
  const failure = outcomes.find((outcome) => outcome.status === 'SERVFAIL' || outcome.status === 'TIMEOUT');
  if (failure !== undefined) return failure;
  return outcomes.reduce((best, outcome) => (rank(outcome) > rank(best) ? outcome : best));
}

function rank(outcome: SuffixOutcome): number {
  return NEGATIVE_RANK[outcome.status as NegativeStatus] ?? -1;
}
