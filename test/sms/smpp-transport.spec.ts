// SmppTransport against the SMSC simulator on loopback: PDUs on the wire, receipts, MO, outages, throttling.
import { strict as assert } from 'node:assert';
import {
  ConcatReassembler,
  composeSms,
  smppTransportSchema,
  SmppTransport,
  type OutboundSms,
  type SmsTextPolicy,
} from '../../src/sms';
import { SmscSimulator } from '../support/smsc-simulator';
import { permanentError, RecordingInbound, transientError, waitForState } from './recording-inbound';

const policy = (oversize: SmsTextPolicy['oversize']): SmsTextPolicy => ({ oversize, maxParts: 4, prefix: '', suffix: '' });
let nextReference = 0;

function outbound(text: string, to = '+4790000001', requestReceipt = false, oversize: SmsTextPolicy['oversize'] = 'concatenate'): OutboundSms {
  return { reference: `ref-${++nextReference}`, from: '+4790000002', to, sms: composeSms({ text }, policy(oversize)), requestReceipt };
}

function smppConfig(port: number, overrides: Record<string, unknown> = {}) {
  return smppTransportSchema.parse({
    port,
    systemId: 'gw',
    password: 'secret',
    enquireLinkIntervalMs: 1_000,
    responseTimeoutMs: 5_000,
    reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    throttlePauseMs: 20,
    messageIds: { submitResponse: 'hex', receiptText: 'decimal' },
    ...overrides,
  });
}

describe('SmppTransport against the SMSC simulator', () => {
  let simulator: SmscSimulator;
  let transport: SmppTransport;
  let inbound: RecordingInbound;

  beforeEach(async () => {
    simulator = new SmscSimulator();
    const port = await simulator.start();
    transport = new SmppTransport(smppConfig(port));
    inbound = new RecordingInbound();
    transport.setInboundHandler(inbound);
    await transport.start();
    assert.equal(transport.state, 'connected');
  });

  afterEach(async () => {
    await transport.stop();
    await simulator.stop();
  });

  describe('MT encoding on the wire', () => {
    const cases: Array<{ name: string; text: string; dataCoding: number; octets: number }> = [
      { name: 'GSM 7-bit text', text: 'Hello @ home £5', dataCoding: 0x00, octets: 15 },
      { name: 'extension characters (2 septets each)', text: '{[€]}', dataCoding: 0x00, octets: 10 },
      { name: 'UCS-2 Cyrillic and emoji', text: 'Привет 😀', dataCoding: 0x08, octets: 18 },
    ];
    for (const { name, text, dataCoding, octets } of cases) {
      it(name, async () => {
        const result = await transport.submit(outbound(text));
        assert.equal(result.smscMessageIds.length, 1);
        const [seen] = simulator.accepted;
        assert.equal(seen?.dataCoding, dataCoding);
        assert.equal(seen?.esmClass, 0x00);
        assert.equal(seen?.udh, undefined);
        assert.equal(seen?.text, text);
        assert.equal(seen?.payloadOctets, octets);
        assert.equal(seen?.destinationAddr, '4790000001');
        assert.equal(seen?.destinationTon, 1);
        assert.equal(result.smscMessageIds[0], String(Number.parseInt(seen?.messageId ?? '', 16)));
      });
    }
  });

  describe('160 and 161 characters under each oversize policy', () => {
    const cases: Array<{ policy: SmsTextPolicy['oversize']; length: number; parts: number[] | 'rejected' }> = [
      { policy: 'reject', length: 160, parts: [160] },
      { policy: 'reject', length: 161, parts: 'rejected' },
      { policy: 'truncate', length: 160, parts: [160] },
      { policy: 'truncate', length: 161, parts: [160] },
      { policy: 'concatenate', length: 160, parts: [160] },
      { policy: 'concatenate', length: 161, parts: [153, 8] },
    ];
    for (const c of cases) {
      it(`${c.length} chars, ${c.policy}: ${c.parts === 'rejected' ? 'SMS_TOO_LONG, nothing sent' : c.parts.join(' + ') + ' septets'}`, async () => {
        const text = 'x'.repeat(c.length - 1) + 'y';
        if (c.parts === 'rejected') {
          assert.throws(() => outbound(text, undefined, false, c.policy), { code: 'SMS_TOO_LONG' });
          return assert.equal(simulator.submits.length, 0);
        }
        const result = await transport.submit(outbound(text, undefined, false, c.policy));
        const seen = simulator.accepted;
        assert.deepEqual(seen.map((submit) => submit.payloadOctets), c.parts);
        assert.equal(result.smscMessageIds.length, c.parts.length);
        assert.ok(seen.every((submit) => submit.dataCoding === 0x00));
        if (c.parts.length === 1) return assert.equal(seen[0]?.udh, undefined);
        const reference = seen[0]?.udh?.[3];
        seen.forEach((submit, index) => {
          assert.equal(submit.esmClass & 0x40, 0x40);
          assert.deepEqual([...(submit.udh ?? [])], [0x05, 0x00, 0x03, reference, 2, index + 1]);
        });
        assert.equal(seen.map((submit) => submit.text).join(''), text);
      });
    }
  });

  describe('delivery receipts', () => {
    it('a success receipt reaches the handler with the id from submit_sm_resp and our reference', async () => {
      const sms = outbound('Hi', '+4790000001', true);
      const receipt = inbound.nextReceipt();
      const result = await transport.submit(sms);
      const received = await receipt;
      assert.equal(simulator.accepted[0]?.registeredDelivery, 0x01);
      assert.equal(received.smscMessageId, result.smscMessageIds[0]);
      assert.equal(received.reference, sms.reference);
      assert.equal(received.partIndex, 0);
      assert.equal(received.state, 'delivered');
      assert.equal(received.delivered, true);
      assert.equal(received.final, true);
      assert.equal(received.recipient, '+4790000001');
    });

    it('without TLVs the decimal id of the receipt text still matches the hex submit_sm_resp id', async () => {
      simulator.receiptTlvs = false;
      const receipt = inbound.nextReceipt();
      const result = await transport.submit(outbound('Hi', '+4790000001', true));
      const received = await receipt;
      assert.match(received.rawStatus, /^id:00000\d+ /);
      assert.equal(received.smscMessageId, result.smscMessageIds[0]);
      assert.equal(received.state, 'delivered');
    });

    it('a failure receipt for a destination ending in 99', async () => {
      const receipt = inbound.nextReceipt();
      const result = await transport.submit(outbound('Hi', '+4790000099', true));
      const received = await receipt;
      assert.equal(received.smscMessageId, result.smscMessageIds[0]);
      assert.equal(received.delivered, false);
      assert.equal(received.state, 'undeliverable');
      assert.equal(received.errorCode, '001');
    });

    it('a receipt per part of a concatenated SMS, each with its part index', async () => {
      const sms = outbound('z'.repeat(200), '+4790000001', true);
      const result = await transport.submit(sms);
      await inbound.receiptCount(2);
      const byPart = new Map(inbound.receipts.map((receipt) => [receipt.partIndex, receipt.smscMessageId]));
      assert.deepEqual([byPart.get(0), byPart.get(1)], result.smscMessageIds);
    });
  });

  describe('mobile-originated SMS', () => {
    it('a single GSM MO reaches the handler and is acknowledged', async () => {
      const mo = inbound.nextMo();
      assert.equal(await simulator.injectMo({ from: '+4790000001', to: '+4712345', text: 'Reply from legacy @ home' }), 0);
      const received = await mo;
      assert.deepEqual([received.from, received.to, received.text, received.concatenation], ['+4790000001', '+4712345', 'Reply from legacy @ home', undefined]);
    });

    it('a UCS-2 MO is decoded by data_coding', async () => {
      const mo = inbound.nextMo();
      await simulator.injectMo({ from: '+4790000001', to: '+4712345', text: 'Ответ 😀', dataCoding: 0x08 });
      assert.equal((await mo).text, 'Ответ 😀');
    });

    it('a two-part MO delivered out of order is joined by the reassembler', async () => {
      await simulator.injectMo({ from: '+4790000001', to: '+4712345', text: 'second half.', udh: Buffer.from('0500032a0202', 'hex') });
      await simulator.injectMo({ from: '+4790000001', to: '+4712345', text: 'First half, ', udh: Buffer.from('0500032a0201', 'hex') });
      assert.deepEqual(inbound.mos.map((mo) => mo.concatenation), [
        { reference: 0x2a, total: 2, sequence: 2 },
        { reference: 0x2a, total: 2, sequence: 1 },
      ]);
      const reassembler = new ConcatReassembler({ timeoutMs: 60_000, maxPending: 100, clock: () => 0 });
      const joined = inbound.mos.flatMap((mo) => reassembler.add(mo));
      assert.equal(joined.length, 1);
      assert.equal(joined[0]?.text, 'First half, second half.');
      assert.equal(joined[0]?.complete, true);
    });

    it('refuses bad PDUs with an error status and keeps working', async () => {
      assert.equal(await simulator.injectDeliverSm({ source_addr: '4790000001', destination_addr: '12345', data_coding: 4, short_message: Buffer.from('00ff', 'hex') }), 0x104);
      assert.equal(await simulator.injectDeliverSm({ source_addr: '', destination_addr: '12345', short_message: 'no sender' }), 0x0a);
      assert.equal(await simulator.injectDeliverSm({ source_addr: '4790000001', esm_class: 0x04, short_message: 'stat:DELIVRD' }), 0x65);
      assert.equal(inbound.mos.length + inbound.receipts.length, 0);
      assert.equal(transport.state, 'connected');
      await transport.submit(outbound('still fine'));
    });

    it('answers RX_T_APPN when the consumer fails transiently and RX_P_APPN when it refuses', async () => {
      inbound.failNext = transientError();
      assert.equal(await simulator.injectMo({ from: '+4790000001', to: '+4712345', text: 'retry me' }), 0x64);
      inbound.failNext = permanentError();
      assert.equal(await simulator.injectMo({ from: '+4790000001', to: '+4712345', text: 'refuse me' }), 0x65);
      assert.equal(await simulator.injectMo({ from: '+4790000001', to: '+4712345', text: 'take me' }), 0x00);
      assert.deepEqual(inbound.mos.map((mo) => mo.text), ['take me']);
    });
  });

  describe('link failures', () => {
    it('SMSC down: submit rejects as transient; after the SMSC is back the link rebinds and submit works', async () => {
      await simulator.down();
      await waitForState(transport, 'disconnected');
      await assert.rejects(transport.submit(outbound('while down')), { code: 'SMS_SMSC_DOWN', transient: true });
      simulator.up();
      await waitForState(transport, 'connected');
      assert.equal(simulator.binds, 2);
      await transport.submit(outbound('after reconnect'));
      assert.deepEqual(simulator.accepted.map((submit) => submit.text), ['after reconnect']);
    });

    it('an SMSC that stops answering enquire_link is dropped and rebound', async () => {
      const port = simulator.port;
      await transport.stop();
      transport = new SmppTransport(smppConfig(port, { enquireLinkIntervalMs: 20, responseTimeoutMs: 100 }));
      await transport.start();
      const binds = simulator.binds;
      simulator.answerEnquireLink = false;
      await waitForState(transport, 'disconnected');
      simulator.answerEnquireLink = true;
      await waitForState(transport, 'connected');
      assert.ok(simulator.binds > binds, 'the transport bound again');
    });

    it('an SMSC that answers "not bound" (ESME_RINVBNDSTS) on an open connection is rebound, and the next submit works', async () => {
      const binds = simulator.binds;
      simulator.answerNext(1, 0x04);
      await assert.rejects(transport.submit(outbound('not bound')), { code: 'SMS_SMSC_DOWN', transient: true });
      while (simulator.binds === binds) await new Promise((resolve) => setTimeout(resolve, 10));
      await waitForState(transport, 'connected');
      await transport.submit(outbound('after the rebind'));
      assert.equal(simulator.accepted.at(-1)?.text, 'after the rebind');
    });

    it('a permanent submit_sm_resp error fails the message for good', async () => {
      simulator.answerNext(1, 0x0b);
      await assert.rejects(transport.submit(outbound('bad destination')), { code: 'SMS_BAD_ADDRESS', transient: false });
      simulator.answerNext(1, 0x08);
      await assert.rejects(transport.submit(outbound('system error')), { code: 'SMS_REJECTED', transient: true });
    });

    it('a wrong password leaves the transport disconnected without throwing', async () => {
      const other = new SmppTransport(smppConfig(simulator.port, { password: 'wrong' }));
      await other.start();
      assert.equal(other.state, 'disconnected');
      await assert.rejects(other.submit(outbound('no')), { code: 'SMS_SMSC_DOWN' });
      await other.stop();
    });
  });

  describe('throttling (ESME_RTHROTTLED pauses the link, then resubmits in order)', () => {
    it('a burst to one destination: every message accepted exactly once, in submission order', async () => {
      simulator.throttleNext(4);
      const texts = Array.from({ length: 12 }, (_, index) => `message ${index}`);
      await Promise.all(texts.map((text) => transport.submit(outbound(text))));
      assert.deepEqual(simulator.accepted.map((submit) => submit.text), texts);
      assert.equal(simulator.submits.filter((submit) => submit.status === 0x58).length, 4);
    });

    it('a burst to many destinations through the window: exactly once, in order per destination', async () => {
      simulator.throttleNext(7);
      const destinations = ['+4790000011', '+4790000012', '+4790000013'];
      const sent = Array.from({ length: 30 }, (_, index) => ({ to: destinations[index % 3] as string, text: `m${index}` }));
      const results = await Promise.all(sent.map(({ to, text }) => transport.submit(outbound(text, to))));
      assert.equal(results.length, 30);
      const accepted = simulator.accepted;
      assert.deepEqual(accepted.map((submit) => submit.text).sort(), sent.map(({ text }) => text).sort());
      for (const destination of destinations) {
        const order = accepted.filter((submit) => `+${submit.destinationAddr}` === destination).map((submit) => submit.text);
        assert.deepEqual(order, sent.filter(({ to }) => to === destination).map(({ text }) => text));
      }
      assert.equal(simulator.submits.filter((submit) => submit.status === 0x58).length, 7);
    });
  });
});
