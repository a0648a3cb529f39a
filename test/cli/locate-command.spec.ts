// Tests of `ssp-gateway locate`, run in process against the fixture zone and a real knotd: JSON, table, exit codes.
import { strict as assert } from 'node:assert';
import type { CliIo } from '../../src/cli/cli-io';
import { runLocateCommand } from '../../src/cli/locate-command';
import { startKnotServer, type KnotServer } from '../support/knot-server';
import { fixturePath } from '../support/paths';

const ZONE = fixturePath('zones', 'enum', 'locate.test.zone');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
  const code = await runLocateCommand(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function runJson(args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  const { code, out } = await run([...args, '--json']);
  return { code, json: JSON.parse(out) as Record<string, unknown> };
}

interface Target {
  priority: number;
  weight: number;
  port: number;
  target: string;
  addresses?: string[];
}

function checkOk(json: Record<string, unknown>): void {
  assert.deepEqual(Object.keys(json), ['domain', 'status', 'targets', 'ttl']);
  assert.equal(json.status, 'OK');
  assert.equal(json.ttl, 600);
  const targets = json.targets as Target[];
  // Priority 10 comes first in a weighted-random order, the priority-20 backup last.
  assert.deepEqual(targets.slice(0, 2).map((target) => target.target).sort(), ['gw1.imsp-x.locate.test', 'gw2.imsp-x.locate.test']);
  assert.deepEqual(targets[2], { priority: 20, weight: 0, port: 7003, target: 'backup.imsp-x.locate.test', addresses: ['127.0.0.3'] });
  assert.deepEqual(targets.find((target) => target.port === 7001)?.addresses, ['127.0.0.1', '::1']);
}

describe('ssp-gateway locate', () => {
  it('prints the ordered targets as JSON', async () => {
    const { code, json } = await runJson(['imsp-x.locate.test', '--zone', ZONE]);
    assert.equal(code, 0);
    checkOk(json);
  });

  const statusCases: Array<[string, string[], string]> = [
    ['UNAVAILABLE for a lone "." target', ['down.locate.test'], 'UNAVAILABLE'],
    ['NODATA for an SRV name without SRV records', ['empty.locate.test'], 'NODATA'],
    ['NXDOMAIN for a domain that does not exist', ['nowhere.locate.test'], 'NXDOMAIN'],
    ['OK through --srv _im._tcp', ['im-only.locate.test', '--srv', '_imps-server._tcp', '--srv', '_im._tcp'], 'OK'],
  ];
  for (const [name, args, status] of statusCases) {
    it(`${name}, exit 0`, async () => {
      const { code, json } = await runJson([...args, '--zone', ZONE]);
      assert.equal(code, 0);
      assert.equal(json.status, status);
    });
  }

  it('prints a readable table without --json', async () => {
    const { out } = await run(['imsp-x.locate.test', '--zone', ZONE]);
    assert.match(out, /^status {2}OK$/m);
    assert.match(out, /^ {8}20 {8}0 {7}7003 {3}backup\.imsp-x\.locate\.test +127\.0\.0\.3$/m);
  });

  it('exits 2 for a string that is not a domain name, or bad flags', async () => {
    assert.equal((await run(['not a domain', '--zone', ZONE])).code, 2);
    const { code, err } = await run(['imsp-x.locate.test']);
    assert.equal(code, 2);
    assert.match(err, /give --dns HOST:PORT, --zone FILE or --config FILE/);
    for (const srv of ['a..b', '', `_${'x'.repeat(70)}._tcp`]) {
      const bad = await run(['imsp-x.locate.test', '--zone', ZONE, '--srv', srv]);
      assert.deepEqual([bad.code, /--srv .* is no DNS name/.test(bad.err)], [2, true], `--srv ${JSON.stringify(srv)}: ${bad.err}`);
    }
  });

  it('exits 1 when DNS fails', async () => {
    const { code, json } = await runJson(['other.example', '--zone', ZONE]);
    assert.equal(code, 1);
    assert.equal(json.status, 'SERVFAIL');
  });

  describe('against a real knotd', () => {
    let knot: KnotServer | undefined;
    before(async () => {
      knot = await startKnotServer([ZONE]);
    });
    after(async () => {
      await knot?.stop();
    });

    it('locates over the network', async () => {
      const { code, json } = await runJson(['imsp-x.locate.test', '--dns', (knot as KnotServer).address]);
      assert.equal(code, 0);
      checkOk(json);
    });
  });
});
