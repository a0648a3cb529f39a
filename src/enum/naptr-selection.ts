// NAPTR selection at one owner name (RFC 3403 §4.1, RFC 3402 §4, RFC 6116 §3): order groups, preference, rewrite.
import type { NaptrData } from '../dns';
import { normaliseDomainName } from './domain-name';
import type { EnumService } from './enum-resolver';
import { hasSchemeFor, namesNoEnumservice, servesEnumservice } from './enumservice';
import { applySubstitution, parseSubstitution, readWholeStringReplacement } from './naptr-substitution';

/**
 * What the records at one name give: URIs (terminal `u` records), names to continue at (non-terminal records,
 * empty flags), or nothing usable. Only one order group ever contributes (RFC 3403 §4.1: once a record of an
 * order matched, records of other orders are not considered).
 */
export type NaptrSelection =
  | { kind: 'terminal'; order: number; uris: string[] }
  | { kind: 'nonterminal'; order: number; next: string[] }
  | { kind: 'none' };

/** One record judged on its own: one bad record never spoils the others. */
type Verdict =
  | { kind: 'uri'; uri: string }
  | { kind: 'next'; name: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'ignored'; reason: string };

/**
 * Pick the answer from the NAPTR records at one name, for one enumservice. Records go by `order` ascending; the
 * first order group holding a usable record decides. In it, terminal records give the URIs by `preference`
 * ascending; only when the group has no usable terminal record are its non-terminal records followed, also by
 * preference. Regexps are applied to the original AUS (RFC 3402 §4), also after non-terminal hops.
 * With `trace`, each record adds one plain-words line to it; the selection is pure, so a look-up runs it
 * without and renders the trace by running it again only when the trace is read.
 */
export function selectNaptrRecords(
  records: readonly NaptrData[],
  aus: string,
  service: EnumService,
  trace?: string[],
): NaptrSelection {
  const sorted = records.length === 1 ? records : [...records].sort((a, b) => a.order - b.order || a.preference - b.preference);
  let start = 0;
  while (start < sorted.length) {
    const order = (sorted[start] as NaptrData).order;
    let end = start;
    while (end < sorted.length && (sorted[end] as NaptrData).order === order) end += 1;
    const selection = selectInGroup(sorted, start, end, aus, service, trace);
    if (selection.kind !== 'none') {
      if (end < sorted.length) trace?.push(`records with order > ${order} not considered (RFC 3403 §4.1)`);
      return selection;
    }
    start = end;
  }
  return { kind: 'none' };
}

/** The order group `sorted[start..end)`. */
function selectInGroup(
  sorted: readonly NaptrData[],
  start: number,
  end: number,
  aus: string,
  service: EnumService,
  trace: string[] | undefined,
): NaptrSelection {
  let uris: string[] | undefined;
  let next: string[] | undefined;
  for (let index = start; index < end; index += 1) {
    const record = sorted[index] as NaptrData;
    const verdict = judgeRecord(record, aus, service);
    trace?.push(describeVerdict(record, verdict));
    if (verdict.kind === 'uri') uris = append(uris, verdict.uri);
    else if (verdict.kind === 'next') next = append(next, verdict.name);
  }
  const order = (sorted[start] as NaptrData).order;
  if (uris !== undefined) return { kind: 'terminal', order, uris };
  if (next !== undefined) return { kind: 'nonterminal', order, next };
  return { kind: 'none' };
}

/** `list` with `item` at its end; a first item makes a one-element array, not one with room for 16 more. */
function append(list: string[] | undefined, item: string): string[] {
  if (list === undefined) return [item];
  list.push(item);
  return list;
}

function judgeRecord(record: NaptrData, aus: string, service: EnumService): Verdict {
  // RFC 3403 §4.1: flags are single characters, case-insensitive; compared without building a lowercase copy.
  const { flags } = record;
  const terminal = flags === 'u' || flags === 'U';
  if (!terminal && flags !== '') return { kind: 'ignored', reason: `unknown flag '${flags}'` };
  if (record.regexp !== '' && record.replacement !== '') {
    return { kind: 'ignored', reason: 'both regexp and replacement are set (RFC 3403 §4.1 allows one)' };
  }
  return terminal ? judgeTerminal(record, aus, service) : judgeNonTerminal(record, aus, service);
}

function judgeTerminal(record: NaptrData, aus: string, service: EnumService): Verdict {
  if (!servesEnumservice(record.services, service)) return { kind: 'skipped', reason: `does not serve ${service}` };
  if (record.regexp === '') return { kind: 'ignored', reason: 'terminal record without a regexp' };
  const rewrite = rewriteAus(record.regexp, aus);
  if (rewrite.kind !== 'ok') return rewrite;
  if (!hasSchemeFor(rewrite.output, service)) {
    return { kind: 'ignored', reason: `result ${rewrite.output} is not a URI for ${service}` };
  }
  return { kind: 'uri', uri: rewrite.output };
}

/** A non-terminal record continues at a new name: its replacement, or its regexp applied to the AUS. */
function judgeNonTerminal(record: NaptrData, aus: string, service: EnumService): Verdict {
  if (!namesNoEnumservice(record.services) && !servesEnumservice(record.services, service)) {
    return { kind: 'skipped', reason: `does not serve ${service}` };
  }
  let name = record.replacement;
  if (name === '') {
    if (record.regexp === '') return { kind: 'ignored', reason: 'non-terminal record with neither regexp nor replacement' };
    const rewrite = rewriteAus(record.regexp, aus);
    if (rewrite.kind !== 'ok') return rewrite;
    name = rewrite.output;
  }
  const next = normaliseDomainName(name);
  if (next === null) return { kind: 'ignored', reason: `next name ${JSON.stringify(name)} is not a domain name` };
  return { kind: 'next', name: next };
}

type Rewrite = { kind: 'ok'; output: string } | { kind: 'skipped'; reason: string } | { kind: 'ignored'; reason: string };

function rewriteAus(regexp: string, aus: string): Rewrite {
  let output = readWholeStringReplacement(regexp);
  if (output === null) {
    const parsed = parseSubstitution(regexp);
    if (parsed.kind === 'invalid') return { kind: 'ignored', reason: parsed.reason };
    output = applySubstitution(parsed.substitution, aus);
    if (output === null) return { kind: 'skipped', reason: `regexp does not match ${aus}` };
  }
  if (output === '') return { kind: 'ignored', reason: 'rewrite gives an empty string' };
  return { kind: 'ok', output };
}

function describeVerdict(record: NaptrData, verdict: Verdict): string {
  const flags = record.flags.toLowerCase() === 'u' ? '' : ` flags "${record.flags}"`;
  const field = record.regexp !== '' ? record.regexp : record.replacement === '' ? '.' : record.replacement;
  const described = `record order ${record.order} pref ${record.preference}${flags} ${record.services || '(no service)'}: ${field}`;
  switch (verdict.kind) {
    case 'uri': return `${described} → ${verdict.uri}`;
    case 'next': return `${described} → non-terminal, continue at ${verdict.name}`;
    case 'skipped': return `skipped ${described}: ${verdict.reason}`;
    case 'ignored': return `ignored ${described}: ${verdict.reason}`;
  }
}
