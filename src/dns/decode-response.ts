// DNS response decoder for the query path (RFC 1035 §4.1 and §4.1.4 compression, RFC 6891 §6.1.3 extended RCODE).
import { GatewayError } from '../errors';
import type { DnsRecord, RecordData } from './dns-client';
import { recordTypeOf } from './dns-wire';
import { decodeNaptrRdata } from './naptr-rdata';

/** One entry of the question section; the name as the gateway keeps names (lowercase, no trailing dot). */
export interface DnsQuestion {
  name: string;
  typeCode: number;
  classCode: number;
}

/**
 * What the network client needs of a response. `answers` and `authorities` hold the record types the gateway
 * models (others are skipped); both are empty when TC=1, whose data must not be used (RFC 2181 §9).
 * `malformed` says why decoding stopped; the sections hold what was read before that.
 */
export interface DnsResponse {
  id: number;
  qr: boolean;
  tc: boolean;
  /** The 12-bit RCODE: the header's 4 bits and the OPT record's extended RCODE (RFC 6891 §6.1.3). */
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  malformed: string | undefined;
}

const HEADER_OCTETS = 12;
/** RFC 1035 §2.3.4 */
const MAX_NAME_OCTETS = 255;
/** A name has at most 127 labels; more pointer hops than that can only be a loop. */
const MAX_POINTER_HOPS = 127;
const TYPE_OPT = 41;
/** First octet of a compression pointer to an offset below 256. */
const POINTER_OCTET = 0xc0;
/** RFC 2181 §8: a TTL with the top bit set is to be treated as zero (not as the largest value: ~68 years in a cache). */
const MAX_TTL = 0x7fffffff;

/** Shared output area for names: decoding is synchronous, so one buffer serves every call. */
const nameScratch = Buffer.allocUnsafe(MAX_NAME_OCTETS);

/**
 * Decode a response of at least 12 octets. Written for the cold-lookup path: dns2's bit-level reader costs
 * ~13 µs per ENUM answer, a large share of a whole look-up. The additional section is only searched for OPT.
 * A message cut short, a bad name or compression pointer, or RDATA of a modelled type that does not fit its
 * RDLENGTH sets `malformed` (the caller decides: a forgery to ignore, or a broken answer).
 */
export function decodeResponse(message: Buffer): DnsResponse {
  const flags = message.readUInt16BE(2);
  const response: DnsResponse = {
    id: message.readUInt16BE(0),
    qr: (flags & 0x8000) !== 0,
    tc: (flags & 0x0200) !== 0,
    rcode: flags & 0x000f,
    questions: [],
    answers: [],
    authorities: [],
    malformed: undefined,
  };
  try {
    readSections(new Reader(message), message, response);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    response.malformed = error.message;
  }
  return response;
}

function readSections(reader: Reader, message: Buffer, response: DnsResponse): void {
  const qdcount = message.readUInt16BE(4);
  const ancount = message.readUInt16BE(6);
  const nscount = message.readUInt16BE(8);
  const arcount = message.readUInt16BE(10);
  for (let index = 0; index < qdcount; index += 1) {
    const name = reader.name();
    response.questions.push({ name, typeCode: reader.u16(), classCode: reader.u16() });
  }
  if (response.tc) return;
  for (let index = 0; index < ancount; index += 1) reader.record(response.answers);
  for (let index = 0; index < nscount; index += 1) reader.record(response.authorities);
  for (let index = 0; index < arcount; index += 1) {
    const extendedRcode = reader.optExtendedRcode();
    if (extendedRcode !== undefined) response.rcode |= extendedRcode << 4;
  }
}

/** A cursor over one message. */
class Reader {
  offset = HEADER_OCTETS;
  /** The name at the first question, which answers usually point back to (RFC 1035 §4.1.4). */
  private questionName: string | undefined;

  constructor(private readonly message: Buffer) {}

  u16(): number {
    this.need(2);
    const value = this.message.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  u32(): number {
    this.need(4);
    const value = this.message.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /**
   * A possibly compressed name (RFC 1035 §4.1.4), ASCII letters folded to lowercase (RFC 4343). A name that is
   * only a pointer to the question's name is that string again, not decoded anew.
   */
  name(): string {
    const { message } = this;
    const start = this.offset;
    if (this.questionName !== undefined && message[start] === POINTER_OCTET && message[start + 1] === HEADER_OCTETS) {
      this.offset = start + 2;
      return this.questionName;
    }
    let position = start;
    let length = 0;
    let octets = 1;
    let hops = 0;
    for (;;) {
      if (position >= message.length) throw malformed('a name runs past the end of the message');
      const label = message[position] as number;
      if (label === 0) break;
      if ((label & 0xc0) === 0xc0) {
        if (position + 1 >= message.length) throw malformed('a compression pointer runs past the end of the message');
        if (hops === 0) this.offset = position + 2;
        if (++hops > MAX_POINTER_HOPS) throw malformed('compression pointer loop');
        position = ((label & 0x3f) << 8) | (message[position + 1] as number);
        continue;
      }
      // 0x40 and 0x80 are extended and reserved label types (RFC 6891 §5): none belongs in a name we read.
      if ((label & 0xc0) !== 0) throw malformed(`label type octet 0x${label.toString(16)}`);
      octets += label + 1;
      if (octets > MAX_NAME_OCTETS) throw malformed(`a name exceeds ${MAX_NAME_OCTETS} octets`);
      if (position + 1 + label > message.length) throw malformed('a label runs past the end of the message');
      if (length > 0) nameScratch[length++] = 0x2e;
      for (let index = position + 1; index <= position + label; index += 1) {
        const octet = message[index] as number;
        nameScratch[length++] = octet >= 0x41 && octet <= 0x5a ? octet | 0x20 : octet;
      }
      position += 1 + label;
    }
    if (hops === 0) this.offset = position + 1;
    const name = nameScratch.toString('latin1', 0, length);
    if (start === HEADER_OCTETS) this.questionName = name;
    return name;
  }

  /** One resource record; pushed to `into` when its type is modelled. */
  record(into: DnsRecord[]): void {
    const name = this.name();
    const typeCode = this.u16();
    this.u16(); // CLASS: the question already pinned it
    const ttl = this.u32();
    const rdlength = this.u16();
    this.need(rdlength);
    const end = this.offset + rdlength;
    const type = recordTypeOf(typeCode);
    if (type !== undefined) {
      try {
        into.push({ name, ttlSeconds: ttl > MAX_TTL ? 0 : ttl, data: this.rdata(type, rdlength) });
      } catch (error) {
        throw error instanceof GatewayError ? malformed(`${type} record "${name}": ${error.message}`) : error;
      }
      if (this.offset !== end) throw malformed(`${type} record "${name}" RDATA is not ${rdlength} octets`);
    }
    this.offset = end;
  }

  /** Skip one additional record; for OPT, its extended RCODE (the TTL's high octet, RFC 6891 §6.1.3). */
  optExtendedRcode(): number | undefined {
    this.name();
    const typeCode = this.u16();
    this.u16();
    const ttl = this.u32();
    const rdlength = this.u16();
    this.offset += rdlength;
    if (this.offset > this.message.length) throw malformed('an additional record runs past the end of the message');
    return typeCode === TYPE_OPT ? ttl >>> 24 : undefined;
  }

  private rdata(type: NonNullable<ReturnType<typeof recordTypeOf>>, rdlength: number): RecordData {
    const { message } = this;
    const start = this.offset;
    switch (type) {
      case 'A':
        if (rdlength !== 4) throw malformed(`RDLENGTH ${rdlength}, an address is 4`);
        this.offset += 4;
        return { type, address: `${message[start]}.${message[start + 1]}.${message[start + 2]}.${message[start + 3]}` };
      case 'AAAA':
        if (rdlength !== 16) throw malformed(`RDLENGTH ${rdlength}, an address is 16`);
        this.offset += 16;
        return { type, address: formatIpv6(message, start) };
      case 'NS':
      case 'CNAME':
        return { type, host: this.name() };
      case 'SRV':
        return { type, srv: { priority: this.u16(), weight: this.u16(), port: this.u16(), target: this.name() } };
      case 'SOA':
        return { type, soa: { mname: this.name(), rname: this.name(), serial: this.u32(), refresh: this.u32(), retry: this.u32(), expire: this.u32(), minimum: this.u32() } };
      case 'NAPTR':
        this.offset += rdlength;
        return { type, naptr: decodeNaptrRdata(message.subarray(start, start + rdlength)) };
    }
  }

  private need(octets: number): void {
    if (this.offset + octets > this.message.length) throw malformed('the message ends inside a record');
  }
}

/** RFC 5952 §4: lowercase hex, no leading zeros, the longest run (first on a tie) of 2+ zero groups as "::". */
function formatIpv6(message: Buffer, start: number): string {
  const groups: string[] = [];
  let bestStart = -1;
  let bestLength = 1;
  let runStart = -1;
  for (let index = 0; index < 8; index += 1) {
    const group = message.readUInt16BE(start + index * 2);
    groups.push(group.toString(16));
    if (group !== 0) runStart = -1;
    else if (runStart < 0) runStart = index;
    if (runStart >= 0 && index - runStart + 1 > bestLength) [bestStart, bestLength] = [runStart, index - runStart + 1];
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}

function malformed(detail: string): GatewayError {
  return new GatewayError('DNS_MALFORMED', detail, { impsStatus: 503, transient: true });
}
