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
    ['serve with a stray argument', ['serve', '--config', 'gw.yaml', 'extra'], /unexpected argument "extra"/],
    ['serve with a TLS certificate it cannot read', ['serve', '--config', fixturePath('config', 'unreadable-tls.yaml')], /ssp\.tls\.certFile: cannot read \/nonexistent\/imsp-a\.test\.pem/],
  ];
  const send = ['send', '--to', 'http://127.0.0.1:7301/', '--domain', 'imsp-b.test', '--listen', '127.0.0.1:0', '--from', 'wv:bob@imsp-b.test', '--recipient', 'wv:alice@imsp-a.test', '--text', 'hi'];
  const sendWith = (flag: string, value: string) => send.map((arg, index) => (send[index - 1] === flag ? value : arg));
  cases.push(
    ['send --listen that is no HOST:PORT', sendWith('--listen', 'garbage'), /--listen "garbage" is not HOST:PORT/],
    ['send --listen with a port over 65535', sendWith('--listen', '127.0.0.1:99999'), /is not HOST:PORT/],
    ['send --to that is no URL', sendWith('--to', 'notaurl'), /--to "notaurl" is not a URL/],
    ['send --domain that is no domain', sendWith('--domain', 'bad domain!'), /--domain "bad domain!" is not a domain name/],
    ['send --from that is no wv: user', sendWith('--from', 'nobody'), /--from "nobody" is not a wv: user id/],
    ['send --timeout-ms beyond Node timers', [...send, '--timeout-ms', '9999999999'], /--timeout-ms must be a whole number of milliseconds from 100 to 600000/],
    ['send --file that does not exist', [...send.slice(0, 7), '--file', '/nonexistent/message.xml'], /--file \/nonexistent\/message\.xml: /],
    ['sink --gateway that is no URL', ['sink', '--listen', '127.0.0.1:0', '--domain', 'imsp-a.test', '--gateway', 'notaurl'], /--gateway "notaurl" is not a URL/],
    ['sink --domain that is no domain', ['sink', '--listen', '127.0.0.1:0', '--domain', 'bad domain'], /is not a domain name/],
  );
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
