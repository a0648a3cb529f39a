// SMS configuration schema tests: defaults, the transport union, and refusals with their key paths.
import { strict as assert } from 'node:assert';
import { smsConfigSchema } from '../../src/sms';

describe('smsConfigSchema', () => {
  it('fills the defaults: reject oversize (IM-0030), window 10, opaque message ids', () => {
    const config = smsConfigSchema.parse({ transport: { kind: 'smpp', port: 2775, systemId: 'gw', password: 'secret' } });
    assert.deepEqual(config.text, { oversize: 'reject', maxParts: 4, prefix: '', suffix: '' });
    assert.equal(config.transport.kind, 'smpp');
    if (config.transport.kind !== 'smpp') return;
    assert.equal(config.transport.windowSize, 10);
    assert.equal(config.transport.host, '127.0.0.1');
    assert.deepEqual(config.transport.messageIds, { submitResponse: 'text', receiptText: 'text' });
    assert.deepEqual(config.transport.reconnect, { initialDelayMs: 1_000, maxDelayMs: 60_000 });
  });

  it('accepts a Kannel transport', () => {
    const config = smsConfigSchema.parse({
      text: { oversize: 'concatenate', prefix: 'IM from {sender}: ' },
      transport: { kind: 'kannel', sendsmsUrl: 'http://127.0.0.1:13013/cgi-bin/sendsms', username: 'gw', password: 'gwpw', callbackUrl: 'http://127.0.0.1:8090/kannel' },
    });
    assert.equal(config.transport.kind === 'kannel' && config.transport.dlrMask, 31);
  });

  const refusals: Array<[string, unknown, string]> = [
    ['an SMPP password over 8 characters', { transport: { kind: 'smpp', port: 2775, systemId: 'gw', password: 'much-too-long' } }, 'transport.password'],
    ['an unknown oversize policy', { text: { oversize: 'split' }, transport: { kind: 'smpp', port: 2775, systemId: 'gw', password: 'x' } }, 'text.oversize'],
    ['a window of 0', { transport: { kind: 'smpp', port: 2775, systemId: 'gw', password: 'x', windowSize: 0 } }, 'transport.windowSize'],
    ['no receipt memory (a receipt overtaking its store write would be lost)', { transport: { kind: 'smpp', port: 2775, systemId: 'gw', password: 'x', receiptMemory: { maxEntries: 0 } } }, 'transport.receiptMemory.maxEntries'],
    ['an unknown transport', { transport: { kind: 'carrier-pigeon' } }, 'transport.kind'],
    ['a non-http sendsms URL', { transport: { kind: 'kannel', sendsmsUrl: 'ftp://x/', username: 'u', password: 'p', callbackUrl: 'http://x/' } }, 'transport.sendsmsUrl'],
    ['an unknown key', { transport: { kind: 'smpp', port: 2775, systemId: 'gw', password: 'x', windw: 3 } }, 'transport'],
  ];
  for (const [name, input, path] of refusals) {
    it(`refuses ${name} at ${path}`, () => {
      const result = smsConfigSchema.safeParse(input);
      assert.equal(result.success, false);
      assert.ok(result.error?.issues.some((issue) => issue.path.join('.') === path), JSON.stringify(result.error?.issues));
    });
  }
});
