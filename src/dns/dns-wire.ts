// dns2 wiring (RFC 1035 §4 messages, RFC 6891 OPT): registers NAPTR with dns2, DnsRecord → dns2 records, queries.
import DNS from 'dns2';
import type { DnsRecord, NaptrData, RecordType } from './dns-client';
import { decodeNaptrRdata, encodeNaptrRdata, uncompressedNameOctets, writeUncompressedName } from './naptr-rdata';

/** dns2's message codec, with NAPTR (type 35) registered. The only way this module's callers touch dns2's Packet. */
export const Packet = DNS.Packet;
/** A DNS message as dns2 holds it. */
export type WirePacket = DNS.Packet;
/** A dns2 resource record; NAPTR RDATA lives in `naptr` (see registerNaptr). */
export type WireResource = DNS.Packet.Resource & { naptr?: NaptrData };

/** RFC 6891 §6.2.5 and the DNS flag day 2020 advice: 1232 octets avoids IP fragmentation on any path. */
export const EDNS_UDP_PAYLOAD_OCTETS = 1232;

/** Wire type codes of the record types the gateway uses (RFC 1035 §3.2.2, RFC 3596, RFC 2782, RFC 3403 §4). */
export const RECORD_TYPE_CODES: Readonly<Record<RecordType, number>> = Object.freeze({
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
});

const RECORD_TYPES_BY_CODE = new Map<number, RecordType>(
  Object.entries(RECORD_TYPE_CODES).map(([type, code]) => [code, type as RecordType]),
);
const CODE_DOT = 46;
const CODE_A = 65;
const CODE_Z = 90;
const HEADER_OCTETS = 12;
/** OPT: root owner (0), TYPE 41, CLASS = UDP payload size, TTL 0 (no extended RCODE, version 0), RDLENGTH 0. */
const OPT_RECORD = Uint8Array.of(0, 0, Packet.TYPE.EDNS, EDNS_UDP_PAYLOAD_OCTETS >>> 8, EDNS_UDP_PAYLOAD_OCTETS & 0xff, 0, 0, 0, 0, 0, 0);

/** The RecordType of a wire type code, or undefined for types the gateway does not model. */
export function recordTypeOf(code: number): RecordType | undefined {
  return RECORD_TYPES_BY_CODE.get(code);
}

/**
 * Names as the gateway keeps them (DnsRecord.name): lowercase, no trailing dot, '' for the root. A name that
 * already is canonical, as every name the ENUM resolver builds, comes back as it is after one scan.
 */
export function canonicalName(name: string): string {
  const length = name.charCodeAt(name.length - 1) === CODE_DOT ? name.length - 1 : name.length;
  for (let index = 0; index < length; index += 1) {
    const code = name.charCodeAt(index);
    if (code >= CODE_A && code <= CODE_Z) return name.slice(0, length).toLowerCase();
  }
  return length === name.length ? name : name.slice(0, length);
}

/** A dns2 resource (class IN) ready for Packet#toBuffer. */
export function toWireResource(record: DnsRecord): WireResource {
  const { data } = record;
  const fields: Partial<WireResource> = { name: record.name, type: RECORD_TYPE_CODES[data.type], class: Packet.CLASS.IN, ttl: record.ttlSeconds };
  switch (data.type) {
    case 'A':
    case 'AAAA':
      fields.address = data.address;
      break;
    case 'NS':
      fields.ns = data.host;
      break;
    case 'CNAME':
      fields.domain = data.host;
      break;
    case 'SRV':
      Object.assign(fields, data.srv);
      break;
    case 'NAPTR':
      fields.naptr = data.naptr;
      break;
    case 'SOA': {
      const { soa } = data;
      Object.assign(fields, { primary: soa.mname, admin: soa.rname, serial: soa.serial, refresh: soa.refresh, retry: soa.retry, expiration: soa.expire, minimum: soa.minimum });
      break;
    }
  }
  return new Packet.Resource(fields) as WireResource;
}

/** An OPT pseudo-record advertising our UDP payload size (RFC 6891 §6.1.2). */
export function createOptResource(): WireResource {
  return Packet.Resource.EDNS([], { udpPayloadSize: EDNS_UDP_PAYLOAD_OCTETS });
}

/**
 * A standard query with RD set and an OPT record (RFC 1035 §4.1.1, RFC 6891 §6.1.1): the same octets as
 * dns2's Packet#toBuffer gives for it (a test holds them equal), written directly because dns2's bit-level
 * writer costs ~18 µs per query on the cold-lookup path; octet by octet rather than with Buffer#writeUInt16BE,
 * whose argument checks cost more than the writes on this path.
 * @throws GatewayError DNS_MALFORMED for a name that cannot be encoded (empty or over-long label).
 */
export function encodeQuery(id: number, name: string, type: RecordType): Buffer {
  const out = Buffer.allocUnsafe(HEADER_OCTETS + uncompressedNameOctets(name) + 4 + OPT_RECORD.length);
  putUint16(out, 0, id);
  putUint16(out, 2, 0x0100); // QR=0, OPCODE=QUERY, RD=1
  putUint16(out, 4, 1); // QDCOUNT
  putUint16(out, 6, 0); // ANCOUNT
  putUint16(out, 8, 0); // NSCOUNT
  putUint16(out, 10, 1); // ARCOUNT: the OPT record
  const offset = writeUncompressedName(name, out, HEADER_OCTETS);
  putUint16(out, offset, RECORD_TYPE_CODES[type]);
  putUint16(out, offset + 2, Packet.CLASS.IN);
  out.set(OPT_RECORD, offset + 4);
  return out;
}

function putUint16(out: Buffer, offset: number, value: number): void {
  out[offset] = value >>> 8;
  out[offset + 1] = value & 0xff;
}

interface WireCodec {
  decode(this: WireResource, reader: DNS.Packet.Reader, length: number): WireResource;
  encode(record: WireResource, writer: DNS.Packet.Writer): void;
}

/**
 * dns2 3.1.1 has no NAPTR type and keeps unknown RDATA as raw bytes; its Resource codecs are looked up by
 * Packet.TYPE_NAME, so registering a NAPTR entry there makes both Packet.parse and Packet#toBuffer handle it.
 */
function registerNaptr(): void {
  const code = RECORD_TYPE_CODES.NAPTR;
  (Packet.TYPE as Record<string, number>)['NAPTR'] = code;
  Packet.TYPE_NAME[code] = 'NAPTR';
  const codec: WireCodec = {
    decode(reader, length) {
      const start = reader.offset / 8;
      this.naptr = decodeNaptrRdata(reader.buffer.subarray(start, start + length));
      reader.offset += length * 8;
      return this;
    },
    encode(record, writer) {
      if (!record.naptr) throw new TypeError(`NAPTR resource "${record.name}" has no naptr data`);
      for (const octet of encodeNaptrRdata(record.naptr)) writer.write(octet, 8);
    },
  };
  (Packet.Resource as unknown as Record<string, WireCodec>)['NAPTR'] = codec;
}

registerNaptr();
