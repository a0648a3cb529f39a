// NAPTR regexp field (RFC 3402 §3.2 subst-expr): parse, compile once in a linear-time engine, apply to the AUS.
import { LRUCache } from 'lru-cache';
import { RE2JS } from 're2js';
import { translateEre } from './ere-translation';

/** Regexps come from DNS zones we do not control: bound their size before any work is done on them. */
export const MAX_REGEXP_LENGTH = 1024;
/** Distinct compiled EREs kept; real zones use a handful (`^.*$`, `^\+47(.*)$`), crafted ones must not grow memory. */
const COMPILED_CACHE_ENTRIES = 10_000;
/** RE2 leftmost-longest (POSIX) match, `.` matching any character as in ERE; `i` adds case folding. */
const BASE_FLAGS = RE2JS.DOTALL | RE2JS.LONGEST_MATCH;

/** A literal piece of the replacement, or a back-reference `\1`–`\9` by number. */
type ReplacementPart = string | number;

/** A usable substitution expression. */
export interface Substitution {
  readonly pattern: RE2JS;
  readonly replacement: readonly ReplacementPart[];
}

/** Why a regexp field cannot be used: the record is ignored, the others still count. */
export type SubstitutionParse = { kind: 'ok'; substitution: Substitution } | { kind: 'invalid'; reason: string };

type CompiledEre = { kind: 'ok'; pattern: RE2JS } | { kind: 'invalid'; reason: string };

const compiledEres = new LRUCache<string, CompiledEre>({ max: COMPILED_CACHE_ENTRIES });

/**
 * Parse `delim ERE delim replacement delim [i]` (RFC 3402 §3.2). The delimiter is any character but a digit,
 * a backslash or the flag `i`; `\delim` stands for the delimiter inside both parts; `\\` is a backslash in the
 * replacement. Each distinct ERE is compiled once (bounded LRU).
 */
export function parseSubstitution(regexp: string): SubstitutionParse {
  if (regexp.length > MAX_REGEXP_LENGTH) return invalid(`regexp longer than ${MAX_REGEXP_LENGTH} characters`);
  const delim = regexp[0];
  if (delim === undefined || /^[0-9\\i]$/.test(delim)) return invalid(`regexp delimiter ${JSON.stringify(delim ?? '')} is not allowed`);
  const ere = readEre(regexp, delim);
  if (ere === null) return invalid('regexp is not delim-ERE-delim-replacement-delim');
  const replacement = readReplacement(regexp, delim, ere.end);
  if (replacement.kind === 'invalid') return replacement;
  const flags = regexp.slice(replacement.end);
  if (flags !== '' && flags !== 'i') return invalid(`unknown regexp flag ${JSON.stringify(flags)}`);
  const compiled = compileEre(ere.source, flags === 'i');
  if (compiled.kind === 'invalid') return compiled;
  const groups = compiled.pattern.groupCount();
  const tooHigh = replacement.parts.find((part) => typeof part === 'number' && part > groups);
  if (tooHigh !== undefined) return invalid(`back-reference \\${tooHigh} but the regexp has ${groups} group(s)`);
  return { kind: 'ok', substitution: { pattern: compiled.pattern, replacement: replacement.parts } };
}

/**
 * Apply to the AUS: the output is the replacement with back-references filled in (RFC 3402 §3.2 — the ERE
 * selects, the replacement builds the whole new string). Null when the ERE does not match. A group that took
 * no part in the match contributes ''.
 */
export function applySubstitution(substitution: Substitution, aus: string): string | null {
  const matcher = substitution.pattern.matcher(aus);
  if (!matcher.find()) return null;
  let output = '';
  for (const part of substitution.replacement) output += typeof part === 'string' ? part : (matcher.group(part) ?? '');
  return output;
}

function invalid(reason: string): { kind: 'invalid'; reason: string } {
  return { kind: 'invalid', reason };
}

/** The ERE up to the second unescaped delimiter; `\delim` becomes a literal delimiter character. */
function readEre(regexp: string, delim: string): { source: string; end: number } | null {
  let source = '';
  for (let index = 1; index < regexp.length; index += 1) {
    const char = regexp[index] as string;
    if (char === delim) return { source, end: index + 1 };
    if (char !== '\\') {
      source += char;
      continue;
    }
    const next = regexp[index + 1];
    if (next === undefined) return null;
    // The delimiter may be an ERE operator (`|`, `+`): escaped, it must stay a literal character.
    source += next === delim && /^[A-Za-z]$/.test(next) ? next : `\\${next}`;
    index += 1;
  }
  return null;
}

type ReplacementRead = { kind: 'ok'; parts: ReplacementPart[]; end: number } | { kind: 'invalid'; reason: string };

/** The replacement up to the final unescaped delimiter, split into literals and back-references. */
function readReplacement(regexp: string, delim: string, start: number): ReplacementRead {
  const parts: ReplacementPart[] = [];
  let literal = '';
  for (let index = start; index < regexp.length; index += 1) {
    const char = regexp[index] as string;
    if (char === delim) {
      if (literal !== '') parts.push(literal);
      return { kind: 'ok', parts, end: index + 1 };
    }
    if (char !== '\\') {
      literal += char;
      continue;
    }
    const next = regexp[index + 1];
    if (next === undefined) break;
    index += 1;
    if (next === '0') return invalid('\\0 is not a back-reference (RFC 3402 backref = "\\" POS-DIGIT)');
    if (next < '1' || next > '9') {
      literal += next;
      continue;
    }
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(Number(next));
  }
  return invalid('regexp has no closing delimiter after the replacement');
}

function compileEre(ere: string, ignoreCase: boolean): CompiledEre {
  const key = ignoreCase ? `i${ere}` : `-${ere}`;
  let compiled = compiledEres.get(key);
  if (compiled === undefined) {
    compiled = compileUncached(ere, ignoreCase);
    compiledEres.set(key, compiled);
  }
  return compiled;
}

function compileUncached(ere: string, ignoreCase: boolean): CompiledEre {
  const translation = translateEre(ere);
  if (translation.kind === 'invalid') return translation;
  try {
    const flags = ignoreCase ? BASE_FLAGS | RE2JS.CASE_INSENSITIVE : BASE_FLAGS;
    return { kind: 'ok', pattern: RE2JS.compile(translation.source, flags) };
  } catch (error) {
    return invalid(`regexp does not compile: ${(error as Error).message}`);
  }
}
