// POSIX ERE (IEEE 1003.1 §9.4, the NAPTR regexp dialect of RFC 3402 §3.2) → RE2 syntax for the linear-time engine.
//
// Translation, construct by construct:
//   literal characters          → themselves; ASCII punctuation is always escaped (RE2 accepts `\` + punctuation)
//   `\` + punctuation           → the escaped literal (ERE: "the character itself")
//   `\` + letter or digit       → refused: ERE has no `\d`, `\w`, `\b`, nor back-references in the pattern
//   `.` `^` `$` `|` `(` `)`     → unchanged (the engine runs with DOTALL, so `.` also matches a newline, as in ERE)
//   `*` `+` `?` `{m}` `{m,}` `{m,n}` → unchanged; two in a row (`a*?`, `a+*`) refused: ERE leaves them undefined
//                                  and RE2 would read `*?` as a lazy quantifier
//   `(?`                        → refused (RE2 flag groups, non-capturing groups: not ERE)
//   `]` or `}` outside brackets → escaped literal
//   bracket expressions         → rebuilt: `]` first is literal, `\` inside is literal, `[:class:]` kept (all 12
//                                 POSIX classes), `[=c=]` and `[.c.]` of one character → that character
// Cost guard: counted repetitions are expanded by the compiler, so nested or large counts can make a 1 KiB pattern
// compile slowly. The estimated expanded size is bounded (MAX_EXPANDED_ATOMS) and counts above RE_DUP_MAX refused.

/** Result of a translation: RE2 source, or why the pattern is refused. */
export type EreTranslation = { kind: 'ok'; source: string } | { kind: 'invalid'; reason: string };

/** POSIX RE_DUP_MAX minimum: the largest count a portable ERE may use in `{m,n}`. */
const RE_DUP_MAX = 255;
/** Upper bound on the pattern size after expanding counted repetitions; keeps compile time to milliseconds. */
const MAX_EXPANDED_ATOMS = 2000;
const POSIX_CLASSES = new Set([
  'alnum', 'alpha', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'xdigit',
]);
const REPETITION_START = new Set(['*', '+', '?', '{']);

class EreError extends Error {}

/** Translate one ERE into RE2 syntax (see the table at the top of this file). */
export function translateEre(ere: string): EreTranslation {
  try {
    return { kind: 'ok', source: new EreTranslator(ere).translate() };
  } catch (error) {
    if (error instanceof EreError) return { kind: 'invalid', reason: error.message };
    throw error;
  }
}

function escapeLiteral(char: string): string {
  return /^[!-/:-@[-`{-~]$/.test(char) ? `\\${char}` : char;
}

/** One pass over the pattern; tracks groups and the size of the last atom for the cost guard. */
class EreTranslator {
  private index = 0;
  private out = '';
  /** Expanded size of the atoms so far, one entry per open group (index 0 = top level). */
  private readonly sizes: number[] = [0];
  /** Expanded size of the last atom, or null where a repetition operator may not follow. */
  private lastAtom: number | null = null;

  constructor(private readonly ere: string) {}

  translate(): string {
    while (this.index < this.ere.length) this.step(this.ere[this.index] as string);
    if (this.sizes.length > 1) throw new EreError('unbalanced ( in regexp');
    return this.out;
  }

  private step(char: string): void {
    this.index += 1;
    if (REPETITION_START.has(char)) return this.repetition(char);
    this.checkCost();
    switch (char) {
      case '\\': return this.escape();
      case '[': return this.atom(this.bracket(), 1);
      case '(': return this.openGroup();
      case ')': return this.closeGroup();
      case '|': case '^': case '$': return this.emit(char, null);
      case '.': return this.atom('.', 1);
      default: return this.atom(escapeLiteral(char), 1);
    }
  }

  private emit(text: string, lastAtom: number | null): void {
    this.out += text;
    this.lastAtom = lastAtom;
  }

  private atom(text: string, size: number): void {
    this.sizes[this.sizes.length - 1] = (this.sizes.at(-1) as number) + size;
    this.emit(text, size);
  }

  private escape(): void {
    const next = this.ere[this.index];
    if (next === undefined) throw new EreError('regexp ends with a backslash');
    if (/^[A-Za-z0-9]$/.test(next)) throw new EreError(`\\${next} is not POSIX ERE`);
    this.index += 1;
    this.atom(escapeLiteral(next), 1);
  }

  private openGroup(): void {
    if (this.ere[this.index] === '?') throw new EreError('(? is not POSIX ERE');
    this.sizes.push(0);
    this.emit('(', null);
  }

  private closeGroup(): void {
    if (this.sizes.length === 1) throw new EreError('unmatched ) in regexp');
    const size = this.sizes.pop() as number;
    this.out += ')';
    this.atom('', Math.max(size, 1));
  }

  private repetition(char: string): void {
    if (this.lastAtom === null) throw new EreError(`repetition operator '${char}' has nothing to repeat`);
    const [text, factor] = char === '{' ? this.interval() : [char, 1];
    // The atom is expanded `factor` times: grow its share of the enclosing group accordingly.
    this.sizes[this.sizes.length - 1] = (this.sizes.at(-1) as number) + this.lastAtom * (factor - 1);
    this.emit(text, null);
    this.checkCost();
  }

  /** `{m}`, `{m,}` or `{m,n}` (the `{` is already consumed); returns its text and how often it expands the atom. */
  private interval(): [string, number] {
    const match = /^(\d{1,3})(,(\d{0,3}))?\}/.exec(this.ere.slice(this.index));
    if (match === null) throw new EreError('malformed {m,n} interval in regexp');
    const min = Number(match[1]);
    const max = match[3] === undefined ? min : match[3] === '' ? min + 1 : Number(match[3]);
    if (max > RE_DUP_MAX || min > max) throw new EreError(`interval {${match[0]} is out of range (0–${RE_DUP_MAX})`);
    this.index += match[0].length;
    return [`{${match[0]}`, Math.max(max, 1)];
  }

  private checkCost(): void {
    const total = this.sizes.reduce((sum, size) => sum + size, 0);
    if (total > MAX_EXPANDED_ATOMS) throw new EreError('regexp too complex (counted repetitions expand too far)');
  }

  /** A bracket expression (the `[` is consumed), rebuilt in RE2 class syntax. */
  private bracket(): string {
    let out = '[';
    if (this.ere[this.index] === '^') {
      out += '^';
      this.index += 1;
    }
    let first = true;
    for (;;) {
      const char = this.ere[this.index];
      if (char === undefined) throw new EreError('unterminated [ in regexp');
      if (char === ']' && !first) break;
      out += this.bracketItem();
      first = false;
    }
    this.index += 1;
    return `${out}]`;
  }

  /** One item of a bracket expression: a class, a character or a range. */
  private bracketItem(): string {
    if (this.ere.startsWith('[:', this.index)) return this.posixClass();
    const start = this.bracketChar();
    if (this.ere[this.index] === '-' && this.ere[this.index + 1] !== ']' && this.ere[this.index + 1] !== undefined) {
      this.index += 1;
      const end = this.bracketChar();
      if (start.codePointAt(0)! > end.codePointAt(0)!) throw new EreError(`invalid range ${start}-${end} in regexp`);
      return `${escapeLiteral(start)}-${escapeLiteral(end)}`;
    }
    return escapeLiteral(start);
  }

  /** A single character of a bracket expression, resolving `[=c=]` and `[.c.]` of one character. */
  private bracketChar(): string {
    const symbol = /^\[([=.])(.)\1\]/u.exec(this.ere.slice(this.index));
    if (symbol !== null) {
      this.index += symbol[0].length;
      return symbol[2] as string;
    }
    if (/^\[[=.]/.test(this.ere.slice(this.index))) throw new EreError('multi-character collating elements are not supported');
    const char = String.fromCodePoint(this.ere.codePointAt(this.index)!);
    this.index += char.length;
    return char;
  }

  private posixClass(): string {
    const end = this.ere.indexOf(':]', this.index + 2);
    const name = end === -1 ? '' : this.ere.slice(this.index + 2, end);
    if (!POSIX_CLASSES.has(name)) throw new EreError(`unknown character class [:${name}:] in regexp`);
    this.index = end + 2;
    return `[:${name}:]`;
  }
}
