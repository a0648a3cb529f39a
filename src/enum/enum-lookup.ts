// One uncached ENUM resolution (RFC 6116 §3, RFC 3402 §4): suffix search list, NAPTR chains, status precedence.
import type { AnswerSource, DnsAnswer, DnsClient, NaptrData } from '../dns';
import { GatewayError } from '../errors';
import { describeAnswer } from './describe-answer';
import { toEnumDomain } from './e164-number';
import type { EnumResult, EnumService, NumberPortability } from './enum-resolver';
import { selectNaptrRecords } from './naptr-selection';
import { parseNumberPortability } from './number-portability';

/** The parts of an EnumResult a resolution produces (the caller adds number, aus, service), plus its source. */
export type EnumOutcome = Omit<EnumResult, 'number' | 'aus' | 'service'> & {
  /** Metric label: the least cached source among the answers (dns > zone > stale > cache). */
  source: AnswerSource;
};

/** What a resolution needs besides the number. */
export interface EnumLookupOptions {
  dns: DnsClient;
  suffixes: readonly string[];
  maxNonTerminalHops: number;
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
  private readonly trace: string[] = [];
  private ttlSeconds = Number.POSITIVE_INFINITY;
  private answers = 0;
  private cachedAnswers = 0;
  private source: AnswerSource = 'cache';

  constructor(
    private readonly options: EnumLookupOptions,
    private readonly aus: string,
    private readonly service: EnumService,
  ) {}

  async run(): Promise<EnumOutcome> {
    const { suffixes } = this.options;
    const outcomes: SuffixOutcome[] = [];
    for (const [index, suffix] of suffixes.entries()) {
      const outcome = await this.trySuffix(suffix);
      if (outcome.status === 'OK') return this.finish(outcome, suffix);
      outcomes.push(outcome);
      const more = index + 1 < suffixes.length ? `, trying suffix ${suffixes[index + 1]}` : '';
      this.trace.push(`suffix ${suffix}: ${outcome.status}${more}`);
    }
    return this.finish(decideNegative(outcomes), null);
  }

  private async trySuffix(suffix: string): Promise<SuffixOutcome> {
    const name = toEnumDomain(this.aus, suffix);
    try {
      return await this.followName(name, 0, new Set([name]));
    } catch (error) {
      if (!(error instanceof GatewayError) || !error.code.startsWith('DNS_')) throw error;
      this.trace.push(`query NAPTR ${name} → failed: ${error.message}`);
      return { status: error.code === 'DNS_TIMEOUT' ? 'TIMEOUT' : 'SERVFAIL', uris: [], records: [] };
    }
  }

  private async followName(name: string, hops: number, visited: Set<string>): Promise<ChainOutcome> {
    const answer = await this.options.dns.query(name, 'NAPTR');
    this.note(name, answer);
    if (answer.kind !== 'answer') return { status: answer.kind === 'nxdomain' ? 'NXDOMAIN' : 'NODATA', uris: [], records: [] };
    const records = answer.records.flatMap((record) => (record.data.type === 'NAPTR' ? [record.data.naptr] : []));
    if (records.length === 0) return { status: 'NODATA', uris: [], records };
    const selection = selectNaptrRecords(records, this.aus, this.service, this.trace);
    if (selection.kind === 'terminal') return { status: 'OK', uris: selection.uris, records };
    if (selection.kind === 'none') {
      this.trace.push(`no usable record for ${this.service} at ${name}`);
      return { status: 'NO_USABLE', uris: [], records };
    }
    return this.followNext(selection.next, hops, visited, records);
  }

  /** Non-terminal records (RFC 3402 §4): continue at each next name in turn until one gives URIs. */
  private async followNext(next: string[], hops: number, visited: Set<string>, records: NaptrData[]): Promise<ChainOutcome> {
    let best: ChainOutcome = { status: 'NO_USABLE', uris: [], records };
    for (const name of next) {
      let outcome: ChainOutcome;
      if (visited.has(name)) {
        this.trace.push(`loop: ${name} was already queried in this chain`);
        outcome = { status: 'LOOP', uris: [], records };
      } else if (hops >= this.options.maxNonTerminalHops) {
        this.trace.push(`hop limit ${this.options.maxNonTerminalHops} reached, not following ${name}`);
        outcome = { status: 'LOOP', uris: [], records };
      } else {
        outcome = await this.followName(name, hops + 1, new Set(visited).add(name));
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
    this.trace.push(describeAnswer('NAPTR', name, answer));
  }

  private finish(outcome: SuffixOutcome, suffix: string | null): EnumOutcome {
    const failed = outcome.status === 'SERVFAIL' || outcome.status === 'TIMEOUT';
    const ttlSeconds = failed || this.answers === 0 ? 0 : this.ttlSeconds;
    const np = this.service === 'pstn:tel' && outcome.status === 'OK' ? this.portability(outcome.uris[0] as string) : null;
    this.trace.push(
      outcome.status === 'OK'
        ? `result OK from suffix ${suffix}: ${outcome.uris.join(', ')} (TTL ${ttlSeconds} s)`
        : `result ${outcome.status} (TTL ${ttlSeconds} s)`,
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
      trace: this.trace,
    };
  }

  /** RFC 4769: the best-preference tel: URI carries the number-portability data. */
  private portability(uri: string): NumberPortability {
    const parsed = parseNumberPortability(uri);
    if (parsed.problem !== null) this.trace.push(`number portability: ${parsed.problem}`);
    return parsed.np;
  }
}

function decideNegative(outcomes: SuffixOutcome[]): SuffixOutcome {
  const failure = outcomes.find((outcome) => outcome.status === 'SERVFAIL' || outcome.status === 'TIMEOUT');
  if (failure !== undefined) return failure;
  return outcomes.reduce((best, outcome) => (rank(outcome) > rank(best) ? outcome : best));
}

function rank(outcome: SuffixOutcome): number {
  return NEGATIVE_RANK[outcome.status as NegativeStatus] ?? -1;
}
