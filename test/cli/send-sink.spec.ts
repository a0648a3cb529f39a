// The `sink` and `send` commands against a real gateway: sink as a separate process standing in for the core,
// send in process acting as a peer domain whose SRV record points at it.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { startGateway, type RunningGateway } from '../../src/app';
import { main } from '../../src/cli/main';
import { createLogger } from '../../src/log';
import { startDomains, type Domains } from '../support/domain-harness';
import { freePort } from '../support/free-port';
import { repoRoot } from '../support/paths';

const A = 'imsp-a.test';
const T = 'imsp-t.test';

describe('ssp-gateway sink and send', function () {
  let domains: Domains;
  let sink: ChildProcess;
  let gateway: RunningGateway;
  const lines: Array<Record<string, unknown>> = [];

  before(async () => {
    domains = await startDomains([
      { domain: A, down: true, config: { peers: [{ domain: T }] } },
      { domain: T, down: true },
    ]);
    const sinkPort = await freePort();
    const gatewayUrl = `http://127.0.0.1:${domains.portOf(A)}/`;
    sink = spawn(process.execPath, [join(repoRoot, 'dist/src/cli/main.js'), 'sink', '--listen', `127.0.0.1:${sinkPort}`, '--domain', A, '--gateway', gatewayUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: sink.stdout as NodeJS.ReadableStream }).on('line', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    await new Promise<void>((resolve) => sink.stderr?.once('data', () => resolve()));
    gateway = await startGateway({ ...domains.configOf(A), core: { ...domains.configOf(A).core, url: `http://127.0.0.1:${sinkPort}/` } }, { logger: createLogger('silent') });
  });
  after(async () => {
    await gateway?.stop();
    sink?.kill('SIGTERM');
    if (sink && sink.exitCode === null) await new Promise((resolve) => sink.once('exit', resolve));
    await domains?.stop();
  });

  it('sends a message as a peer, prints the answer as JSON, and the sink prints what the core received', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      ['send', '--to', gateway.sspUrl, '--domain', T, '--listen', `127.0.0.1:${domains.portOf(T)}`, '--gateway-domain', A,
        '--from', 'wv:tom@imsp-t.test', '--recipient', 'wv:alice@imsp-a.test', '--text', 'Hello from the CLI'],
      { stdout: (t) => out.push(t), stderr: (t) => err.push(t) },
    );
    assert.equal(code, 0, err.join('\n'));
    const printed = JSON.parse(out.join('')) as { answer: { kind: string; status: { code: number } } };
    assert.equal(printed.answer.kind, 'SendMessageResponse');
    assert.equal(printed.answer.status.code, 200);
    const received = lines.find((line) => line.type === 'SendMessageRequest');
    assert.ok(received, 'the sink printed the transaction');
    assert.equal((received.body as { content: { text: string } }).content.text, 'Hello from the CLI');
    assert.equal(received.peer, A);
  });

  it('exits 1 and prints the refusal when the gateway refuses the message', async () => {
    const out: string[] = [];
    const code = await main(
      ['send', '--to', gateway.sspUrl, '--domain', T, '--listen', `127.0.0.1:${domains.portOf(T)}`, '--gateway-domain', A,
        '--from', 'wv:mallory@imsp-a.test', '--recipient', 'wv:alice@imsp-a.test', '--text', 'spoofed'],
      { stdout: (t) => out.push(t), stderr: (t) => out.push(t) },
    );
    assert.equal(code, 1);
    assert.equal((JSON.parse(out.join('')) as { answer: { status: { code: number } } }).answer.status.code, 901);
  });
});
