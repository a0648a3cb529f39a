// Master-file lexer (RFC 1035 §5.1): entries of tokens, with parentheses, comments, quotes and escapes.
import { GatewayError } from '../errors';

/** One token as written; `text` keeps backslash escapes (decoded by the field parser that knows the field). */
export interface ZoneToken {
  text: string;
  quoted: boolean;
  line: number;
}

/** One logical entry: a directive or a resource record, possibly spanning lines inside parentheses. */
export interface ZoneEntry {
  line: number;
  /** The entry's first line starts with a blank: the owner is the previous record's (RFC 1035 §5.1). */
  ownerOmitted: boolean;
  tokens: ZoneToken[];
}

/** The CONFIG_INVALID error of a zone file, located as `file:line`. */
export function zoneFileError(fileName: string, line: number, message: string): GatewayError {
  return new GatewayError('CONFIG_INVALID', `${fileName}:${line}: ${message}`, { impsStatus: 500 });
}

const BLANK = new Set([' ', '\t', '\r']);
const UNQUOTED_END = new Set([' ', '\t', '\r', '\n', ';', '(', ')', '"']);

/**
 * Split a master file into entries. A newline ends an entry unless it is inside parentheses; `;` starts a
 * comment outside quotes; `\X` and `\DDD` escapes are kept in the token text.
 * @throws GatewayError CONFIG_INVALID with file:line on unbalanced parentheses or an unterminated string.
 */
export function lexZoneFile(text: string, fileName: string): ZoneEntry[] {
  const lexer = new ZoneLexer(text, fileName);
  while (lexer.index < text.length) lexer.step();
  return lexer.finish();
}

class ZoneLexer {
  index = 0;
  private readonly entries: ZoneEntry[] = [];
  private entry: ZoneEntry = { line: 1, ownerOmitted: false, tokens: [] };
  private line = 1;
  private depth = 0;
  private depthOpenedAt = 0;
  private lineStart = true;

  constructor(
    private readonly text: string,
    private readonly fileName: string,
  ) {}

  step(): void {
    const ch = this.text.charAt(this.index);
    if (this.lineStart && this.depth === 0 && this.entry.tokens.length === 0) this.entry = { line: this.line, ownerOmitted: BLANK.has(ch), tokens: [] };
    this.lineStart = false;
    if (ch === '\n') this.newline();
    else if (BLANK.has(ch)) this.index += 1;
    else if (ch === ';') this.skipComment();
    else if (ch === '(' || ch === ')') this.parenthesis(ch);
    else this.token(ch === '"');
  }

  finish(): ZoneEntry[] {
    if (this.depth > 0) throw zoneFileError(this.fileName, this.depthOpenedAt, "'(' is never closed");
    this.flush();
    return this.entries;
  }

  private newline(): void {
    this.line += 1;
    this.lineStart = true;
    this.index += 1;
    if (this.depth === 0) this.flush();
  }

  /** A comment runs to the end of the line; the newline itself still ends the entry. */
  private skipComment(): void {
    const end = this.text.indexOf('\n', this.index);
    this.index = end === -1 ? this.text.length : end;
  }

  private parenthesis(ch: '(' | ')'): void {
    if (ch === ')' && this.depth === 0) throw zoneFileError(this.fileName, this.line, "')' without a matching '('");
    if (ch === '(' && this.depth === 0) this.depthOpenedAt = this.line;
    this.depth += ch === '(' ? 1 : -1;
    this.index += 1;
  }

  private token(quoted: boolean): void {
    const start = quoted ? this.index + 1 : this.index;
    const end = quoted ? scanQuoted(this.text, start, this.fileName, this.line) : scanUnquoted(this.text, start);
    this.entry.tokens.push({ text: this.text.slice(start, end), quoted, line: this.line });
    this.index = quoted ? end + 1 : end;
  }

  private flush(): void {
    if (this.entry.tokens.length > 0) this.entries.push(this.entry);
    this.entry = { line: this.line, ownerOmitted: false, tokens: [] };
  }
}

/** Index of the closing quote; a backslash escapes the next character, including a quote. */
function scanQuoted(text: string, from: number, fileName: string, line: number): number {
  for (let i = from; i < text.length; i += 1) {
    const ch = text.charAt(i);
    if (ch === '\\') i += 1;
    else if (ch === '"') return i;
    else if (ch === '\n') break;
  }
  throw zoneFileError(fileName, line, 'quoted string is not closed on its line');
}

function scanUnquoted(text: string, from: number): number {
  let i = from;
  while (i < text.length && !UNQUOTED_END.has(text.charAt(i))) i += text.charAt(i) === '\\' ? 2 : 1;
  return Math.min(i, text.length);
}

/**
 * The octets of a <character-string> token (RFC 1035 §5.1: `\X` is X, `\DDD` is the octet DDD), read as UTF-8.
 * @throws GatewayError CONFIG_INVALID on a bad escape or more than 255 octets (RFC 1035 §3.3).
 */
export function decodeCharacterString(token: ZoneToken, fileName: string): string {
  const parts: Buffer[] = [];
  let run = '';
  for (let i = 0; i < token.text.length; i += 1) {
    const ch = token.text.charAt(i);
    if (ch !== '\\') {
      run += ch;
      continue;
    }
    const digits = token.text.slice(i + 1, i + 4);
    if (/^\d/.test(digits)) {
      const octet = /^\d{3}$/.test(digits) ? Number(digits) : 256;
      if (octet > 255) throw zoneFileError(fileName, token.line, `bad escape "\\${digits}": expected \\DDD with DDD ≤ 255`);
      parts.push(Buffer.from(run, 'utf8'), Buffer.of(octet));
      run = '';
      i += 3;
    } else if (i + 1 < token.text.length) {
      run += token.text.charAt(i + 1);
      i += 1;
    } else {
      throw zoneFileError(fileName, token.line, 'backslash at the end of a string');
    }
  }
  parts.push(Buffer.from(run, 'utf8'));
  const octets = Buffer.concat(parts);
  if (octets.length > 255) throw zoneFileError(fileName, token.line, `character-string of ${octets.length} octets exceeds 255`);
  return octets.toString('utf8');
}
