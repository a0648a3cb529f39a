// A DnsClient for ENUM benchmarks that keeps nothing: every NAPTR answer is built fresh from the queried name.
import type { DnsAnswer, DnsClient, RecordType } from '../src/dns';

/**
 * Answers `N.N.….e164.arpa NAPTR` with one terminal `E2U+im` record for the number the name encodes, as a
 * network client would after decoding a response (new strings every time), with no I/O and no memory kept.
 */
export class SyntheticEnumDns implements DnsClient {
  queries = 0;

  constructor(private readonly ttlSeconds: number) {}

  async query(name: string, type: RecordType): Promise<DnsAnswer> {
    this.queries += 1;
    const digits = name.slice(0, name.indexOf('.e164.arpa')).split('.').reverse().join('');
    if (type !== 'NAPTR' || digits === '') return { kind: 'nxdomain', negativeTtlSeconds: 60, source: 'dns' };
    const regexp = `!^.*$!im:+${digits}@imsp-b.test!`;
    return {
      kind: 'answer',
      ttlSeconds: this.ttlSeconds,
      source: 'dns',
      records: [{ name, ttlSeconds: this.ttlSeconds, data: { type: 'NAPTR', naptr: { order: 10, preference: 100, flags: 'u', services: 'E2U+im', regexp, replacement: '' } } }],
    };
  }
}

/** The `index`-th of the distinct Norwegian-looking numbers from +4790000000 on. */
export function benchNumber(index: number): string {
  return `+47${90_000_000 + index}`;
}

/** The first `count` numbers of {@link benchNumber}. */
export function benchNumbers(count: number): string[] {
  return Array.from({ length: count }, (_, index) => benchNumber(index));
}
