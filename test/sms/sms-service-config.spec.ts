// The gateway's `sms` section: sender and reply rules on top of smsConfigSchema, refused with their key paths.
import { strict as assert } from 'node:assert';
import { smsServiceSchema } from '../../src/sms';

const smpp = { kind: 'smpp', port: 2775, systemId: 'gw', password: 'secret' };
const kannel = { kind: 'kannel', sendsmsUrl: 'http://127.0.0.1:13013/cgi-bin/sendsms', username: 'gw', password: 'gwpw', callbackUrl: 'http://127.0.0.1:8090' };

describe('smsServiceSchema', () => {
  it('fills the reply defaults: a week of idle expiry and a help text', () => {
    const config = smsServiceSchema.parse({ transport: smpp, sender: { pool: ['+4790001000'] } });
    assert.equal(config.sender.mode, 'pool');
    assert.equal(config.replies.idleExpirySeconds, 7 * 86_400);
    assert.ok(config.replies.helpText.length > 0);
  });

  const refusals: Array<[string, unknown, string]> = [
    ['a pool sender without numbers', { transport: smpp, sender: { mode: 'pool' } }, 'sender.pool'],
    ['an alphanumeric sender without a name', { transport: smpp, sender: { mode: 'alphanumeric' } }, 'sender.name'],
    ['an alphanumeric name over 11 characters', { transport: smpp, sender: { mode: 'alphanumeric', name: 'TwelveLetter' } }, 'sender.name'],
    ['a pool number without +', { transport: smpp, sender: { pool: ['4790001000'] } }, 'sender.pool.0'],
    ['a Kannel transport without a callback listener', { transport: kannel, sender: { pool: ['+4790001000'] } }, 'kannelCallbackListen'],
    ['no sender section', { transport: smpp }, 'sender'],
  ];
  for (const [name, input, path] of refusals) {
    it(`refuses ${name} at ${path}`, () => {
      const result = smsServiceSchema.safeParse(input);
      assert.equal(result.success, false);
      assert.ok(result.error?.issues.some((issue) => issue.path.join('.') === path), JSON.stringify(result.error?.issues));
    });
  }
});
