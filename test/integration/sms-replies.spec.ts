// Replies from SMS-only customers (seed 000 use case 4, IM-0050) through the SMPP simulator: reply numbers per
// conversation, last-correspondent fallback, concatenated replies out of order, help answers, and a restart.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, startSink, type RunningGateway, type RunningSink, type SinkRecord } from '../../src/app';
import type { GatewayConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { startDomains, type Domains } from '../support/domain-harness';
import { SmscSimulator, type RecordedSubmit } from '../support/smsc-simulator';
import { statusCodeOf, textMessage } from '../support/ssp-messages';
import { waitForEvent } from '../support/wait-for';

const A = 'imsp-a.test';
const ALICE = 'wv:alice@imsp-a.test';
const BOB = 'wv:bob@imsp-a.test';
const HELP = 'Replies reach IM users only. Write to them first.';

interface ReplyBody {
  messageInfo: { senderUserID?: string; recipients: Array<{ userID: string }> };
  content?: { text?: string };
}

const replyOf = (record: SinkRecord) => record.body as unknown as ReplyBody;

describe('SMS replies to IM users over SMPP', function () {
  this.timeout(30_000);
  let smsc: SmscSimulator;
  let domains: Domains;
  let dir: string;
  let sink: RunningSink;
  let gateway: RunningGateway | undefined;
  let config: GatewayConfig;

  before(async () => {
    smsc = new SmscSimulator();
    const port = await smsc.start();
    dir = mkdtempSync(join(tmpdir(), 'sspgw-sms-replies-'));
    const sms = {
      transport: { kind: 'smpp', port, systemId: 'gw', password: 'secret', reconnect: { initialDelayMs: 20, maxDelayMs: 100 } },
      sender: { mode: 'pool', pool: ['+4790001000', '+4790001001'] },
      replies: { helpText: HELP },
    };
    domains = await startDomains([{ domain: A, down: true, config: { routing: { smsOnly: { numberPrefixes: ['+4799'] } }, sms, store: { path: join(dir, 'a.db') } } }]);
    sink = await startSink({ domain: A, listen: '127.0.0.1:0', answerTimeoutMs: 3000 });
    config = { ...domains.configOf(A), core: { ...domains.configOf(A).core, url: sink.url } };
    gateway = await startGateway(config, { logger: createLogger('silent') });
    sink.setGatewayUrl(gateway.sspUrl);
  });
  after(async () => {
    await gateway?.stop();
    await sink?.stop();
    await domains?.stop();
    await smsc?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** IM from `from` to the customer; resolves with the SMS the simulator accepted. */
  async function write(from: string, customer: string, text: string): Promise<RecordedSubmit> {
    const submitted = waitForEvent<RecordedSubmit>(smsc, 'submit', (s) => s.destinationAddr === customer.slice(1) && s.text === text);
    assert.equal(statusCodeOf(await sink.request(A, textMessage(from, [`wv:${customer}`], text, false))), 200);
    return submitted;
  }

  /** MO from `customer` to `to`; resolves with the IM the core received and the deliver_sm_resp status. */
  async function reply(customer: string, to: string, text: string): Promise<{ status: number; im: ReplyBody }> {
    const arrived = waitForEvent<SinkRecord>(sink, 'transaction', (r) => r.type === 'SendMessageRequest' && replyOf(r).content?.text === text);
    const status = await smsc.injectMo({ from: customer, to, text });
    return { status, im: replyOf(await arrived) };
  }

  it("delivers the customer's reply to the IM user who wrote, from wv:+MSISDN", async () => {
    const sms = await write(ALICE, '+4799000001', 'Dinner at 8?');
    assert.equal(sms.sourceAddr, '4790001000');
    const { status, im } = await reply('+4799000001', '+4790001000', 'Yes, see you');
    assert.equal(status, 0);
    assert.equal(im.messageInfo.senderUserID, 'wv:+4799000001');
    assert.deepEqual(im.messageInfo.recipients.map((r) => r.userID), [ALICE]);
  });

  it('gives a second IM user another reply number, so the customer can answer both', async () => {
    const sms = await write(BOB, '+4799000001', 'Bob here');
    assert.equal(sms.sourceAddr, '4790001001');
    assert.deepEqual((await reply('+4799000001', '+4790001001', 'Hi Bob')).im.messageInfo.recipients.map((r) => r.userID), [BOB]);
    assert.deepEqual((await reply('+4799000001', '+4790001000', 'Hi Alice')).im.messageInfo.recipients.map((r) => r.userID), [ALICE]);
  });

  it("falls back to the customer's last correspondent for a number outside their conversations", async () => {
    await write(BOB, '+4799000001', 'Bob again');
    const { im } = await reply('+4799000001', '+4790009999', 'to some other number');
    assert.deepEqual(im.messageInfo.recipients.map((r) => r.userID), [BOB]);
  });

  it('joins a two-part reply that arrives out of order into one IM', async () => {
    await write(ALICE, '+4799000002', 'Long answer please');
    const first = 'x'.repeat(153);
    const arrived = waitForEvent<SinkRecord>(sink, 'transaction', (r) => r.type === 'SendMessageRequest' && replyOf(r).content?.text === `${first}the end`);
    const udh = (sequence: number) => Buffer.from([0x05, 0x00, 0x03, 0x42, 0x02, sequence]);
    assert.equal(await smsc.injectMo({ from: '+4799000002', to: '+4790001000', text: 'the end', udh: udh(2) }), 0);
    assert.equal(await smsc.injectMo({ from: '+4799000002', to: '+4790001000', text: first, udh: udh(1) }), 0);
    assert.deepEqual(replyOf(await arrived).messageInfo.recipients.map((r) => r.userID), [ALICE]);
    assert.equal(sink.received.filter((r) => replyOf(r).content?.text?.startsWith('xxx')).length, 1);
  });

  it('answers an SMS that matches no conversation with the help text instead of dropping it', async () => {
    const help = waitForEvent<RecordedSubmit>(smsc, 'submit', (s) => s.destinationAddr === '4799000077');
    assert.equal(await smsc.injectMo({ from: '+4799000077', to: '+4790001000', text: 'who is this?' }), 0);
    const sms = await help;
    assert.equal(sms.text, HELP);
    assert.equal(sms.sourceAddr, '4790001000');
    assert.match((await gateway?.metrics.registry.metrics()) ?? '', /sms_mo_total\{outcome="unmatched"\} 1/);
  });

  it('acknowledges a reply while our core is down and delivers it once the core is back', async () => {
    await write(ALICE, '+4799000004', 'Are you there?');
    const corePort = new URL(sink.url).port;
    await sink.stop();
    assert.equal(await smsc.injectMo({ from: '+4799000004', to: '+4790001000', text: 'queued reply' }), 0, 'stored, then acknowledged');
    sink = await startSink({ domain: A, listen: `127.0.0.1:${corePort}`, answerTimeoutMs: 3000 });
    sink.setGatewayUrl(gateway?.sspUrl ?? '');
    const arrived = await waitForEvent<SinkRecord>(sink, 'transaction', (r) => r.type === 'SendMessageRequest' && replyOf(r).content?.text === 'queued reply', 20_000);
    assert.deepEqual(replyOf(arrived).messageInfo.recipients.map((r) => r.userID), [ALICE]);
  });

  it('still delivers a reply to the right IM user after a gateway restart', async () => {
    await write(ALICE, '+4799000003', 'Before the restart');
    await gateway?.stop();
    gateway = undefined;
    const bound = waitForEvent(smsc, 'bound', () => true);
    gateway = await startGateway(config, { logger: createLogger('silent') });
    await bound;
    const { im } = await reply('+4799000003', '+4790001000', 'After the restart');
    assert.deepEqual(im.messageInfo.recipients.map((r) => r.userID), [ALICE]);
  });
});
