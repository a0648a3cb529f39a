// `ssp-gateway serve` in process: SIGTERM drains and stops; a SIGHUP meanwhile is handled, not fatal.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/cli-io';
import { runServeCommand } from '../../src/cli/serve-command';
import { fixturePath } from '../support/paths';
import { waitUntil } from '../support/wait-for';

describe('ssp-gateway serve', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'sspgw-serve-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a SIGHUP handler while it drains after SIGTERM (the default action would end the process), then exits 0', async () => {
    const configFile = join(dir, 'gw.json');
    const zoneFiles = ['e164.arpa.zone', join('demo', 'imsp-a.test.zone'), join('demo', 'imsp-b.test.zone')].map((file) => fixturePath('zones', file));
    writeFileSync(
      configFile,
      JSON.stringify({ domain: 'imsp-a.test', ssp: { listen: '127.0.0.1:0' }, admin: { listen: '127.0.0.1:0' }, core: { url: 'http://127.0.0.1:1/' }, dns: { zoneFiles }, store: { path: join(dir, 'gw.db') }, log: { level: 'silent' } }),
    );
    const started: string[] = [];
    const io: CliIo = { stdout: () => undefined, stderr: (text) => started.push(text) };
    const baseline = process.listenerCount('SIGHUP');
    const exit = runServeCommand(['--config', configFile], io);
    await waitUntil(async () => started.length > 0, 10_000, 10);
    process.emit('SIGTERM', 'SIGTERM');
    for (let tick = 0; tick < 5; tick += 1) await Promise.resolve();
    assert.equal(process.listenerCount('SIGHUP'), baseline + 1, 'SIGHUP handled while the gateway stops');
    assert.equal(await exit, 0);
    assert.equal(process.listenerCount('SIGHUP'), baseline, 'and released afterwards');
  });
});
