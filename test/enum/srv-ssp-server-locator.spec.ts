// Tests of SSP server location by SRV (RFC 2782, WV-SSP profile §1): statuses, name order, addresses, failures.
import { strict as assert } from 'node:assert';
import { GatewayError } from '../../src/errors';
import { createSspServerLocator } from '../../src/enum';
import { TableDnsClient, type TableEntry } from './table-dns-client';

const SRV = '_imps-server._tcp.imsp-b.test SRV';

function locator(table: Record<string, TableEntry>, srvNames?: string[]) {
  const dns = new TableDnsClient(table);
  return { dns, locator: createSspServerLocator({ dns, ...(srvNames ? { srvNames } : {}), random: () => 0 }) };
}

describe('SrvSspServerLocator', () => {
  it('orders targets and fills their A/AAAA addresses', async () => {
    const { locator: subject } = locator({
      [SRV]: { srv: [{ priority: 20, weight: 0, port: 5270, target: 'gw2.imsp-b.test' }, { priority: 10, weight: 5, port: 5269, target: 'gw.imsp-b.test' }], ttlSeconds: 600 },
      'gw.imsp-b.test A': { addresses: ['127.0.0.1'], ttlSeconds: 120 },
      'gw.imsp-b.test AAAA': { addresses: ['::1'] },
      'gw2.imsp-b.test A': { addresses: ['127.0.0.2'] },
    });
    const result = await subject.locate('IMSP-B.test.');
    assert.equal(result.domain, 'imsp-b.test');
    assert.equal(result.status, 'OK');
    assert.deepEqual(result.targets, [
      { priority: 10, weight: 5, port: 5269, target: 'gw.imsp-b.test', addresses: ['127.0.0.1', '::1'] },
      { priority: 20, weight: 0, port: 5270, target: 'gw2.imsp-b.test', addresses: ['127.0.0.2'] },
    ]);
    assert.equal(result.ttlSeconds, 120);
    assert.ok(result.trace.includes('target gw.imsp-b.test:5269 priority 10 weight 5 [127.0.0.1, ::1]'));
  });

  const statusCases: Array<{ name: string; table: Record<string, TableEntry>; status: string; ttl: number }> = [
    { name: 'a lone "." target is UNAVAILABLE', table: { [SRV]: { srv: [{ priority: 0, weight: 0, port: 0, target: '' }], ttlSeconds: 900 } }, status: 'UNAVAILABLE', ttl: 900 },
    { name: 'no name is NXDOMAIN', table: {}, status: 'NXDOMAIN', ttl: 60 },
    { name: 'the name without SRV is NODATA', table: { '_imps-server._tcp.imsp-b.test TXT': { nodata: true } }, status: 'NODATA', ttl: 60 },
  ];
  for (const testCase of statusCases) {
    it(testCase.name, async () => {
      const result = await locator(testCase.table).locator.locate('imsp-b.test');
      assert.equal(result.status, testCase.status);
      assert.deepEqual(result.targets, []);
      assert.equal(result.ttlSeconds, testCase.ttl);
    });
  }

  it('ignores a "." target listed beside real ones', async () => {
    const result = await locator({ [SRV]: { srv: [{ priority: 0, weight: 0, port: 0, target: '' }, { priority: 10, weight: 0, port: 5269, target: 'gw.imsp-b.test' }] } }).locator.locate('imsp-b.test');
    assert.deepEqual(result.targets.map((target) => target.target), ['gw.imsp-b.test']);
    assert.deepEqual(result.targets[0]?.addresses, []);
  });

  it('tries the configured SRV names in order (RFC 3861 _im._tcp after the SSP name)', async () => {
    const { dns, locator: subject } = locator(
      { '_im._tcp.imsp-b.test SRV': { srv: [{ priority: 10, weight: 0, port: 5222, target: 'im.imsp-b.test' }] } },
      ['_imps-server._tcp', '_im._tcp'],
    );
    const result = await subject.locate('imsp-b.test');
    assert.equal(result.status, 'OK');
    assert.equal(result.targets[0]?.port, 5222);
    assert.deepEqual(dns.queries.slice(0, 2), [SRV, '_im._tcp.imsp-b.test SRV']);
  });

  it('a DNS failure at one name does not hide an answer at the next, but is thrown when none answers', async () => {
    const names = ['_imps-server._tcp', '_im._tcp'];
    const found = await locator({ [SRV]: { fail: 'DNS_TIMEOUT' }, '_im._tcp.imsp-b.test SRV': { srv: [{ priority: 1, weight: 0, port: 1, target: 'x.test' }] } }, names).locator.locate('imsp-b.test');
    assert.equal(found.status, 'OK');
    await assert.rejects(
      locator({ [SRV]: { fail: 'DNS_TIMEOUT' } }, names).locator.locate('imsp-b.test'),
      (error: unknown) => error instanceof GatewayError && error.code === 'DNS_TIMEOUT',
    );
  });

  it('refuses a string that is not a domain name', async () => {
    await assert.rejects(
      locator({}).locator.locate('not a domain'),
      (error: unknown) => error instanceof GatewayError && error.code === 'SSP_DOMAIN_NOT_SUPPORTED' && error.impsStatus === 516,
    );
  });

  it('can leave address resolution to the HTTP client', async () => {
    const dns = new TableDnsClient({ [SRV]: { srv: [{ priority: 10, weight: 0, port: 5269, target: 'gw.imsp-b.test' }] } });
    const result = await createSspServerLocator({ dns, resolveAddresses: false }).locate('imsp-b.test');
    assert.equal(result.targets[0]?.addresses, undefined);
    assert.deepEqual(dns.queries, [SRV]);
  });
});
