// A gateway process killed with SIGKILL while a transaction waits in its queue loses nothing and delivers
// it exactly once after the restart (durable store before acknowledgement, stable outbound transactionIDs).
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSink, type RunningSink, type SinkRecord } from '../../src/app';
import { startDomains, type Domains } from '../support/domain-harness';
import { freePort } from '../support/free-port';
import { fixturePath, repoRoot } from '../support/paths';
import { messageIdOf, statusCodeOf, textMessage } from '../support/ssp-messages';
import { waitForEvent, waitUntil } from '../support/wait-for';

const A = 'imsp-a.test';
const C = 'imsp-c.test';

describe('gateway restart after SIGKILL', function () {
  this.timeout(60_000);
  let domains: Domains;
  let dir: string;
  let sinkA: RunningSink;
  let gatewayA: ChildProcess | undefined;
  let adminUrl: string;
  let configFile: string;

  async function startGatewayProcess(): Promise<ChildProcess> {
    const child = spawn(process.execPath, [join(repoRoot, 'dist/src/cli/main.js'), 'serve', '--config', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new Error(`gateway exited: ${stderr}`);
      return fetch(new URL('readyz', adminUrl)).then((r) => r.ok, () => false);
    }, 15_000, 50);
    return child;
  }

  before(async () => {
    domains = await startDomains(
      [
        { domain: A, down: true, config: { peers: [{ domain: C }], routing: { homeNumberPrefixes: ['+4790'] } } },
        { domain: C, down: true, config: { peers: [{ domain: A }] } },
      ],
      { dns: 'knot', extraZoneFiles: [fixturePath('zones', 'routing', 'e164.arpa.zone')] },
    );
    dir = mkdtempSync(join(tmpdir(), 'sspgw-restart-'));
    sinkA = await startSink({ domain: A, listen: '127.0.0.1:0', answerTimeoutMs: 3000 });
    const adminPort = await freePort();
    adminUrl = `http://127.0.0.1:${adminPort}/`;
    configFile = join(dir, 'imsp-a.yaml');
    const config = domains.configOf(A);
    writeFileSync(configFile, JSON.stringify({ ...config, admin: { listen: `127.0.0.1:${adminPort}` }, core: { url: sinkA.url }, store: { path: join(dir, 'a.db') }, log: { level: 'warn' } }));
    sinkA.setGatewayUrl(`http://127.0.0.1:${domains.portOf(A)}/`);
  });
  after(async () => {
    gatewayA?.kill('SIGTERM');
    if (gatewayA && gatewayA.exitCode === null) await new Promise((resolve) => gatewayA?.once('exit', resolve));
    await sinkA?.stop();
    await domains?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the queued transaction and delivers it once when the peer is back', async () => {
    gatewayA = await startGatewayProcess();
    const request = textMessage('wv:alice@imsp-a.test', ['wv:+4791000002'], 'survives a crash');
    const answer = await sinkA.request(A, request);
    assert.equal(statusCodeOf(answer), 200, 'accepted and queued while imsp-c.test is down');

    const killed = new Promise((resolve) => gatewayA?.once('exit', resolve));
    gatewayA.kill('SIGKILL');
    await killed;

    const c = await domains.startLater(C);
    const delivered = waitForEvent<SinkRecord>(c.sink, 'transaction', (r) => messageIdOf(r.body) === request.messageInfo.messageID, 30_000);
    gatewayA = await startGatewayProcess();
    await delivered;
    await waitUntil(async () => !/delivery_queue_depth\{target="imsp-c.test"\} [1-9]/.test(await (await fetch(new URL('metrics', adminUrl))).text()), 15_000, 100);
    const deliveries = c.sink.received.filter((r) => messageIdOf(r.body) === request.messageInfo.messageID);
    assert.equal(deliveries.length, 1);
  });
});
