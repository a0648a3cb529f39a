// SSP over HTTPS with mutual TLS: the listener's `ssp.tls` and a peer's client certificate (`peers[].tls`).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, type RunningGateway } from '../../src/app';
import { UndiciPeerClient } from '../../src/delivery';
import { createLogger } from '../../src/log';
import { encodeSspMessage } from '../../src/ssp';
import { fixturePath } from '../support/paths';
import { testConfig } from '../support/test-config';

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

describe('SSP listener over mutual TLS', function () {
  this.timeout(30_000);
  let dir: string;
  let gateway: RunningGateway;
  const keepAlive = encodeSspMessage({ kind: 'session', sessionID: 'x@imsp-b.test', transactions: [{ mode: 'Request', transactionID: 't1', body: { kind: 'KeepAliveRequest' } }] });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sspgw-tls-'));
    // A throw-away CA, a server certificate for 127.0.0.1 and a client certificate, both signed by the CA.
    openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=test-ca');
    openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=gw.imsp-a.test', '-addext', 'subjectAltName=IP:127.0.0.1');
    openssl(dir, 'x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-copy_extensions', 'copy');
    openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=gw.imsp-b.test');
    openssl(dir, 'x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '2');
    gateway = await startGateway(
      testConfig([fixturePath('zones', 'demo', 'imsp-b.test.zone')], {
        ssp: { listen: '127.0.0.1:0', tls: { certFile: join(dir, 'server.pem'), keyFile: join(dir, 'server.key'), caFile: join(dir, 'ca.pem'), requestClientCert: true } },
      }),
      { logger: createLogger('silent') },
    );
  });
  after(async () => {
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a peer that presents a certificate from the agreed CA', async () => {
    assert.match(gateway.sspUrl, /^https:/);
    const client = new UndiciPeerClient({ connectionsPerOrigin: 1, timeoutMs: 5000 });
    try {
      const result = await client.post(gateway.sspUrl, keepAlive, { tls: { certFile: join(dir, 'client.pem'), keyFile: join(dir, 'client.key'), caFile: join(dir, 'ca.pem') } });
      assert.equal(result.httpStatus, 200);
      assert.match(result.body, /code="604"/, 'an SSP answer came back over TLS (unknown session)');
    } finally {
      await client.close();
    }
  });

  it('refuses a peer without a client certificate at the TLS handshake', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = request(gateway.sspUrl, { method: 'POST', ca: readFileSync(join(dir, 'ca.pem')), headers: { 'content-type': 'application/vnd.wv.ssp+xml' } }, (res) => resolve(`HTTP ${res.statusCode}`));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.end(keepAlive);
    });
    assert.doesNotMatch(outcome, /^HTTP/, `no HTTP exchange without a client certificate (got ${outcome})`);
  });
});
