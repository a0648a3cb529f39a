// Master-file parser (RFC 1035 §5, RFC 2308 §4 $TTL): zone text → DnsRecords, errors located as file:line.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { DnsRecord, RecordType } from './dns-client';
import { lexZoneFile, zoneFileError, type ZoneEntry, type ZoneToken } from './zone-lexer';
import { ZONE_RECORD_TYPES, looksLikeTtl, parseRdata, parseTtl } from './zone-rdata';

/** A record with the line it came from (for the zone loader's own checks). */
export interface ZoneFileRecord extends DnsRecord {
  line: number;
}

/** The records of one zone file, in file order. */
export interface ParsedZoneFile {
  fileName: string;
  records: ZoneFileRecord[];
}

/** Parser settings a server configuration would give. */
export interface ParseZoneOptions {
  /** Origin before any $ORIGIN (as knot's `domain:` or BIND's zone statement give it). */
  origin?: string;
}

/** RFC 1035 §2.3.4: 255 octets on the wire, i.e. 253 characters in text without the trailing dot. */
const MAX_NAME_CHARACTERS = 253;
const SUPPORTED_TYPES = new Set<string>(ZONE_RECORD_TYPES);

interface ParserState {
  fileName: string;
  origin: string | undefined;
  defaultTtl: number | undefined;
  lastTtl: number | undefined;
  lastOwner: string | undefined;
}

/**
 * Parse master-file text: $ORIGIN, $TTL, `@`, relative/absolute names, omitted owner/TTL/class, parentheses,
 * comments, quoted strings with escapes; types SOA NS A AAAA CNAME SRV NAPTR.
 * @throws GatewayError CONFIG_INVALID `file:line: reason` at the first error.
 */
export function parseZoneFile(text: string, fileName: string, options: ParseZoneOptions = {}): ParsedZoneFile {
  const state: ParserState = {
    fileName,
    origin: options.origin === undefined ? undefined : stripDot(options.origin.toLowerCase()),
    defaultTtl: undefined,
    lastTtl: undefined,
    lastOwner: undefined,
  };
  const records: ZoneFileRecord[] = [];
  for (const entry of lexZoneFile(text, fileName)) {
    const first = entry.tokens[0] as ZoneToken;
    if (!entry.ownerOmitted && !first.quoted && first.text.startsWith('$')) applyDirective(entry, state);
    else records.push(parseRecord(entry, state));
  }
  return { fileName, records };
}

/** Read and parse a zone file synchronously (start-up). */
export function readZoneFileSync(path: string, options?: ParseZoneOptions): ParsedZoneFile {
  return parseZoneFile(readText(() => readFileSync(path, 'utf8'), path), path, options);
}

/** Read and parse a zone file (reload). */
export async function readZoneFile(path: string, options?: ParseZoneOptions): Promise<ParsedZoneFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw zoneFileError(path, 0, `cannot read zone file: ${(error as Error).message}`);
  }
  return parseZoneFile(text, path, options);
}

function readText(read: () => string, path: string): string {
  try {
    return read();
  } catch (error) {
    throw zoneFileError(path, 0, `cannot read zone file: ${(error as Error).message}`);
  }
}

function applyDirective(entry: ZoneEntry, state: ParserState): void {
  const [directive, argument, extra] = entry.tokens as [ZoneToken, ZoneToken | undefined, ZoneToken | undefined];
  const name = directive.text.toUpperCase();
  if (name !== '$ORIGIN' && name !== '$TTL') {
    throw zoneFileError(state.fileName, entry.line, `directive ${directive.text} is not supported (only $ORIGIN and $TTL)`);
  }
  if (argument === undefined || extra !== undefined) throw zoneFileError(state.fileName, entry.line, `${name} takes exactly one value`);
  if (name === '$TTL') state.defaultTtl = parseTtl(argument, state.fileName);
  else state.origin = resolveName(argument, state);
}

function parseRecord(entry: ZoneEntry, state: ParserState): ZoneFileRecord {
  const tokens = entry.tokens;
  let index = 0;
  let owner = state.lastOwner;
  if (!entry.ownerOmitted) owner = resolveName(tokens[index++] as ZoneToken, state);
  if (owner === undefined) throw zoneFileError(state.fileName, entry.line, 'record has no owner name and no previous record to repeat it from');
  let ttl: number | undefined;
  let sawClass = false;
  // RFC 1035 §5.1: `[<TTL>] [<class>] <type>` or `[<class>] [<TTL>] <type>`.
  for (let token = tokens[index]; token !== undefined; token = tokens[++index]) {
    if (ttl === undefined && looksLikeTtl(token)) ttl = parseTtl(token, state.fileName);
    else if (!sawClass && /^(IN|CH|CS|HS)$/i.test(token.text)) sawClass = checkClass(token, state);
    else break;
  }
  const typeToken = tokens[index++];
  if (typeToken === undefined) throw zoneFileError(state.fileName, entry.line, 'record has no type');
  const type = typeToken.text.toUpperCase();
  if (!SUPPORTED_TYPES.has(type)) {
    throw zoneFileError(state.fileName, typeToken.line, `record type "${typeToken.text}" is not supported (supported: ${ZONE_RECORD_TYPES.join(' ')})`);
  }
  if (ttl !== undefined) state.lastTtl = ttl;
  // RFC 2308 §4: $TTL gives the default; before it, the last explicit TTL applies (RFC 1035 §5.1).
  const ttlSeconds = ttl ?? state.defaultTtl ?? state.lastTtl;
  if (ttlSeconds === undefined) throw zoneFileError(state.fileName, entry.line, 'record has no TTL and no $TTL precedes it');
  state.lastOwner = owner;
  const context = { fileName: state.fileName, resolveName: (token: ZoneToken) => resolveName(token, state) };
  const data = parseRdata(type as RecordType, tokens.slice(index), entry.line, context);
  return { name: owner, ttlSeconds, data, line: entry.line };
}

function checkClass(token: ZoneToken, state: ParserState): true {
  if (token.text.toUpperCase() !== 'IN') throw zoneFileError(state.fileName, token.line, `class ${token.text} is not supported (only IN)`);
  return true;
}

/** '@' is the origin, a name ending in '.' is absolute, any other is relative to the origin (RFC 1035 §5.1). */
function resolveName(token: ZoneToken, state: ParserState): string {
  const text = token.text;
  const fail = (why: string): never => {
    throw zoneFileError(state.fileName, token.line, `bad domain name "${text}": ${why}`);
  };
  if (token.quoted || text.includes('\\')) fail('quotes and escapes in names are not supported');
  if (text === '.') return '';
  let name: string;
  if (text === '@' || !text.endsWith('.')) {
    if (state.origin === undefined) fail('relative name with no $ORIGIN');
    const origin = state.origin as string;
    name = text === '@' ? origin : origin === '' ? text : `${text}.${origin}`;
  } else {
    name = text.slice(0, -1);
  }
  name = name.toLowerCase();
  if (name.length > MAX_NAME_CHARACTERS) fail(`longer than ${MAX_NAME_CHARACTERS} characters`);
  for (const label of name === '' ? [] : name.split('.')) {
    if (label === '' || label.length > 63) fail('empty label or label over 63 characters');
    if (label === '*') fail('wildcard owners are not supported');
  }
  return name;
}

function stripDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}
