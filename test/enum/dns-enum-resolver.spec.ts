// Tests of ENUM resolution rules over a DnsClient double: suffix list, status precedence, chains, TTL, trace.
import { strict as assert } from 'node:assert';
import { GatewayError } from '../../src/errors';
import { createEnumResolver, type EnumResult, type EnumService } from '../../src/enum';
import { TableDnsClient, type TableEntry } from './table-dns-client';

const NUMBER = '+4790000001';
const ARPA = '1.0.0.0.0.0.0.9.7.4.e164.arpa';
const ENUMNET = '1.0.0.0.0.0.0.9.7.4.e164enum.net';
const IM_RECORD = { naptr: [{ regexp: '!^.*$!im:+4790000001@imsp-b.test!' }] };

async function resolveWith(
  table: Record<string, TableEntry>,
  options: { service?: EnumService; maxNonTerminalHops?: number; number?: string } = {},
): Promise<{ result: EnumResult; dns: TableDnsClient }> {
  const dns = new TableDnsClient(table);
  const resolver = createEnumResolver({ dns, suffixes: ['e164.arpa', 'e164enum.net'], maxNonTerminalHops: options.maxNonTerminalHops ?? 5, cacheMaxEntries: 100 });
  const result = await resolver.resolve(options.number ?? NUMBER, options.service ?? 'im');
  return { result, dns };
}

describe('DnsEnumResolver rules', () => {
  describe('suffix search list and status precedence', () => {
    const cases: Array<{ name: string; table: Record<string, TableEntry>; status: string; suffix: string | null; ttl: number }> = [
      { name: 'OK at the first suffix', table: { [`${ARPA} NAPTR`]: IM_RECORD }, status: 'OK', suffix: 'e164.arpa', ttl: 300 },
      { name: 'NXDOMAIN then OK', table: { [`${ENUMNET} NAPTR`]: IM_RECORD }, status: 'OK', suffix: 'e164enum.net', ttl: 60 },
      { name: 'NODATA then OK', table: { [`${ARPA} TXT`]: { nodata: true }, [`${ENUMNET} NAPTR`]: IM_RECORD }, status: 'OK', suffix: 'e164enum.net', ttl: 60 },
      {
        name: 'no usable record then OK',
        table: { [`${ARPA} NAPTR`]: { naptr: [{ services: 'E2U+sip', regexp: '!^.*$!sip:a@b.test!' }], ttlSeconds: 100 }, [`${ENUMNET} NAPTR`]: IM_RECORD },
        status: 'OK',
        suffix: 'e164enum.net',
        ttl: 100,
      },
      { name: 'NXDOMAIN everywhere', table: {}, status: 'NXDOMAIN', suffix: null, ttl: 60 },
      { name: 'NXDOMAIN and NODATA', table: { [`${ENUMNET} NAPTR`]: { nodata: true, negativeTtlSeconds: 30 } }, status: 'NODATA', suffix: null, ttl: 30 },
      {
        name: 'NO_USABLE and NXDOMAIN',
        table: { [`${ARPA} NAPTR`]: { naptr: [{ services: 'E2U+sip', regexp: '!^.*$!sip:a@b.test!' }] } },
        status: 'NO_USABLE',
        suffix: null,
        ttl: 60,
      },
      { name: 'SERVFAIL then OK', table: { [`${ARPA} NAPTR`]: { fail: 'DNS_SERVFAIL' }, [`${ENUMNET} NAPTR`]: IM_RECORD }, status: 'OK', suffix: 'e164enum.net', ttl: 300 },
      { name: 'SERVFAIL beats a negative answer', table: { [`${ARPA} NAPTR`]: { fail: 'DNS_SERVFAIL' } }, status: 'SERVFAIL', suffix: null, ttl: 0 },
      { name: 'TIMEOUT then NXDOMAIN', table: { [`${ARPA} NAPTR`]: { fail: 'DNS_TIMEOUT' } }, status: 'TIMEOUT', suffix: null, ttl: 0 },
      {
        name: 'the first failure in suffix order decides',
        table: { [`${ARPA} NAPTR`]: { fail: 'DNS_MALFORMED' }, [`${ENUMNET} NAPTR`]: { fail: 'DNS_TIMEOUT' } },
        status: 'SERVFAIL',
        suffix: null,
        ttl: 0,
      },
    ];
    for (const testCase of cases) {
      it(testCase.name, async () => {
        const { result } = await resolveWith(testCase.table);
        assert.equal(result.status, testCase.status);
        assert.equal(result.suffix, testCase.suffix);
        assert.equal(result.ttlSeconds, testCase.ttl);
        assert.equal(result.uris.length > 0, testCase.status === 'OK');
      });
    }
  });

  it('stops at the first suffix with a usable record', async () => {
    const { result, dns } = await resolveWith({ [`${ARPA} NAPTR`]: IM_RECORD, [`${ENUMNET} NAPTR`]: IM_RECORD });
    assert.deepEqual(dns.queries, [`${ARPA} NAPTR`]);
    assert.deepEqual(result.uris, ['im:+4790000001@imsp-b.test']);
  });

  it('reports the result in full: number as given, AUS, records, trace in plain words', async () => {
    const { result } = await resolveWith({ [`${ARPA} NAPTR`]: IM_RECORD }, { number: 'wv:+47 900 00 001' });
    assert.equal(result.number, 'wv:+47 900 00 001');
    assert.equal(result.aus, NUMBER);
    assert.equal(result.cached, false);
    assert.equal(result.np, null);
    assert.deepEqual(result.records, [{ order: 10, preference: 100, flags: 'u', services: 'E2U+im', regexp: '!^.*$!im:+4790000001@imsp-b.test!', replacement: '' }]);
    assert.deepEqual(result.trace, [
      `query NAPTR ${ARPA} → 1 record, TTL 300 s (from zone)`,
      'record order 10 pref 100 E2U+im: !^.*$!im:+4790000001@imsp-b.test! → im:+4790000001@imsp-b.test',
      'result OK from suffix e164.arpa: im:+4790000001@imsp-b.test (TTL 300 s)',
    ]);
  });

  it('rejects a malformed number before any DNS query (seed 001: wildcards)', async () => {
    const dns = new TableDnsClient({});
    const resolver = createEnumResolver({ dns, suffixes: ['e164.arpa'], maxNonTerminalHops: 5, cacheMaxEntries: 100 });
    await assert.rejects(resolver.resolve('+4790*', 'im'), (error: unknown) => error instanceof GatewayError && error.code === 'ENUM_REJECTED');
    assert.deepEqual(dns.queries, []);
  });

  describe('non-terminal chains (RFC 3402 §4)', () => {
    it('follows the replacement and applies the terminal regexp to the original AUS', async () => {
      const { result, dns } = await resolveWith({
        [`${ARPA} NAPTR`]: { naptr: [{ flags: '', services: '', replacement: 'numbers.carrier.test' }], ttlSeconds: 600 },
        'numbers.carrier.test NAPTR': { naptr: [{ regexp: '!^\\+47(.*)$!im:\\1@imsp-c.test!' }], ttlSeconds: 120 },
      });
      assert.equal(result.status, 'OK');
      assert.deepEqual(result.uris, ['im:90000001@imsp-c.test']);
      assert.equal(result.ttlSeconds, 120);
      assert.equal(result.records[0]?.regexp, '!^\\+47(.*)$!im:\\1@imsp-c.test!');
      assert.deepEqual(dns.queries, [`${ARPA} NAPTR`, 'numbers.carrier.test NAPTR']);
    });

    it('detects a loop', async () => {
      const { result, dns } = await resolveWith({
        [`${ARPA} NAPTR`]: { naptr: [{ flags: '', services: '', replacement: 'a.test' }] },
        'a.test NAPTR': { naptr: [{ flags: '', services: '', replacement: `${ARPA}.` }] },
      });
      assert.equal(result.status, 'LOOP');
      assert.ok(result.trace.some((line) => line === `loop: ${ARPA} was already queried in this chain`));
      assert.equal(dns.queries.filter((query) => query === `${ARPA} NAPTR`).length, 1);
    });

    it('stops at the hop limit', async () => {
      const table: Record<string, TableEntry> = { [`${ARPA} NAPTR`]: { naptr: [{ flags: '', services: '', replacement: 'hop1.test' }] } };
      for (let hop = 1; hop <= 3; hop += 1) table[`hop${hop}.test NAPTR`] = { naptr: [{ flags: '', services: '', replacement: `hop${hop + 1}.test` }] };
      table['hop4.test NAPTR'] = IM_RECORD;
      assert.equal((await resolveWith(table, { maxNonTerminalHops: 4 })).result.status, 'OK');
      const limited = await resolveWith(table, { maxNonTerminalHops: 2 });
      assert.equal(limited.result.status, 'LOOP');
      assert.ok(limited.result.trace.includes('hop limit 2 reached, not following hop3.test'));
    });

    it('a chain ending at a missing name is NO_USABLE, and the next non-terminal record is tried first', async () => {
      const { result } = await resolveWith({
        [`${ARPA} NAPTR`]: { naptr: [{ flags: '', services: '', replacement: 'gone.test' }] },
      });
      assert.equal(result.status, 'NO_USABLE');
      const second = await resolveWith({
        [`${ARPA} NAPTR`]: {
          naptr: [
            { flags: '', services: '', preference: 10, replacement: 'gone.test' },
            { flags: '', services: '', preference: 20, replacement: 'there.test' },
          ],
        },
        'there.test NAPTR': IM_RECORD,
      });
      assert.equal(second.result.status, 'OK');
    });
  });

  it('pstn:tel results carry number-portability data (RFC 4769)', async () => {
    const { result } = await resolveWith(
      { [`${ARPA} NAPTR`]: { naptr: [{ services: 'E2U+pstn:tel', regexp: '!^(.*)$!tel:\\1;npdi;rn=4791000000;rn-context=+47!' }] } },
      { service: 'pstn:tel' },
    );
    assert.equal(result.status, 'OK');
    assert.deepEqual(result.np, { npdi: true, rn: '+474791000000' });
  });

  it('cached is true only when every DNS answer came from the DNS cache', async () => {
    const dns = new TableDnsClient({ [`${ENUMNET} NAPTR`]: IM_RECORD });
    dns.source = 'cache';
    const resolver = createEnumResolver({ dns, suffixes: ['e164.arpa', 'e164enum.net'], maxNonTerminalHops: 5, cacheMaxEntries: 100 });
    const result = await resolver.resolve(NUMBER, 'im');
    assert.equal(result.cached, true);
    assert.ok(result.trace[0]?.endsWith('(from cache)'));
  });
});
