// Tests of `ssp-gateway enum`, run in process: JSON and table output, exit codes, flags, config, zone files, knotd.
import { strict as assert } from 'node:assert';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CliIo } from '../../src/cli/cli-io';
import { runEnumCommand } from '../../src/cli/enum-command';
import { startKnotServer, type KnotServer } from '../support/knot-server';
import { fixturePath } from '../support/paths';

const ZONES = ['6.4.e164.arpa.zone', 'e164enum.test.zone', 'carrier.test.zone'].map((file) => fixturePath('zones', 'enum', file));
const ZONE_FLAGS = ZONES.flatMap((file) => ['--zone', file]);
const SUFFIX_FLAGS = ['--suffix', 'e164.arpa', '--suffix', 'e164enum.test'];

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
  const code = await runEnumCommand(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function runJson(args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  const { code, out } = await run([...args, '--json']);
  return { code, json: JSON.parse(out) as Record<string, unknown> };
}

describe('ssp-gateway enum', () => {
  it('prints the result as JSON with the stable field set', async () => {
    const { code, json } = await runJson(['+46700000001', ...ZONE_FLAGS, ...SUFFIX_FLAGS]);
    assert.equal(code, 0);
    assert.deepEqual(Object.keys(json), ['number', 'aus', 'service', 'status', 'uris', 'suffix', 'ttl', 'np', 'records', 'cached', 'trace']);
    assert.equal(json.status, 'OK');
    assert.deepEqual(json.uris, ['im:+46700000001@imsp-b.test']);
    assert.equal(json.suffix, 'e164.arpa');
    assert.equal(json.ttl, 600);
    assert.equal(json.cached, false);
    assert.deepEqual(json.records, [{ order: 10, preference: 100, flags: 'u', services: 'E2U+im', regexp: '!^.*$!im:+46700000001@imsp-b.test!', replacement: '' }]);
    assert.match((json.trace as string[])[0] ?? '', /^number \+46700000001: /);
  });

  it('reads --service, and np for pstn:tel', async () => {
    const { json } = await runJson(['tel:+46-700-000-009', '--service', 'pstn:tel', ...ZONE_FLAGS]);
    assert.equal(json.service, 'pstn:tel');
    assert.equal(json.number, 'tel:+46-700-000-009');
    assert.equal(json.aus, '+46700000009');
    assert.deepEqual(json.np, { npdi: true, rn: '+4691000000' });
  });

  it('exits 0 for a completed negative answer', async () => {
    const { code, json } = await runJson(['+46700000099', ...ZONE_FLAGS, ...SUFFIX_FLAGS]);
    assert.equal(code, 0);
    assert.equal(json.status, 'NXDOMAIN');
    assert.equal(json.ttl, 60);
  });

  it('--suffix replaces the search list', async () => {
    const { json } = await runJson(['+46700000002', ...ZONE_FLAGS, '--suffix', 'e164enum.test']);
    assert.equal(json.suffix, 'e164enum.test');
  });

  it('refuses a number that is not E.164 with {"status":"REJECTED"} and exit 2, before any DNS set-up', async () => {
    const { code, json } = await runJson(['+4790*']);
    assert.equal(code, 2);
    assert.equal(json.status, 'REJECTED');
    assert.match(String(json.error), /wildcard character '\*' is refused/);
  });

  describe('exits 2 with a clear message for bad usage', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['no number', [...ZONE_FLAGS], /give exactly one number/],
      ['two numbers', ['+4790000001', '+4790000002', ...ZONE_FLAGS], /give exactly one number/],
      ['an unknown service', ['+4790000001', '--service', 'mms', ...ZONE_FLAGS], /--service must be one of/],
      ['an unknown flag', ['+4790000001', '--dnss', '127.0.0.1:53'], /Unknown option '--dnss'/],
      ['no DNS source', ['+4790000001'], /give --dns HOST:PORT, --zone FILE or --config FILE/],
      ['a bad server', ['+4790000001', '--dns', 'localhost'], /HOST:PORT/],
      ['a bad suffix', ['+4790000001', ...ZONE_FLAGS, '--suffix', 'not a name'], /--suffix: /],
      ['a missing zone file', ['+4790000001', '--zone', '/nonexistent/x.zone'], /x\.zone/],
      ['a missing config file', ['+4790000001', '--config', '/nonexistent/gw.yaml'], /cannot read config file/],
    ];
    for (const [name, args, message] of cases) {
      it(name, async () => {
        const { code, err } = await run(args);
        assert.equal(code, 2);
        assert.match(err, message);
        assert.match(err, /usage: ssp-gateway enum|config|zone/);
      });
    }
  });

  it('exits 1 on SERVFAIL (a name under no zone we answer for)', async () => {
    const { code, json } = await runJson(['+46700000001', '--zone', ZONES[2] as string]);
    assert.equal(code, 1);
    assert.equal(json.status, 'SERVFAIL');
  });

  it('prints a readable table without --json', async () => {
    const { code, out } = await run(['+46700000007', ...ZONE_FLAGS]);
    assert.equal(code, 0);
    assert.match(out, /^status {3}OK$/m);
    assert.match(out, /^uris {5}im:first@imsp-b\.test$/m);
    assert.match(out, /^ {9}im:second@imsp-b\.test$/m);
    assert.match(out, /^records {2}order/m);
    assert.match(out, /^ {2}record order 10 pref 100 E2U\+im: .* → im:first@imsp-b\.test$/m);
  });

  describe('with --config', () => {
    let dir: string;
    let silent: Socket;
    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'enum-cli-'));
      silent = createSocket('udp4');
      await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    });
    after(async () => {
      silent.close();
      await rm(dir, { recursive: true, force: true });
    });

    async function writeConfig(dns: string, enumSection: string): Promise<string> {
      const file = path.join(dir, `gw-${Math.random().toString(36).slice(2)}.yaml`);
      const text = [
        'domain: imsp-a.test',
        'ssp: { listen: "127.0.0.1:0" }',
        'admin: { listen: "127.0.0.1:0" }',
        'core: { url: "http://127.0.0.1:1/" }',
        `dns: ${dns}`,
        `enum: ${enumSection}`,
        'store: { path: ":memory:" }',
      ].join('\n');
      await writeFile(file, text);
      return file;
    }

    it('uses the dns and enum sections of the gateway config', async () => {
      const config = await writeConfig(`{ zoneFiles: ${JSON.stringify(ZONES)} }`, '{ suffixes: [e164.arpa, e164enum.test] }');
      const { json } = await runJson(['+46700000004', '--config', config]);
      assert.equal(json.suffix, 'e164enum.test');
    });

    it('flags override the config', async () => {
      const config = await writeConfig(`{ zoneFiles: ${JSON.stringify(ZONES)} }`, '{ suffixes: [e164.arpa, e164enum.test] }');
      const { json } = await runJson(['+46700000004', '--config', config, '--suffix', 'e164.arpa']);
      assert.equal(json.status, 'NO_USABLE');
    });

    it('exits 1 on TIMEOUT when the server never answers', async () => {
      const port = silent.address().port;
      const config = await writeConfig(`{ servers: ["127.0.0.1:${port}"], timeoutMs: 100, attempts: 1 }`, '{ suffixes: [e164.arpa] }');
      const { code, json } = await runJson(['+46700000001', '--config', config]);
      assert.equal(code, 1);
      assert.equal(json.status, 'TIMEOUT');
    });
  });

  describe('against a real knotd', () => {
    let knot: KnotServer | undefined;
    before(async () => {
      knot = await startKnotServer(ZONES);
    });
    after(async () => {
      await knot?.stop();
    });

    it('resolves over the network', async () => {
      const { code, json } = await runJson(['+46700000005', '--dns', (knot as KnotServer).address, ...SUFFIX_FLAGS]);
      assert.equal(code, 0);
      assert.deepEqual(json.uris, ['im:700000005@imsp-c.test']);
      assert.match((json.trace as string[]).join('\n'), new RegExp(`from dns ${(knot as KnotServer).address}`));
    });
  });
});
