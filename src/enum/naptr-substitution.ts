// NAPTR regexp field (RFC 3402 §3.2 subst-expr): parse, compile once in a linear-time engine, apply to the AUS.
import { LRUCache } from 'lru-cache';
import { RE2JS } from 're2js';
import { translateEre } from './ere-translation';

/** Regexps come from DNS zones we do not control: bound their size before any work is done on them. */
const MAX_REGEXP_LENGTH = 1024;
/** Distinct compiled EREs kept; real zones use a handful (`^.*$`, `^\+47(.*)$`), crafted ones must not grow memory. */
const COMPILED_CACHE_ENTRIES = 10_000;
/** RE2 leftmost-longest (POSIX) match, `.` matching any character as in ERE; `i` adds case folding. */
const BASE_FLAGS = RE2JS.DOTALL | RE2JS.LONGEST_MATCH;

/** A literal piece of the replacement, or a back-reference `\1`–`\9` by number. */
type ReplacementPart = string | number;

/**
 * A usable substitution expression. `pattern` is null for the EREs that match every AUS whole (`^.*$`, and
 * `^(.*)$` whose group 1 is the whole AUS): nearly every real ENUM record uses one, and no engine is needed.
 */
export interface Substitution {
  readonly pattern: RE2JS | null;
  readonly replacement: readonly ReplacementPart[];
}

/** Why a regexp field cannot be used: the record is ignored, the others still count. */
export type SubstitutionParse = { kind: 'ok'; substitution: Substitution } | { kind: 'invalid'; reason: string };

/** A compiled ERE, or null for one that matches any AUS whole; `groups` is its number of capture groups. */
type CompiledEre = { kind: 'ok'; pattern: RE2JS | null; groups: number } | { kind: 'invalid'; reason: string };

/**
 * EREs that match every string from its first to its last character (`.` is any character, as in ERE), so the
 * leftmost-longest match is the whole AUS and `\1` of `^(.*)$` is the AUS itself (RFC 3402 §3.2). The `i`
 * flag changes nothing for them.
 */
const WHOLE_STRING_ERES: ReadonlyMap<string, CompiledEre> = new Map([
  ['^.*$', { kind: 'ok', pattern: null, groups: 0 }],
  ['^(.*)$', { kind: 'ok', pattern: null, groups: 1 }],
]);
const CODE_BACKSLASH = 92;
const CODE_I = 105;
const CODE_0 = 48;
const CODE_9 = 57;

const compiledEres = new LRUCache<string, CompiledEre>({ max: COMPILED_CACHE_ENTRIES });

/**
 * Parse `delim ERE delim replacement delim [i]` (RFC 3402 §3.2). The delimiter is any character but a digit,
 * a backslash or the flag `i`; `\delim` stands for the delimiter inside both parts; `\\` is a backslash in the
 * replacement. Each distinct ERE is compiled once (bounded LRU).
 */
export function parseSubstitution(regexp: string): SubstitutionParse {
  if (regexp.length > MAX_REGEXP_LENGTH) return invalid(`regexp longer than ${MAX_REGEXP_LENGTH} characters`);
  const delim = regexp[0];
  if (delim === undefined || !isDelimiter(delim)) return invalid(`regexp delimiter ${JSON.stringify(delim ?? '')} is not allowed`);
  const ere = readWholeStringEre(regexp, delim) ?? readEre(regexp, delim);
  if (ere === null) return invalid('regexp is not delim-ERE-delim-replacement-delim');
  const replacement = readReplacement(regexp, delim, ere.end);
  if (replacement.kind === 'invalid') return replacement;
  // ABNF strings are case-insensitive (RFC 5234 §2.3): the flag "i" may come as `I`.
  const flags = regexp.slice(replacement.end).toLowerCase();
  if (flags !== '' && flags !== 'i') return invalid(`unknown regexp flag ${JSON.stringify(regexp.slice(replacement.end))}`);
  const compiled = compileEre(ere.source, flags === 'i');
  if (compiled.kind === 'invalid') return compiled;
  const groups = compiled.groups;
  const tooHigh = replacement.parts.find((part) => typeof part === 'number' && part > groups);
  if (tooHigh !== undefined) return invalid(`back-reference \\${tooHigh} but the regexp has ${groups} group(s)`);
  return { kind: 'ok', substitution: { pattern: compiled.pattern, replacement: replacement.parts } };
}

/**
 * The output of `regexp` for every AUS when its ERE matches any AUS whole (`^.*$`, `^(.*)$`) and its replacement
 * is plain text (no escape, no back-reference), with or without the `i` flag — nearly every real ENUM record —
 * read without parsing; null for any other regexp field (parse it with {@link parseSubstitution}). Gives what
 * parsing and applying the field would.
 */
export function readWholeStringReplacement(regexp: string): string | null {
  const delim = regexp[0];
  if (regexp.length > MAX_REGEXP_LENGTH || delim === undefined || !isDelimiter(delim)) return null;
  const ere = readWholeStringEre(regexp, delim);
  if (ere === null) return null;
  const end = regexp.indexOf(delim, ere.end);
  if (end < 0) return null;
  const escape = regexp.indexOf('\\', ere.end);
  if (escape >= 0 && escape < end) return null;
  const flagged = end === regexp.length - 2 && regexp.charCodeAt(end + 1) === CODE_I;
  return end === regexp.length - 1 || flagged ? regexp.slice(ere.end, end) : null;
}

/**
 * Apply to the AUS: the output is the replacement with back-references filled in (RFC 3402 §3.2 — the ERE
 * selects, the replacement builds the whole new string). Null when the ERE does not match. A group that took
 * no part in the match contributes ''.
 */
export function applySubstitution(substitution: Substitution, aus: string): string | null {
  const { pattern, replacement } = substitution;
  if (pattern === null) {
    // Whole-string ERE: the only possible back-reference is \1 = the AUS (checked at parse time).
    if (replacement.length === 1 && typeof replacement[0] === 'string') return replacement[0];
    let output = '';
    for (const part of replacement) output += typeof part === 'string' ? part : aus;
    return output;
  }
  const matcher = pattern.matcher(aus);
  if (!matcher.find()) return null;
  let output = '';
  for (const part of replacement) output += typeof part === 'string' ? part : (matcher.group(part) ?? '');
  return output;
}

/** RFC 3402 §3.2: the delimiter is any character but a digit, a backslash or the flag `i` (either case). */
function isDelimiter(char: string): boolean {
  const code = char.charCodeAt(0);
  return char !== 'i' && char !== 'I' && code !== CODE_BACKSLASH && (code < CODE_0 || code > CODE_9);
}

function invalid(reason: string): { kind: 'invalid'; reason: string } {
  return { kind: 'invalid', reason };
}

/** An ERE as read from the regexp field: its source and the index just past its closing delimiter. */
interface EreRead {
  readonly source: string;
  readonly end: number;
}

/** The whole-string EREs as they appear right after the opening delimiter (`!^.*$!`), read without copying. */
const WHOLE_STRING_READS: readonly EreRead[] = [...WHOLE_STRING_ERES.keys()].map((source) => ({ source, end: source.length + 2 }));

/** `^.*$` or `^(.*)$` between the delimiters (none of their characters may be the delimiter), else null. */
function readWholeStringEre(regexp: string, delim: string): EreRead | null {
  for (const read of WHOLE_STRING_READS) {
    if (regexp[read.end - 1] === delim && regexp.startsWith(read.source, 1) && !read.source.includes(delim)) return read;
  }
  return null;
}

/** The ERE up to the second unescaped delimiter; `\delim` becomes a literal delimiter character. */
function readEre(regexp: string, delim: string): EreRead | null {
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

/**
 * The replacement up to the final unescaped delimiter, split into literals and back-references. Literal runs are
 * sliced whole rather than built character by character: this runs once per record of every cold look-up.
 */
function readReplacement(regexp: string, delim: string, start: number): ReplacementRead {
  const parts: ReplacementPart[] = [];
  const delimCode = delim.charCodeAt(0);
  let literal = '';
  let runStart = start;
  for (let index = start; index < regexp.length; index += 1) {
    const code = regexp.charCodeAt(index);
    if (code === delimCode) {
      literal += regexp.slice(runStart, index);
      if (literal !== '') parts.push(literal);
      return { kind: 'ok', parts, end: index + 1 };
    }
    if (code !== CODE_BACKSLASH) continue;
    literal += regexp.slice(runStart, index);
    const next = regexp.charCodeAt(index + 1);
    if (Number.isNaN(next)) break;
    index += 1;
    runStart = index + 1;
    if (next === CODE_0) return invalid('\\0 is not a back-reference (RFC 3402 backref = "\\" POS-DIGIT)');
    if (next < CODE_0 || next > CODE_9) {
      literal += regexp[index] as string;
      continue;
    }
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(next - CODE_0);
  }
  return invalid('regexp has no closing delimiter after the replacement');
}

function compileEre(ere: string, ignoreCase: boolean): CompiledEre {
  const whole = WHOLE_STRING_ERES.get(ere);
  if (whole !== undefined) return whole;
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
    const pattern = RE2JS.compile(translation.source, flags);
    return { kind: 'ok', pattern, groups: pattern.groupCount() };
  } catch (error) {
    return invalid(`regexp does not compile: ${(error as Error).message}`);
  }
}
