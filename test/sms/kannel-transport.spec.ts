// KannelTransport against real Kannel 1.4.5 (bearerbox + smsbox + Node fake SMSC) on loopback ports.
import { strict as assert } from 'node:assert';
import {
  composeSms,
  KannelTransport,
  kannelTransportSchema,
  startKannelCallbackServer,
  type DeliveryReceipt,
  type KannelCallbackHandler,
  type OutboundSms,
  type RunningKannelCallbackServer,
  type SmsTextPolicy,
} from '../../src/sms';
import { freePort } from '../support/free-port';
import { startKannel, type FakeSmscLine, type RunningKannel } from '../support/kannel';
import { waitForEvent } from '../support/wait-for';
import { RecordingInbound } from './recording-inbound';

const TOKEN = 'kannel-callback-token-42';
const concatenate: SmsTextPolicy = { oversize: 'concatenate', maxParts: 4, prefix: '', suffix: '' };
let nextReference = 0;

function outbound(text: string, requestReceipt = false): OutboundSms {
  return { reference: `kannel-${++nextReference}`, from: '+4790000002', to: '+4790000001', sms: composeSms({ text }, concatenate), requestReceipt };
}

describe('KannelTransport against real Kannel', function () {
  this.timeout(30_000);
  let kannel: RunningKannel;
  let callbacks: RunningKannelCallbackServer;
  let transport: KannelTransport;
  let inbound: RecordingInbound;
  const mt: FakeSmscLine[] = [];

  /** The next `count` MT lines the fake SMSC receives from now on. */
  function nextLines(count: number): Promise<FakeSmscLine[]> {
    const start = mt.length;
    const done = () => mt.length - start >= count;
    return (done() ? Promise.resolve() : waitForEvent(kannel.fakeSmsc, 'mt', () => done())).then(() => mt.slice(start, start + count));
  }

  before(async () => {
    const route: { handler?: KannelCallbackHandler } = {};
    callbacks = await startKannelCallbackServer('127.0.0.1:0', (req, res) => (route.handler ? route.handler(req, res) : res.writeHead(503).end()));
    kannel = await startKannel({ moPostUrl: `${callbacks.url}/mo?token=${TOKEN}` });
    kannel.fakeSmsc.on('mt', (line) => mt.push(line));
    const config = kannelTransportSchema.parse({
      sendsmsUrl: kannel.sendsmsUrl,
      username: kannel.username,
      password: kannel.password,
      callbackUrl: callbacks.url,
      callbackToken: TOKEN,
    });
    transport = new KannelTransport(config);
    route.handler = transport.handleCallback;
    inbound = new RecordingInbound();
    transport.setInboundHandler(inbound);
    await transport.start();
  });

  after(async () => {
    await transport?.stop();
    await kannel?.stop();
    await callbacks?.close();
  });

  it('is connected after the start probe', () => {
    assert.equal(transport.state, 'connected');
  });

  describe('MT through sendsms', () => {
    it('GSM text arrives as one `text` line', async () => {
      const lines = nextLines(1);
      const result = await transport.submit(outbound('Hello @ £ {ok} €'));
      assert.deepEqual(result.smscMessageIds, []);
      const [line] = await lines;
      assert.deepEqual([line?.from, line?.to, line?.type, line?.text], ['+4790000002', '+4790000001', 'text', 'Hello @ £ {ok} €']);
    });

    it('UCS-2 (coding 2) arrives as one `ucs-2` line of UTF-16BE', async () => {
      const lines = nextLines(1);
      await transport.submit(outbound('Привет 😀'));
      const [line] = await lines;
      assert.equal(line?.type, 'ucs-2');
      assert.equal(line?.text, 'Привет 😀');
    });

    it('a concatenated GSM SMS arrives as `udh … data …` parts, split where composeSms split it', async () => {
      const sms = outbound('x'.repeat(152) + '€' + 'y'.repeat(10));
      assert.equal(sms.sms.segments.length, 2);
      const lines = nextLines(2);
      await transport.submit(sms);
      const parts = await lines;
      const reference = parts[0]?.udh?.[3];
      parts.forEach((line, index) => {
        assert.equal(line.type, 'udh');
        assert.equal(line.udhType, 'data');
        assert.deepEqual([...(line.udh ?? [])], [0x05, 0x00, 0x03, reference, 2, index + 1]);
        assert.equal(line.data?.toString('utf8'), sms.sms.segments[index]?.text);
      });
    });

    it('a concatenated UCS-2 SMS: 67 + 4 units of UTF-16BE', async () => {
      const sms = outbound('Ж'.repeat(71));
      const lines = nextLines(2);
      await transport.submit(sms);
      const parts = await lines;
      assert.deepEqual(parts.map((line) => line.data?.length), [134, 8]);
      assert.equal(parts.map((line) => line.data?.swap16().toString('utf16le')).join(''), sms.sms.text);
    });

    it('refuses more parts than the sendsms user allows instead of letting smsbox truncate', async () => {
      const narrow = new KannelTransport(kannelTransportSchema.parse({ sendsmsUrl: kannel.sendsmsUrl, username: 'gw', password: 'gwpw', callbackUrl: callbacks.url, maxMessages: 1 }));
      await assert.rejects(narrow.submit(outbound('z'.repeat(161))), { code: 'SMS_TOO_LONG' });
      await narrow.stop();
    });

    it('wrong credentials are a permanent rejection', async () => {
      const wrong = new KannelTransport(kannelTransportSchema.parse({ sendsmsUrl: kannel.sendsmsUrl, username: 'gw', password: 'nope', callbackUrl: callbacks.url }));
      await assert.rejects(wrong.submit(outbound('no')), { code: 'SMS_REJECTED', transient: false });
      await wrong.stop();
    });

    it('smsbox unreachable is a transient SMS_SMSC_DOWN and the state goes down', async () => {
      const url = `http://127.0.0.1:${await freePort()}/cgi-bin/sendsms`;
      const down = new KannelTransport(kannelTransportSchema.parse({ sendsmsUrl: url, username: 'gw', password: 'gwpw', callbackUrl: callbacks.url }));
      await down.start();
      assert.equal(down.state, 'disconnected');
      await assert.rejects(down.submit(outbound('no')), { code: 'SMS_SMSC_DOWN', transient: true });
      await down.stop();
    });
  });

  describe('DLR', () => {
    it('a success DLR reaches the receipt handler with our reference', async () => {
      const sms = outbound('Please confirm', true);
      const delivered = waitForEvent<DeliveryReceipt>(inbound, 'receipt', (receipt) => receipt.reference === sms.reference && receipt.state === 'delivered');
      await transport.submit(sms);
      const receipt = await delivered;
      assert.equal(receipt.transport, 'kannel');
      assert.equal(receipt.final, true);
      assert.equal(receipt.delivered, true);
      assert.equal(receipt.recipient, '+4790000001');
      assert.ok(receipt.smscMessageId, 'the fake SMSC id (%F) is reported');
    });
  });

  describe('MO through post-url', () => {
    it('a `text` MO', async () => {
      const mo = inbound.nextMo();
      kannel.fakeSmsc.sendText('4790000001', '12345', 'Reply from legacy @ home');
      const received = await mo;
      assert.deepEqual([received.from, received.to, received.text, received.smsc], ['4790000001', '12345', 'Reply from legacy @ home', 'FAKE']);
    });

    it('a `ucs2` MO arrives as UTF-16BE and is decoded', async () => {
      const mo = inbound.nextMo();
      kannel.fakeSmsc.sendUcs2('4790000001', '12345', 'Ответ 😀');
      assert.equal((await mo).text, 'Ответ 😀');
    });

    it('a two-part `udh-text` MO, out of order, is reassembled by bearerbox into one MO', async () => {
      const mo = inbound.nextMo();
      kannel.fakeSmsc.sendUdhText('4790000001', '12345', Buffer.from('050003090202', 'hex'), 'second half.');
      kannel.fakeSmsc.sendUdhText('4790000001', '12345', Buffer.from('050003090201', 'hex'), 'First half, ');
      const received = await mo;
      assert.equal(received.text, 'First half, second half.');
      assert.equal(received.concatenation, undefined);
    });
  });
});
