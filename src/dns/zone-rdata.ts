// Master-file RDATA fields (RFC 1035 §5.1, RFC 2782, RFC 3403 §4.1, RFC 3596) → typed RecordData.
import { SocketAddress, isIPv4, isIPv6 } from 'node:net';
import type { RecordData, RecordType } from './dns-client';
import { decodeCharacterString, zoneFileError, type ZoneToken } from './zone-lexer';

/** What the RDATA parser needs from the file parser: name resolution against $ORIGIN, and the file name. */
export interface RdataContext {
  fileName: string;
  /** Resolve a (possibly relative) domain name token: '@', relative, absolute; '.' is the root (''). */
  resolveName(token: ZoneToken): string;
}

/** Record types a zone file may hold: the ones the gateway queries (DnsClient RecordType). */
export const ZONE_RECORD_TYPES: readonly RecordType[] = ['SOA', 'NS', 'A', 'AAAA', 'CNAME', 'SRV', 'NAPTR'];

const FIELD_NAMES: Readonly<Record<RecordType, readonly string[]>> = {
  A: ['address'],
  AAAA: ['address'],
  NS: ['host'],
  CNAME: ['host'],
  SOA: ['mname', 'rname', 'serial', 'refresh', 'retry', 'expire', 'minimum'],
  SRV: ['priority', 'weight', 'port', 'target'],
  NAPTR: ['order', 'preference', 'flags', 'services', 'regexp', 'replacement'],
};

/**
 * Parse the RDATA tokens of one record of `type`.
 * @throws GatewayError CONFIG_INVALID with file:line naming the bad field.
 */
export function parseRdata(type: RecordType, tokens: ZoneToken[], line: number, context: RdataContext): RecordData {
  const names = FIELD_NAMES[type];
  if (tokens.length !== names.length) {
    throw zoneFileError(context.fileName, tokens[names.length]?.line ?? line, `${type} needs ${names.length} field(s) (${names.join(' ')}), found ${tokens.length}`);
  }
  const field = (index: number): ZoneToken => tokens[index] as ZoneToken;
  const number = (index: number, max: number): number => parseNumber(field(index), names[index] ?? '', max, context.fileName);
  switch (type) {
    case 'A':
      return { type, address: parseAddress(field(0), 4, context.fileName) };
    case 'AAAA':
      return { type, address: parseAddress(field(0), 6, context.fileName) };
    case 'NS':
    case 'CNAME':
      return { type, host: context.resolveName(field(0)) };
    case 'SRV':
      return { type, srv: { priority: number(0, 0xffff), weight: number(1, 0xffff), port: number(2, 0xffff), target: context.resolveName(field(3)) } };
    case 'NAPTR':
      return {
        type,
        naptr: {
          order: number(0, 0xffff),
          preference: number(1, 0xffff),
          flags: decodeCharacterString(field(2), context.fileName),
          services: decodeCharacterString(field(3), context.fileName),
          regexp: decodeCharacterString(field(4), context.fileName),
          replacement: context.resolveName(field(5)),
        },
      };
    case 'SOA': {
      const [mname, rname] = [context.resolveName(field(0)), context.resolveName(field(1))];
      const period = (index: number): number => parseTtl(field(index), context.fileName);
      return { type, soa: { mname, rname, serial: number(2, 0xffffffff), refresh: period(3), retry: period(4), expire: period(5), minimum: period(6) } };
    }
  }
}

/**
 * A TTL or SOA period: seconds, or BIND-style units (`1h30m`, `2d`, `1w`) as knot and BIND accept them.
 * RFC 2181 §8 caps TTLs at 2^31 - 1.
 */
export function parseTtl(token: ZoneToken, fileName: string): number {
  const text = token.text.toLowerCase();
  let seconds: number;
  if (/^\d+$/.test(text)) {
    seconds = Number(text);
  } else if (/^(\d+[smhdw])+$/.test(text)) {
    const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
    seconds = [...text.matchAll(/(\d+)([smhdw])/g)].reduce((sum, [, n, u]) => sum + Number(n) * (unit[u ?? 's'] ?? 1), 0);
  } else {
    throw zoneFileError(fileName, token.line, `"${token.text}" is not a TTL (seconds, or units such as 1h30m)`);
  }
  if (seconds > 0x7fffffff) throw zoneFileError(fileName, token.line, `TTL ${token.text} exceeds 2^31-1 seconds (RFC 2181 §8)`);
  return seconds;
}

/** True when a token can only be a TTL (so `[<TTL>] [<class>] <type>` can be told apart). */
export function looksLikeTtl(token: ZoneToken): boolean {
  return !token.quoted && /^(\d+|(\d+[smhdw])+)$/i.test(token.text);
}

function parseNumber(token: ZoneToken, field: string, max: number, fileName: string): number {
  if (token.quoted || !/^\d+$/.test(token.text) || Number(token.text) > max) {
    throw zoneFileError(fileName, token.line, `${field} "${token.text}" is not a number from 0 to ${max}`);
  }
  return Number(token.text);
}

function parseAddress(token: ZoneToken, family: 4 | 6, fileName: string): string {
  if (family === 4 && isIPv4(token.text)) return token.text;
  // The canonical RFC 5952 text form, so zone answers compare equal to decoded network answers.
  if (family === 6 && isIPv6(token.text)) return new SocketAddress({ address: token.text, family: 'ipv6' }).address;
  throw zoneFileError(fileName, token.line, `"${token.text}" is not an IPv${family} address`);
}
