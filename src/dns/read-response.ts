// A DNS response → DnsAnswer (RFC 1035 §4.1, RFC 2308 §2 and §5 negative answers, RFC 1034 §3.6.2 CNAME).
import type { DnsResponse } from './decode-response';
import type { DnsAnswer, DnsRecord, RecordType } from './dns-client';
import type { ExchangeFailureKind } from './dns-exchange';
import { Packet } from './dns-wire';
import { minTtl } from './loaded-zone';

/** A chain of aliases longer than this inside one response is treated as malformed. */
const MAX_CNAME_HOPS = 8;

const RCODE_NAMES = new Map<number, string>(Object.entries(Packet.RCODE).map(([label, code]) => [code, label]));

/** What one response says: an answer (positive or negative), "retry over TCP", or a failure of that server. */
export type ResponseReading =
  | { kind: 'answer'; answer: DnsAnswer }
  | { kind: 'truncated' }
  | { kind: 'failure'; failure: ExchangeFailureKind; detail: string };

/**
 * Interpret a response to (name, type) from `server`. TC=1 gives 'truncated' and nothing else: a truncated
 * response may carry partial data (BIND does) that must not be used (RFC 2181 §9). NOERROR with the RRset
 * (after following CNAMEs in the answer section) is an answer whose records are the CNAME chain, then the RRset; without it NODATA; NXDOMAIN is a negative
 * answer; SERVFAIL, REFUSED and every other RCODE are failures of this server.
 */
export function readDnsResponse(response: DnsResponse, name: string, type: RecordType, server: string): ResponseReading {
  if (response.tc) return { kind: 'truncated' };
  const rcode = response.rcode;
  if (rcode === Packet.RCODE.NXDOMAIN) return { kind: 'answer', answer: { kind: 'nxdomain', negativeTtlSeconds: negativeTtl(response), source: 'dns', server } };
  if (rcode === Packet.RCODE.REFUSED) return { kind: 'failure', failure: 'refused', detail: 'REFUSED' };
  if (rcode !== Packet.RCODE.NOERROR) return { kind: 'failure', failure: 'servfail', detail: `RCODE ${RCODE_NAMES.get(rcode) ?? rcode}` };
  const records = response.answers;
  // The usual answer section is the RRset alone: kept as it is, without filtering it into a new array.
  if (isRrsetOf(records, name, type)) return { kind: 'answer', answer: { kind: 'answer', records, ttlSeconds: minTtl(records), source: 'dns', server } };
  let owner = name;
  const aliases: DnsRecord[] = [];
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop += 1) {
    const rrset = records.filter((record) => record.name === owner && record.data.type === type);
    if (rrset.length > 0) {
      const chain = aliases.length === 0 ? rrset : [...aliases, ...rrset];
      return { kind: 'answer', answer: { kind: 'answer', records: chain, ttlSeconds: minTtl(chain), source: 'dns', server } };
    }
    const alias = records.find((record) => record.name === owner && record.data.type === 'CNAME');
    if (alias === undefined || alias.data.type !== 'CNAME') {
      return { kind: 'answer', answer: { kind: 'nodata', negativeTtlSeconds: negativeTtl(response), source: 'dns', server } };
    }
    aliases.push(alias);
    owner = alias.data.host;
  }
  return { kind: 'failure', failure: 'malformed', detail: `CNAME chain longer than ${MAX_CNAME_HOPS} in one response` };
}

/** True when `records` are one or more records of `type` owned by `name`, and nothing else. */
function isRrsetOf(records: readonly DnsRecord[], name: string, type: RecordType): boolean {
  for (const record of records) if (record.name !== name || record.data.type !== type) return false;
  return records.length > 0;
}

/** RFC 2308 §5: the negative TTL is min(SOA record TTL, SOA MINIMUM) from the authority section; 0 without SOA. */
function negativeTtl(response: DnsResponse): number {
  for (const record of response.authorities) {
    if (record.data.type === 'SOA') return Math.min(record.ttlSeconds, record.data.soa.minimum);
  }
  return 0;
}
