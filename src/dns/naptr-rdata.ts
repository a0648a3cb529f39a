// NAPTR RDATA codec (RFC 3403 §4.1): wire octets ↔ NaptrData. Pure; dns2 gets it through dns-wire.ts.
import { GatewayError } from '../errors';
import type { NaptrData } from './dns-client';

/** RFC 1035 §2.3.4: a label is at most 63 octets, a whole name at most 255 octets on the wire. */
const MAX_LABEL_OCTETS = 63;
const MAX_NAME_OCTETS = 255;
/** RFC 1035 §3.3: a <character-string> is one length octet and at most 255 octets of data. */
const MAX_CHARACTER_STRING_OCTETS = 255;

/**
 * Decode NAPTR RDATA: ORDER u16, PREFERENCE u16, FLAGS, SERVICES, REGEXP (<character-string>s, read as UTF-8),
 * REPLACEMENT (an uncompressed domain name; '' for the root).
 * @throws GatewayError DNS_MALFORMED when a field runs past the RDATA, the name is compressed or too long,
 * or octets are left over.
 */
export function decodeNaptrRdata(rdata: Buffer): NaptrData {
  if (rdata.length < 4) throw malformed(`RDATA is ${rdata.length} octets, ORDER and PREFERENCE need 4`);
  const cursor = { offset: 4 };
  const flags = readCharacterString(rdata, cursor, 'FLAGS');
  const services = readCharacterString(rdata, cursor, 'SERVICES');
  const regexp = readCharacterString(rdata, cursor, 'REGEXP');
  const replacement = readUncompressedName(rdata, cursor);
  if (cursor.offset !== rdata.length) {
    throw malformed(`${rdata.length - cursor.offset} octet(s) left after REPLACEMENT`);
  }
  return { order: rdata.readUInt16BE(0), preference: rdata.readUInt16BE(2), flags, services, regexp, replacement };
}

/**
 * Encode NAPTR RDATA. Strings are written as UTF-8; REPLACEMENT is written uncompressed, as RFC 3403 §4.1
 * requires ("this field MUST NOT be compressed"). '' and '.' both mean the root.
 * @throws GatewayError DNS_MALFORMED when a value cannot be represented on the wire.
 */
export function encodeNaptrRdata(naptr: NaptrData): Buffer {
  const strings = [naptr.flags, naptr.services, naptr.regexp].map((value) => Buffer.from(value, 'utf8'));
  const name = encodeUncompressedName(naptr.replacement);
  const out = Buffer.allocUnsafe(4 + strings.reduce((sum, s) => sum + 1 + s.length, 0) + name.length);
  out.writeUInt16BE(checkUint16(naptr.order, 'ORDER'), 0);
  out.writeUInt16BE(checkUint16(naptr.preference, 'PREFERENCE'), 2);
  let offset = 4;
  for (const value of strings) {
    if (value.length > MAX_CHARACTER_STRING_OCTETS) {
      throw malformed(`character-string of ${value.length} octets exceeds ${MAX_CHARACTER_STRING_OCTETS}`);
    }
    offset = out.writeUInt8(value.length, offset);
    offset += value.copy(out, offset);
  }
  name.copy(out, offset);
  return out;
}

/**
 * Wire form of a domain name without compression (RFC 1035 §3.1): length-prefixed labels, then a zero octet.
 * @throws GatewayError DNS_MALFORMED for an empty, over-long or non-printable label or a name over 255 octets.
 */
function encodeUncompressedName(name: string): Buffer {
  const out = Buffer.allocUnsafe(uncompressedNameOctets(name));
  writeUncompressedName(name, out, 0);
  return out;
}

/** Octets {@link writeUncompressedName} writes for `name` (labels of printable ASCII are one octet a character). */
export function uncompressedNameOctets(name: string): number {
  const length = name.endsWith('.') ? name.length - 1 : name.length;
  return length === 0 ? 1 : length + 2;
}

/**
 * Write `name` uncompressed into `out` at `offset`, in one pass over its characters (this runs once per
 * query on the cold path). Returns the offset after the terminating zero octet.
 * @throws GatewayError DNS_MALFORMED as {@link encodeUncompressedName}
 */
export function writeUncompressedName(name: string, out: Buffer, offset: number): number {
  const length = name.endsWith('.') ? name.length - 1 : name.length;
  if (length === 0) return out.writeUInt8(0, offset);
  if (length + 2 > MAX_NAME_OCTETS) throw badName(`"${name}" exceeds ${MAX_NAME_OCTETS} octets`);
  let lengthAt = offset;
  let cursor = offset + 1;
  for (let index = 0; index <= length; index += 1) {
    const code = index === length ? 0x2e : name.charCodeAt(index);
    if (code === 0x2e) {
      const octets = cursor - lengthAt - 1;
      if (octets === 0 || octets > MAX_LABEL_OCTETS) throw badName(`"${name}" has an empty, over-long or non-printable label`);
      out[lengthAt] = octets;
      lengthAt = cursor;
      cursor += 1;
    } else {
      if (code < 0x21 || code > 0x7e) throw badName(`"${name}" has an empty, over-long or non-printable label`);
      out[cursor] = code;
      cursor += 1;
    }
  }
  out[lengthAt] = 0;
  return lengthAt + 1;
}

function readCharacterString(rdata: Buffer, cursor: { offset: number }, field: string): string {
  if (cursor.offset >= rdata.length) throw malformed(`${field} is missing`);
  const length = rdata.readUInt8(cursor.offset);
  const start = cursor.offset + 1;
  if (start + length > rdata.length) {
    throw malformed(`${field} declares ${length} octets, only ${rdata.length - start} remain`);
  }
  cursor.offset = start + length;
  return rdata.toString('utf8', start, start + length);
}

function readUncompressedName(rdata: Buffer, cursor: { offset: number }): string {
  const labels: string[] = [];
  let octets = 1;
  for (;;) {
    if (cursor.offset >= rdata.length) throw malformed('REPLACEMENT runs past the end of RDATA');
    const length = rdata.readUInt8(cursor.offset);
    cursor.offset += 1;
    if (length === 0) return labels.join('.');
    // 0xC0 is a compression pointer, 0x40/0x80 are reserved label types (RFC 6891 §5); none belongs here.
    if (length > MAX_LABEL_OCTETS) throw malformed(`REPLACEMENT has label type/length octet 0x${length.toString(16)}`);
    octets += length + 1;
    if (octets > MAX_NAME_OCTETS) throw malformed(`REPLACEMENT exceeds ${MAX_NAME_OCTETS} octets`);
    if (cursor.offset + length > rdata.length) throw malformed('REPLACEMENT label runs past the end of RDATA');
    const label = rdata.toString('latin1', cursor.offset, cursor.offset + length);
    if (label.includes('.')) throw malformed('REPLACEMENT label contains a "."');
    labels.push(label);
    cursor.offset += length;
  }
}

function checkUint16(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw malformed(`${field} ${value} is not a 16-bit value`);
  return value;
}

function badName(why: string): GatewayError {
  return new GatewayError('DNS_MALFORMED', `invalid domain name: ${why}`, { impsStatus: 503 });
}

function malformed(why: string): GatewayError {
  return new GatewayError('DNS_MALFORMED', `malformed NAPTR RDATA: ${why}`, { impsStatus: 503, transient: true });
}
