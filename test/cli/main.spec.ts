import { strict as assert } from 'node:assert';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/cli-io';
import { fixturePath } from '../support/paths';

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
}

describe('ssp-gateway CLI', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown command', ['teleport'], /unknown command "teleport"/],
    ['serve without --config', ['serve'], /--config is required/],
    ['serve with an unknown flag', ['serve', '--confg', 'x.yaml'], /Unknown option '--confg'/],
    ['serve with an invalid config', ['serve', '--config', fixturePath('config', 'invalid.yaml')], /ssp\.listen: .*port/],
    ['serve with a missing config file', ['serve', '--config', '/nonexistent/gw.yaml'], /cannot read config file/],
    ['send without its required flags', ['send', '--text', 'hi'], /--to, --domain and --listen are required/],
    ['sink without --domain', ['sink', '--listen', '127.0.0.1:0'], /--listen and --domain are required/],
  ];
  for (const [name, argv, message] of cases) {
    it(`exits 2 with a clear message for ${name}`, async () => {
      const io = capture();
      assert.equal(await main(argv, io), 2);
      assert.match(io.err.join('\n'), message);
    });
  }

  it('prints the command list for --help', async () => {
    const io = capture();
    assert.equal(await main(['--help'], io), 0);
    assert.match(io.out.join('\n'), /serve .*--config FILE/);
  });
});
