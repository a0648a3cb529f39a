import { strict as assert } from 'node:assert';
import { GatewayError } from '../../src/errors';
import { checkServedFiles, loadConfigFile, parseConfig } from '../../src/config';
import { repoRoot } from '../support/paths';
import { join } from 'node:path';

const minimal = {
  domain: 'IMSP-A.test',
  ssp: { listen: '127.0.0.1:0' },
  admin: { listen: '127.0.0.1:0' },
  core: { url: 'http://127.0.0.1:7401/' },
  dns: { zoneFiles: ['zones/a.zone'] },
  store: { path: 'var/a.db' },
};

describe('config', () => {
  it('fills defaults, lowercases domains, resolves paths against the config file and freezes the result', () => {
    const config = parseConfig(minimal, '/etc/sspgw');
    assert.equal(config.domain, 'imsp-a.test');
    assert.deepEqual(config.enum.suffixes, ['e164.arpa']);
    assert.equal(config.dns.cache.maxEntries, 1_000_000);
    assert.deepEqual(config.dns.zoneFiles, ['/etc/sspgw/zones/a.zone']);
    assert.equal(config.store.path, '/etc/sspgw/var/a.db');
    assert.ok(Object.isFrozen(config.dns));
  });

  it('reports every problem at once with its key path', () => {
    assert.throws(
      () => loadConfigFile(join(repoRoot, 'fixtures/config/invalid.yaml'), {}),
      (error: unknown) => {
        assert.ok(error instanceof GatewayError);
        assert.equal(error.code, 'CONFIG_INVALID');
        for (const path of ['domain:', 'ssp.listen:', 'admin.listen:', 'core.url:', 'dns:']) assert.ok(error.message.includes(path), `mentions ${path}: ${error.message}`);
        return true;
      },
    );
  });

  it('coalesces 32 transactions per POST unless told otherwise, per peer too, and refuses 0', () => {
    const peers = [{ domain: 'imsp-b.test', maxTransactionsPerPost: 1 }];
    const config = parseConfig({ ...minimal, peers });
    assert.equal(config.ssp.maxTransactionsPerPost, 32);
    assert.equal(config.peers[0]?.maxTransactionsPerPost, 1);
    assert.throws(() => parseConfig({ ...minimal, ssp: { ...minimal.ssp, maxTransactionsPerPost: 0 } }), /ssp\.maxTransactionsPerPost/);
  });

  it('takes the DNS UDP socket pool from dns.udpPool, with the pool defaults, and refuses out-of-range values by key path', () => {
    assert.deepEqual(parseConfig(minimal).dns.udpPool, { socketsPerServer: 4, maxQueriesPerSocket: 1000, maxSocketAgeMs: 30_000 });
    const tuned = parseConfig({ ...minimal, dns: { ...minimal.dns, udpPool: { socketsPerServer: 1, maxQueriesPerSocket: 1 } } });
    assert.deepEqual(tuned.dns.udpPool, { socketsPerServer: 1, maxQueriesPerSocket: 1, maxSocketAgeMs: 30_000 });
    assert.throws(
      () => parseConfig({ ...minimal, dns: { ...minimal.dns, udpPool: { socketsPerServer: 65, maxQueriesPerSocket: 40_000 } } }),
      (error: unknown) => error instanceof GatewayError && /dns\.udpPool\.socketsPerServer/.test(error.message) && /dns\.udpPool\.maxQueriesPerSocket/.test(error.message),
    );
  });

  it('refuses, for serving, certificate and key files that cannot be read, by key path (a config error, not a crash at start)', () => {
    const peers = [{ domain: 'imsp-b.test', tls: { certFile: '/nonexistent/client.pem', keyFile: '/nonexistent/client.key' } }];
    const config = parseConfig({ ...minimal, ssp: { ...minimal.ssp, tls: { certFile: '/nonexistent/server.pem', keyFile: '/nonexistent/server.key' } }, peers });
    assert.throws(
      () => checkServedFiles(config),
      (error: unknown) =>
        error instanceof GatewayError &&
        error.code === 'CONFIG_INVALID' &&
        ['ssp.tls.certFile', 'ssp.tls.keyFile', 'peers.0.tls.certFile', 'peers.0.tls.keyFile'].every((key) => error.message.includes(`${key}: cannot read`)),
    );
  });

  it('refuses unknown keys instead of ignoring them', () => {
    assert.throws(() => parseConfig({ ...minimal, sspp: {} }), /sspp|Unrecognized/);
  });

  it('takes SSPGW__ environment overrides by key path', () => {
    const config = loadConfigFile(join(repoRoot, 'config/default.yaml'), { SSPGW__ssp__listen: '127.0.0.1:0', SSPGW__log__level: 'warn' });
    assert.equal(config.ssp.listen, '127.0.0.1:0');
    assert.equal(config.log.level, 'warn');
  });

  it('reads environment overrides as written, YAML only for numbers, booleans, lists and maps', () => {
    const config = loadConfigFile(join(repoRoot, 'config/default.yaml'), {
      SSPGW__ssp__listen: '[::1]:0',
      SSPGW__ssp__maxTransactionsPerPost: '8',
      SSPGW__core__secret: '*abc def #tail',
      SSPGW__routing__homeNumberPrefixes: '[+4790, +4791]',
      SSPGW__routing__requireAgreement: 'false',
    });
    assert.equal(config.ssp.listen, '[::1]:0');
    assert.equal(config.ssp.maxTransactionsPerPost, 8);
    assert.equal(config.core.secret, '*abc def #tail');
    assert.deepEqual(config.routing.homeNumberPrefixes, ['+4790', '+4791']);
    assert.equal(config.routing.requireAgreement, false);
    assert.equal(loadConfigFile(join(repoRoot, 'config/default.yaml'), { SSPGW__core__secret: '12345678' }).core.secret, '12345678', 'a numeric secret stays text');
    const listed = loadConfigFile(join(repoRoot, 'config/default.yaml'), { SSPGW__peers__0__secret: '12345678', SSPGW__log__level: ' debug ' });
    assert.deepEqual([listed.peers[0]?.secret, listed.log.level], ['12345678', 'debug'], 'in a list too; white space around a value dropped');
  });

  it('refuses an override that is not valid YAML where the key wants a list, naming the key', () => {
    assert.throws(
      () => loadConfigFile(join(repoRoot, 'config/default.yaml'), { SSPGW__routing__homeNumberPrefixes: '[+4790' }),
      (error: unknown) => error instanceof GatewayError && error.code === 'CONFIG_INVALID' && /routing\.homeNumberPrefixes/.test(error.message),
    );
  });

  it('loads the embedded default and every example', () => {
    for (const file of ['config/default.yaml', 'config/examples/imsp-a.test.yaml', 'config/examples/imsp-b.test.yaml', 'config/examples/imsp-a-sms.test.yaml']) {
      assert.ok(loadConfigFile(join(repoRoot, file), {}).domain.endsWith('.test'));
    }
  });
});
