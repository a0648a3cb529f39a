// One zone held in memory (RFC 1034 §4.3.2 data model): RRsets by owner and type, with answers prebuilt.
import type { DnsAnswer, DnsRecord, RecordType, SoaData } from './dns-client';
import type { ParsedZoneFile, ZoneFileRecord } from './zone-file';
import { zoneFileError } from './zone-lexer';

/** A prebuilt, frozen answer: zone look-ups allocate nothing. */
export type ZoneAnswer = Readonly<DnsAnswer>;

/** One owner name of a zone. */
export interface ZoneNode {
  /** RRsets of this owner name by type. */
  rrsets: ReadonlyMap<RecordType, readonly DnsRecord[]>;
  /** Answers for the types present, source 'zone'. */
  answers: ReadonlyMap<RecordType, ZoneAnswer>;
}

/** A zone ready to answer from: nodes by owner, existing names, prebuilt negative answers. */
export interface LoadedZone {
  fileName: string;
  /** The SOA owner: lowercase, no trailing dot. */
  apex: string;
  soa: DnsRecord;
  nodes: ReadonlyMap<string, ZoneNode>;
  /** Every name that exists, including empty non-terminals (RFC 8020: they are NODATA, not NXDOMAIN). */
  existingNames: ReadonlySet<string>;
  nodata: ZoneAnswer;
  nxdomain: ZoneAnswer;
}

/** True when `name` is `apex` or below it. */
function isInZone(name: string, apex: string): boolean {
  return apex === '' || name === apex || (name.endsWith(apex) && name.charAt(name.length - apex.length - 1) === '.');
}

/**
 * Index a parsed zone file. The apex is the owner of its one SOA record.
 * @throws GatewayError CONFIG_INVALID (file:line) without exactly one SOA, for data outside the zone, or for
 * a CNAME beside other data (RFC 1034 §3.6.2).
 */
export function buildZone(file: ParsedZoneFile): LoadedZone {
  const soas = file.records.filter((record) => record.data.type === 'SOA');
  const soa = soas[0];
  if (soa === undefined) throw zoneFileError(file.fileName, 1, 'zone has no SOA record');
  if (soas.length > 1) throw zoneFileError(file.fileName, (soas[1] as ZoneFileRecord).line, 'zone has a second SOA record');
  const apex = soa.name;
  const byOwner = new Map<string, Map<RecordType, DnsRecord[]>>();
  for (const record of file.records) {
    if (!isInZone(record.name, apex)) throw zoneFileError(file.fileName, record.line, `"${record.name}" is outside the zone ${apex || '.'}`);
    const rrsets = byOwner.get(record.name) ?? new Map<RecordType, DnsRecord[]>();
    byOwner.set(record.name, rrsets);
    const rrset = rrsets.get(record.data.type) ?? [];
    rrsets.set(record.data.type, rrset);
    if (!rrset.some((existing) => sameData(existing, record))) rrset.push(freezeRecord(record));
    if (rrsets.has('CNAME') && rrsets.size > 1) throw zoneFileError(file.fileName, record.line, `"${record.name}" has a CNAME and other data`);
  }
  const soaData = (soa.data as { soa: SoaData }).soa;
  // RFC 2308 §5: the negative TTL is the lesser of the SOA record's TTL and its MINIMUM field.
  const negativeTtlSeconds = Math.min(soa.ttlSeconds, soaData.minimum);
  return {
    fileName: file.fileName,
    apex,
    soa: freezeRecord(soa),
    nodes: new Map([...byOwner].map(([owner, rrsets]) => [owner, buildNode(rrsets)])),
    existingNames: collectExistingNames(byOwner.keys(), apex),
    nodata: Object.freeze({ kind: 'nodata', negativeTtlSeconds, source: 'zone' }),
    nxdomain: Object.freeze({ kind: 'nxdomain', negativeTtlSeconds, source: 'zone' }),
  };
}

function buildNode(rrsets: Map<RecordType, DnsRecord[]>): ZoneNode {
  const answers = new Map<RecordType, ZoneAnswer>();
  for (const [type, rrset] of rrsets) {
    Object.freeze(rrset);
    answers.set(type, Object.freeze({ kind: 'answer', records: rrset, ttlSeconds: minTtl(rrset), source: 'zone' }));
  }
  return { rrsets, answers };
}

/** The smallest TTL of an RRset (RFC 2181 §5.2 wants one TTL per RRset; a zone may still disagree). */
export function minTtl(records: readonly DnsRecord[]): number {
  let ttl = Number.POSITIVE_INFINITY;
  for (const record of records) ttl = Math.min(ttl, record.ttlSeconds);
  return ttl === Number.POSITIVE_INFINITY ? 0 : ttl;
}

function collectExistingNames(owners: Iterable<string>, apex: string): Set<string> {
  const names = new Set<string>([apex]);
  for (const owner of owners) {
    // Each ancestor between the owner and the apex exists, possibly as an empty non-terminal.
    for (let name = owner; name !== apex && !names.has(name); name = parentOf(name)) names.add(name);
  }
  return names;
}

function parentOf(name: string): string {
  const dot = name.indexOf('.');
  return dot === -1 ? '' : name.slice(dot + 1);
}

function sameData(a: DnsRecord, b: DnsRecord): boolean {
  return JSON.stringify(a.data) === JSON.stringify(b.data);
}

function freezeRecord(record: ZoneFileRecord | DnsRecord): DnsRecord {
  const data = record.data;
  Object.freeze(Object.values(data).find((value) => typeof value === 'object'));
  return Object.freeze({ name: record.name, ttlSeconds: record.ttlSeconds, data: Object.freeze(data) });
}
