// The DNS boundary: one narrow interface that the network client, the in-process zone data and the cache share.

export type RecordType = 'A' | 'AAAA' | 'NAPTR' | 'SRV' | 'SOA' | 'NS' | 'CNAME';

/** RFC 3403 §4.1 NAPTR RDATA. `replacement` is '' for the root name ".". */
export interface NaptrData {
  order: number;
  preference: number;
  flags: string;
  services: string;
  regexp: string;
  replacement: string;
}

/** RFC 2782 SRV RDATA. `target` is '' for the root name "." (service decidedly not available). */
export interface SrvData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export type RecordData =
  | { type: 'A'; address: string }
  | { type: 'AAAA'; address: string }
  | { type: 'NAPTR'; naptr: NaptrData }
  | { type: 'SRV'; srv: SrvData }
  | { type: 'SOA'; soa: SoaData }
  | { type: 'NS'; host: string }
  | { type: 'CNAME'; host: string };

export interface DnsRecord {
  /** Owner name, lowercase, without the trailing dot. */
  name: string;
  ttlSeconds: number;
  data: RecordData;
}

/** Where an answer came from: visible in metrics, in `enum --json` and in route explanations. */
export type AnswerSource = 'dns' | 'zone' | 'cache' | 'stale';

/**
 * A completed DNS exchange. "No record" is a normal outcome, not an error (house style): NXDOMAIN and NODATA
 * carry the negative-caching TTL of RFC 2308 §5 (min of the SOA record's TTL and its MINIMUM field).
 * `records` is the RRset asked for, preceded by the CNAME records that led to it when the name is an alias
 * (RFC 1034 §3.6.2); `ttlSeconds` is the smallest TTL among them — on a cache hit, the time left.
 */
export type DnsAnswer =
  | { kind: 'answer'; records: DnsRecord[]; ttlSeconds: number; source: AnswerSource; server?: string }
  | { kind: 'nodata'; negativeTtlSeconds: number; source: AnswerSource; server?: string }
  | { kind: 'nxdomain'; negativeTtlSeconds: number; source: AnswerSource; server?: string };

/**
 * Ask one question, get one answer. Implementations: the network client (UDP + EDNS0, TCP on truncation,
 * several servers), in-process zone files, and the cache that wraps either. Failures (every server timed
 * out, SERVFAIL, REFUSED, malformed answer) reject with a GatewayError coded DNS_TIMEOUT / DNS_SERVFAIL /
 * DNS_MALFORMED, `transient: true`.
 */
export interface DnsClient {
  query(name: string, type: RecordType, signal?: AbortSignal): Promise<DnsAnswer>;
  /** Present on a client that caches answers: queries it answers without storing them (see UnstoredQueries). */
  readonly unstored?: UnstoredQueries;
}

/**
 * Queries past a caching client's cache, for a caller that keeps what it needs of the answers itself: the cache
 * neither answers them nor stores their answers, and the caller coalesces concurrent ones and serves stale
 * outcomes (RFC 8767) itself, for the cache's own `staleSeconds`. The ENUM resolver asks each number's own NAPTR
 * name this way: its result cache holds the number's outcome compactly, a copy of the answer in the DNS cache
 * would hold every number twice (~600 bytes of heap more each, measured), and it coalesces look-ups by
 * enumservice and number.
 */
export interface UnstoredQueries {
  query(name: string, type: RecordType): Promise<DnsAnswer>;
  /** How long past its TTL a kept answer may still be served while every server fails. */
  readonly staleSeconds: number;
}
