// Plain-words trace lines for DNS answers, shared by the ENUM resolver and the SRV locator (`enum`, `locate`).
import type { DnsAnswer, RecordType } from '../dns';

/**
 * `query NAPTR <name> → 2 records, TTL 300 s (from dns 127.0.0.1:53)`; NXDOMAIN/NODATA with their negative TTL.
 * Only records of the asked type are counted; CNAMEs that led to them (RFC 1034 §3.6.2) are named.
 */
export function describeAnswer(type: RecordType, name: string, answer: DnsAnswer): string {
  const from = `from ${answer.source}${answer.server === undefined ? '' : ` ${answer.server}`}`;
  if (answer.kind !== 'answer') {
    const status = answer.kind === 'nxdomain' ? 'NXDOMAIN' : 'NODATA';
    return `query ${type} ${name} → ${status}, negative TTL ${answer.negativeTtlSeconds} s (${from})`;
  }
  const count = answer.records.filter((record) => record.data.type === type).length;
  const aliases = answer.records.flatMap((record) => (record.data.type === 'CNAME' && type !== 'CNAME' ? [record.data.host] : []));
  const via = aliases.length === 0 ? '' : ` via CNAME ${aliases.join(' → ')}`;
  return `query ${type} ${name} → ${count} record${count === 1 ? '' : 's'}${via}, TTL ${answer.ttlSeconds} s (${from})`;
}
