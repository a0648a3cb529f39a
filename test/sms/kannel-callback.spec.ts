// Kannel callback endpoint tests over HTTP on loopback: DLR/MO decoding and every refusal (bad input never crashes).
import { strict as assert } from 'node:assert';
import { connect } from 'node:net';
import { createLogger } from '../../src/log';
import { createKannelCallbackHandler, encodeDlrReference, startKannelCallbackServer, type RunningKannelCallbackServer } from '../../src/sms';
import { permanentError, RecordingInbound, transientError } from './recording-inbound';

const TOKEN = 'callback-token-0123456789';
const receivedAt = new Date('2026-11-23T12:00:00Z');

describe('Kannel callback endpoint', () => {
  let server: RunningKannelCallbackServer;
  let inbound: RecordingInbound | undefined;

  before(async () => {
    const options = { token: TOKEN, maxBodyBytes: 1024, now: () => receivedAt, logger: createLogger('silent') };
    server = await startKannelCallbackServer('127.0.0.1:0', createKannelCallbackHandler(options, () => inbound));
  });
  beforeEach(() => {
    inbound = new RecordingInbound();
  });
  after(() => server.close());

  const dlr = (query: string) => fetch(`${server.url}/dlr?token=${TOKEN}&${query}`);
  const mo = (headers: Record<string, string>, body: string | Uint8Array = 'hello', token = TOKEN) =>
    fetch(`${server.url}/mo?token=${token}`, { method: 'POST', headers: { 'content-type': 'text/plain; charset="UTF-8"', ...headers }, body });
  const sender = { 'x-kannel-from': '4790000001', 'x-kannel-to': '12345' };

  describe('DLR (dlr-url GET)', () => {
    const cases: Array<{ type: number; state: string; final: boolean; delivered: boolean }> = [
      { type: 1, state: 'delivered', final: true, delivered: true },
      { type: 2, state: 'undeliverable', final: true, delivered: false },
      { type: 4, state: 'buffered', final: false, delivered: false },
      { type: 8, state: 'submitted', final: false, delivered: false },
      { type: 16, state: 'rejected', final: true, delivered: false },
    ];
    for (const { type, state, final, delivered } of cases) {
      it(`type ${type} → ${state}`, async () => {
        const answer = type === 16 ? 'NACK/0x0000000b/Invalid Destination Address' : '';
        const response = await dlr(`type=${type}&answer=${encodeURIComponent(answer)}&to=%2B4790000001&smscid=abc-1&ref=${encodeDlrReference('msg 1/ä')}`);
        assert.equal(response.status, 200);
        assert.deepEqual(inbound?.receipts, [
          {
            transport: 'kannel',
            reference: 'msg 1/ä',
            state,
            final,
            delivered,
            rawStatus: answer,
            receivedAt,
            smscMessageId: 'abc-1',
            recipient: '+4790000001',
            ...(answer ? { errorCode: answer } : {}),
          },
        ]);
      });
    }

    const refusals: Array<[string, string, number]> = [
      ['missing ref', 'type=1', 400],
      ['garbled ref', 'type=1&ref=%25%25', 400],
      ['missing type', `ref=${encodeDlrReference('r')}`, 400],
      ['unknown type', `type=3&ref=${encodeDlrReference('r')}`, 400],
      ['non-numeric type', `type=1a&ref=${encodeDlrReference('r')}`, 400],
    ];
    for (const [name, query, status] of refusals) {
      it(`refuses ${name} with ${status} and a reason`, async () => {
        const response = await dlr(query);
        assert.equal(response.status, status);
        assert.ok((await response.text()).length > 0);
        assert.equal(inbound?.receipts.length, 0);
      });
    }

    it('refuses a wrong token with 403', async () => {
      const response = await fetch(`${server.url}/dlr?token=wrong&type=1&ref=${encodeDlrReference('r')}`);
      assert.equal(response.status, 403);
    });
  });

  describe('MO (post-url POST)', () => {
    it('UTF-8 text with Kannel headers', async () => {
      const response = await mo({ ...sender, 'x-kannel-smsc': 'FAKE', 'x-kannel-coding': '0' }, 'Reply @ home €');
      assert.equal(response.status, 200);
      assert.deepEqual(inbound?.mos, [{ transport: 'kannel', from: '4790000001', to: '12345', text: 'Reply @ home €', receivedAt, smsc: 'FAKE' }]);
    });

    it('UTF-16BE body (coding 2 without mo-recode)', async () => {
      const body = Buffer.from('Ответ 😀', 'utf16le').swap16();
      assert.equal((await mo({ ...sender, 'content-type': 'text/plain; charset="UTF-16BE"', 'x-kannel-coding': '2' }, body)).status, 200);
      assert.equal(inbound?.mos[0]?.text, 'Ответ 😀');
    });

    it('ISO-8859-1 body', async () => {
      assert.equal((await mo({ ...sender, 'content-type': 'text/plain; charset=ISO-8859-1' }, Buffer.from('caf\u00e9', 'latin1'))).status, 200);
      assert.equal(inbound?.mos[0]?.text, 'café');
    });

    it('concatenation info from a url-encoded X-Kannel-UDH', async () => {
      assert.equal((await mo({ ...sender, 'x-kannel-udh': '%05%00%03%07%02%01' }, 'First half, ')).status, 200);
      assert.deepEqual(inbound?.mos[0]?.concatenation, { reference: 7, total: 2, sequence: 1 });
    });

    const refusals: Array<[string, Record<string, string>, string | Uint8Array, number]> = [
      ['missing X-Kannel-From', { 'x-kannel-to': '12345' }, 'x', 400],
      ['missing X-Kannel-To', { 'x-kannel-from': '4790000001' }, 'x', 400],
      ['binary coding 1', { ...sender, 'x-kannel-coding': '1' }, 'x', 415],
      ['unknown charset', { ...sender, 'content-type': 'text/plain; charset=x-klingon' }, 'x', 415],
      ['invalid UTF-8', sender, Buffer.from('c328', 'hex'), 400],
      ['odd-length UTF-16BE', { ...sender, 'content-type': 'text/plain; charset=UTF-16BE' }, Buffer.from('041e04', 'hex'), 400],
      ['garbled UDH', { ...sender, 'x-kannel-udh': '%09%00%03' }, 'x', 400],
      ['body over the limit', sender, 'x'.repeat(4096), 413],
    ];
    for (const [name, headers, body, status] of refusals) {
      it(`refuses ${name} with ${status}`, async () => {
        const response = await mo(headers, body);
        assert.equal(response.status, status);
        assert.ok((await response.text()).length > 0);
        assert.equal(inbound?.mos.length, 0);
      });
    }

    it('refuses a request target that is no URL with 400, before the token check, and keeps serving', async () => {
      const { port } = new URL(server.url);
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.write('GET //[/dlr HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
        socket.once('data', (chunk) => {
          resolve(chunk.toString());
          socket.destroy();
        });
        socket.on('error', reject);
      });
      assert.match(reply, /^HTTP\/1\.1 400 /);
      assert.equal((await fetch(`${server.url}/elsewhere?token=${TOKEN}`)).status, 404, 'still serving');
    });

    it('refuses a wrong token, other paths and methods', async () => {
      assert.equal((await mo(sender, 'x', 'nope')).status, 403);
      assert.equal((await fetch(`${server.url}/elsewhere?token=${TOKEN}`)).status, 404);
      assert.equal((await fetch(`${server.url}/mo?token=${TOKEN}`)).status, 405);
      assert.equal((await fetch(`${server.url}/dlr?token=${TOKEN}`, { method: 'POST', body: 'x' })).status, 405);
    });
  });

  describe('consumer outcomes', () => {
    it('503 while no consumer is set, so smsbox can retry', async () => {
      inbound = undefined;
      assert.equal((await mo(sender)).status, 503);
    });

    it('503 on a transient consumer failure, 422 on a refusal, then 200', async () => {
      if (!inbound) throw new Error('no inbound');
      inbound.failNext = transientError();
      assert.equal((await mo(sender)).status, 503);
      inbound.failNext = permanentError();
      assert.equal((await mo(sender)).status, 422);
      assert.equal((await mo(sender)).status, 200);
      assert.equal(inbound.mos.length, 1);
    });
  });
});
