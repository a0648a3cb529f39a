// Test double of the DNS boundary for resolver-logic unit tests: answers from a table, counts the queries.
import type { AnswerSource, DnsAnswer, DnsClient, DnsRecord, NaptrData, RecordType, SrvData } from '../../src/dns';
import { GatewayError } from '../../src/errors';

/** What one (name, type) question gets: records, an empty name, an error, or a promise the test controls. */
export type TableEntry =
  | { naptr: Partial<NaptrData>[]; ttlSeconds?: number }
  | { srv: SrvData[]; ttlSeconds?: number }
  | { addresses: string[]; ttlSeconds?: number }
  | { nodata: true; negativeTtlSeconds?: number }
  | { fail: 'DNS_SERVFAIL' | 'DNS_TIMEOUT' | 'DNS_MALFORMED' }
  | { answer: () => Promise<DnsAnswer> };

/**
 * A DnsClient over a table keyed by `name type` (e.g. `1.0.e164.arpa NAPTR`). Names absent from the table are
 * NXDOMAIN unless another type exists at the name (then NODATA), like an authoritative server.
 */
export class TableDnsClient implements DnsClient {
  readonly queries: string[] = [];
  source: AnswerSource = 'zone';

  constructor(private readonly table: Record<string, TableEntry>, private readonly negativeTtlSeconds = 60) {}

  async query(name: string, type: RecordType): Promise<DnsAnswer> {
    this.queries.push(`${name} ${type}`);
    const entry = this.table[`${name} ${type}`];
    const source = this.source;
    if (entry === undefined) {
      const exists = Object.keys(this.table).some((key) => key.startsWith(`${name} `));
      return { kind: exists ? 'nodata' : 'nxdomain', negativeTtlSeconds: this.negativeTtlSeconds, source };
    }
    if ('answer' in entry) return entry.answer();
    if ('fail' in entry) throw new GatewayError(entry.fail, `${entry.fail} for ${name}`, { transient: true, impsStatus: 503 });
    if ('nodata' in entry) return { kind: 'nodata', negativeTtlSeconds: entry.negativeTtlSeconds ?? this.negativeTtlSeconds, source };
    const ttlSeconds = entry.ttlSeconds ?? 300;
    return { kind: 'answer', records: toRecords(name, entry, ttlSeconds), ttlSeconds, source };
  }
}

function toRecords(name: string, entry: TableEntry, ttlSeconds: number): DnsRecord[] {
  if ('naptr' in entry) {
    return entry.naptr.map((naptr) => ({
      name,
      ttlSeconds,
      data: { type: 'NAPTR', naptr: { order: 10, preference: 100, flags: 'u', services: 'E2U+im', regexp: '', replacement: '', ...naptr } },
    }));
  }
  if ('srv' in entry) return entry.srv.map((srv) => ({ name, ttlSeconds, data: { type: 'SRV', srv } }));
  if ('addresses' in entry) {
    return entry.addresses.map((address) => ({ name, ttlSeconds, data: address.includes(':') ? { type: 'AAAA', address } : { type: 'A', address } }));
  }
  return [];
}
