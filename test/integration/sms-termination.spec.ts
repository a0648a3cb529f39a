// IM → SMS against the SMPP simulator (issue 5): encodings, oversize policies, receipts as DeliveryStatusReports,
// agreements for peers, SMSC outages and throttling (seed 000 use case 2, IM-0030).
import { strict as assert } from 'node:assert';
import type { SinkRecord } from '../../src/app';
import { startDomains, type Domains } from '../support/domain-harness';
import { SmscSimulator, type RecordedSubmit } from '../support/smsc-simulator';
import { messageIdOf, statusCodeOf, textMessage } from '../support/ssp-messages';
import { waitForEvent, waitUntil } from '../support/wait-for';

const A = 'imsp-a.test';
const B = 'imsp-b.test';
const C = 'imsp-c.test';
const TRUNCATE = 'imsp-t.test';
const CONCATENATE = 'imsp-k.test';

/** The `sms` section of a gateway bound to the simulator, with fast reconnects and throttle pauses. */
function smsConfig(port: number, pool: string[], oversize: 'reject' | 'truncate' | 'concatenate') {
  return {
    text: { oversize },
    transport: { kind: 'smpp', port, systemId: 'gw', password: 'secret', reconnect: { initialDelayMs: 20, maxDelayMs: 100 }, throttlePauseMs: 20, enquireLinkIntervalMs: 1000 },
    sender: { mode: 'pool', pool },
  };
}

const smsOnly = { smsOnly: { numberPrefixes: ['+4799'] } };

describe('IM to SMS-only customers over SMPP', function () {
  this.timeout(30_000);
  /** The SMSC of A; the oversize-policy gateways bind to `policySmsc` (MO goes to the last ESME bound). */
  let smsc: SmscSimulator;
  let policySmsc: SmscSimulator;
  let domains: Domains;
  const simulatorOf = (domain: string) => (domain === A ? smsc : policySmsc);

  before(async () => {
    smsc = new SmscSimulator();
    const port = await smsc.start();
    policySmsc = new SmscSimulator();
    const policyPort = await policySmsc.start();
    const toA = { numberRoutes: [{ prefix: '+4799', domain: A }] };
    domains = await startDomains([
      { domain: A, config: { routing: smsOnly, peers: [{ domain: B, allowSms: true }, { domain: C }], sms: smsConfig(port, ['+4790001000', '+4790001001'], 'reject') } },
      { domain: B, config: { routing: toA, peers: [{ domain: A }] } },
      { domain: C, config: { routing: toA, peers: [{ domain: A }] } },
      { domain: TRUNCATE, config: { routing: smsOnly, sms: smsConfig(policyPort, ['+4790002000'], 'truncate') } },
      { domain: CONCATENATE, config: { routing: smsOnly, sms: smsConfig(policyPort, ['+4790003000'], 'concatenate') } },
    ]);
  });
  after(async () => {
    await domains?.stop();
    await smsc?.stop();
    await policySmsc?.stop();
  });

  /** Send an IM from `domain`'s core and return its answer status and the SMS the simulator accepted for `to`. */
  async function sendAndCapture(domain: string, from: string, to: string, text: string): Promise<{ status?: number; submits: RecordedSubmit[] }> {
    const simulator = simulatorOf(domain);
    const before = simulator.submits.length;
    const number = to.replace(/^wv:\+/, '');
    const status = statusCodeOf(await domains.get(domain).sink.request(domain, textMessage(from, [to], text)));
    return { ...(status === undefined ? {} : { status }), submits: simulator.submits.slice(before).filter((s) => s.destinationAddr === number) };
  }

  it('sends a GSM 7-bit SMS from the pool number to the customer and answers 200', async () => {
    const { status, submits } = await sendAndCapture(A, 'wv:alice@imsp-a.test', 'wv:+4799000001', 'Hello from IM');
    assert.equal(status, 200);
    assert.equal(submits.length, 1);
    const [sms] = submits as [RecordedSubmit];
    assert.equal(sms.sourceAddr, '4790001000');
    assert.equal(sms.dataCoding, 0x00);
    assert.equal(sms.text, 'Hello from IM');
    assert.equal(sms.registeredDelivery & 0x01, 1);
  });

  it('keeps GSM extension characters in 7-bit, two septets each', async () => {
    const text = 'Pris: 10€ {ok} [x] ~^|\\';
    const { submits } = await sendAndCapture(A, 'wv:alice@imsp-a.test', 'wv:+4799000002', text);
    assert.equal(submits[0]?.dataCoding, 0x00);
    assert.equal(submits[0]?.text, text);
    assert.equal(submits[0]?.payloadOctets, [...text].length + 9);
  });

  it('sends UCS-2 when a character is outside the GSM alphabet', async () => {
    const text = 'Hei ✓ 你好';
    const { submits } = await sendAndCapture(A, 'wv:alice@imsp-a.test', 'wv:+4799000003', text);
    assert.equal(submits[0]?.dataCoding, 0x08);
    assert.equal(submits[0]?.text, text);
  });

  it('under "reject" sends 160 characters as one SMS and refuses 161 with 402, sending nothing', async () => {
    const ok = await sendAndCapture(A, 'wv:alice@imsp-a.test', 'wv:+4799000004', 'a'.repeat(160));
    assert.equal(ok.submits.length, 1);
    assert.equal(ok.submits[0]?.text.length, 160);
    const refused = await sendAndCapture(A, 'wv:alice@imsp-a.test', 'wv:+4799000005', 'a'.repeat(161));
    assert.equal(refused.status, 402);
    assert.equal(refused.submits.length, 0);
  });

  it('under "truncate" sends the first 160 characters of 161 as one SMS', async () => {
    const { status, submits } = await sendAndCapture(TRUNCATE, 'wv:alice@imsp-t.test', 'wv:+4799000006', `${'b'.repeat(160)}c`);
    assert.equal(status, 200);
    assert.deepEqual(submits.map((s) => s.text), ['b'.repeat(160)]);
  });

  it('under "concatenate" sends 161 characters as two parts with one concatenation reference', async () => {
    const { status, submits } = await sendAndCapture(CONCATENATE, 'wv:alice@imsp-k.test', 'wv:+4799000007', `${'d'.repeat(160)}e`);
    assert.equal(status, 200);
    assert.equal(submits.length, 2);
    assert.equal(submits.map((s) => s.text).join(''), `${'d'.repeat(160)}e`);
    assert.ok(submits.every((s) => s.esmClass & 0x40 && s.udh));
    assert.equal(submits[0]?.udh?.[3], submits[1]?.udh?.[3], 'same reference');
    assert.deepEqual(submits.map((s) => [s.udh?.[4], s.udh?.[5]]), [[2, 1], [2, 2]]);
  });

  it('under "concatenate" sends 71 UCS-2 characters as 67 + 4, and 70 as one SMS', async () => {
    const two = await sendAndCapture(CONCATENATE, 'wv:alice@imsp-k.test', 'wv:+4799000008', 'Ж'.repeat(71));
    assert.deepEqual(two.submits.map((s) => [s.dataCoding, s.text.length]), [[0x08, 67], [0x08, 4]]);
    const one = await sendAndCapture(CONCATENATE, 'wv:alice@imsp-k.test', 'wv:+4799000009', 'Ж'.repeat(70));
    assert.deepEqual(one.submits.map((s) => [s.dataCoding, s.text.length, s.udh === undefined]), [[0x08, 70, true]]);
  });

  it('reports a concatenated SMS once, after the receipts of all its parts', async () => {
    const sink = domains.get(CONCATENATE).sink;
    const request = textMessage('wv:alice@imsp-k.test', ['wv:+4799000012'], 'p'.repeat(200));
    const reported = (r: SinkRecord) => r.type === 'DeliveryStatusReport' && messageIdOf(r.body) === request.messageInfo.messageID;
    const report = waitForEvent<SinkRecord>(sink, 'transaction', reported);
    const receipts = () => policySmsc.accepted.filter((s) => s.destinationAddr === '4799000012').length;
    await sink.request(CONCATENATE, request);
    assert.equal(((await report).body as { result: { code: number } }).result.code, 200);
    assert.equal(receipts(), 2);
    assert.equal(sink.received.filter(reported).length, 1);
  });

  // Parts may be accepted out of order when some are throttled and others are already in the window; the
  // handset reassembles by UDH sequence number (TS 23.040 §9.2.3.24.1), so each part must arrive exactly once.
  it('loses and duplicates no part of a throttled concatenated SMS', async () => {
    policySmsc.throttleNext(2);
    const text = `${'q'.repeat(153)}${'r'.repeat(153)}s`;
    const { status, submits } = await sendAndCapture(CONCATENATE, 'wv:alice@imsp-k.test', 'wv:+4799000013', text);
    assert.equal(status, 200);
    const accepted = submits.filter((s) => s.status === 0).sort((a, b) => (a.udh?.[5] ?? 0) - (b.udh?.[5] ?? 0));
    assert.deepEqual(accepted.map((s) => s.udh?.[5]), [1, 2, 3]);
    assert.equal(new Set(accepted.map((s) => s.udh?.[3])).size, 1, 'one concatenation reference');
    assert.equal(accepted.map((s) => s.text).join(''), text);
    assert.ok(submits.some((s) => s.status === 0x58), 'the simulator throttled');
  });

  it('turns the delivery receipt into a DeliveryStatusReport to the IM sender: delivered', async () => {
    const request = textMessage('wv:alice@imsp-a.test', ['wv:+4799000010'], 'report me');
    const sink = domains.get(A).sink;
    const report = waitForEvent<SinkRecord>(sink, 'transaction', (r) => r.type === 'DeliveryStatusReport' && messageIdOf(r.body) === request.messageInfo.messageID);
    assert.equal(statusCodeOf(await sink.request(A, request)), 200);
    const body = (await report).body as { result: { code: number }; messageInfo: { senderUserID: string; recipients: Array<{ userID: string }> } };
    assert.equal(body.result.code, 200);
    assert.equal(body.messageInfo.senderUserID, 'wv:alice@imsp-a.test');
    assert.deepEqual(body.messageInfo.recipients.map((r) => r.userID), ['wv:+4799000010']);
  });

  it('turns a failure receipt into a failed DeliveryStatusReport', async () => {
    const request = textMessage('wv:alice@imsp-a.test', ['wv:+4799000099'], 'will fail');
    const sink = domains.get(A).sink;
    const report = waitForEvent<SinkRecord>(sink, 'transaction', (r) => r.type === 'DeliveryStatusReport' && messageIdOf(r.body) === request.messageInfo.messageID);
    await sink.request(A, request);
    const body = (await report).body as { result: { code: number; description?: string } };
    assert.equal(body.result.code, 538);
    assert.match(body.result.description ?? '', /undeliverable/);
  });

  it('sends no report when the IM did not ask for one', async () => {
    const request = textMessage('wv:alice@imsp-a.test', ['wv:+4799000011'], 'no report', false);
    const submitted = waitForEvent<RecordedSubmit>(smsc, 'submit', (s) => s.destinationAddr === '4799000011');
    await domains.get(A).sink.request(A, request);
    assert.equal((await submitted).registeredDelivery & 0x01, 0);
    assert.equal(domains.get(A).sink.received.filter((r) => messageIdOf(r.body) === request.messageInfo.messageID).length, 0);
  });

  it('lets a peer whose agreement allows SMS reach the customer; report and reply go back to the peer', async () => {
    const request = textMessage('wv:bob@imsp-b.test', ['wv:+4799000020'], 'from a peer');
    const sinkB = domains.get(B).sink;
    const report = waitForEvent<SinkRecord>(sinkB, 'transaction', (r) => r.type === 'DeliveryStatusReport' && messageIdOf(r.body) === request.messageInfo.messageID);
    const submitted = waitForEvent<RecordedSubmit>(smsc, 'submit', (s) => s.destinationAddr === '4799000020');
    assert.equal(statusCodeOf(await sinkB.request(B, request)), 200);
    assert.equal((await submitted).text, 'from a peer');
    assert.equal(((await report).body as { result: { code: number } }).result.code, 200);
    const reply = waitForEvent<SinkRecord>(sinkB, 'transaction', (r) => r.type === 'SendMessageRequest' && (r.body as { content?: { text?: string } }).content?.text === 'reply to a peer');
    assert.equal(await smsc.injectMo({ from: '+4799000020', to: `+${(await submitted).sourceAddr}`, text: 'reply to a peer' }), 0);
    const im = (await reply).body as { messageInfo: { senderUserID?: string; recipients: Array<{ userID: string }> } };
    assert.equal(im.messageInfo.senderUserID, 'wv:+4799000020@imsp-a.test', 'presented with our domain, as the agreement says');
    assert.deepEqual(im.messageInfo.recipients.map((r) => r.userID), ['wv:bob@imsp-b.test']);
  });

  it('refuses SMS termination with 506 to a peer whose agreement does not allow it', async () => {
    const before = smsc.submits.length;
    const answer = await domains.get(C).sink.request(C, textMessage('wv:carol@imsp-c.test', ['wv:+4799000021'], 'not agreed'));
    assert.equal(statusCodeOf(answer), 506);
    assert.equal(smsc.submits.slice(before).filter((s) => s.destinationAddr === '4799000021').length, 0);
  });

  it('counts submissions by transport, encoding and parts', async () => {
    const text = await domains.get(A).gateway.metrics.registry.metrics();
    assert.match(text, /sms_submitted_total\{transport="smpp",encoding="gsm7",parts="1"\} [1-9]/);
    assert.match(text, /sms_smsc_connected\{transport="smpp"\} 1/);
    assert.match(text, /sms_receipts_total\{state="delivered"\} [1-9]/);
  });

  it('queues an IM while the SMSC is down and sends it exactly once when it is back', async () => {
    await smsc.down();
    const transport = domains.get(A).gateway.sms?.transport;
    await waitUntil(() => transport?.state === 'disconnected');
    const request = textMessage('wv:alice@imsp-a.test', ['wv:+4799000030'], 'after the outage');
    const answer = await domains.get(A).sink.request(A, request);
    assert.equal(statusCodeOf(answer), 200, 'accepted and queued');
    assert.equal(smsc.submits.filter((s) => s.destinationAddr === '4799000030').length, 0);
    const submitted = waitForEvent<RecordedSubmit>(smsc, 'submit', (s) => s.destinationAddr === '4799000030');
    smsc.up();
    assert.equal((await submitted).text, 'after the outage');
    const queued = () => domains.get(A).gateway.metrics.registry.getSingleMetricAsString('delivery_queue_depth');
    await waitUntil(async () => !/target="sms:"\} [1-9]/.test(await queued()), 10_000, 50);
    assert.equal(smsc.accepted.filter((s) => s.destinationAddr === '4799000030').length, 1);
    assert.match(await domains.get(A).gateway.metrics.registry.metrics(), /sms_submit_errors_total\{code="SMS_SMSC_DOWN"\} [1-9]/);
  });

  it('loses and duplicates nothing in a throttled burst', async () => {
    const texts = Array.from({ length: 20 }, (_, index) => `burst ${index}`);
    const customers = texts.map((_, index) => `wv:+47990001${String(index % 5).padStart(2, '0')}`);
    smsc.throttleNext(8);
    const before = smsc.submits.length;
    const answers = await Promise.all(texts.map((text, index) => domains.get(A).sink.request(A, textMessage('wv:alice@imsp-a.test', [customers[index] as string], text, false))));
    assert.deepEqual(answers.map(statusCodeOf), texts.map(() => 200));
    const accepted = smsc.submits.slice(before).filter((s) => s.status === 0 && s.text.startsWith('burst '));
    assert.deepEqual(accepted.map((s) => s.text).sort(), [...texts].sort());
    assert.ok(smsc.submits.slice(before).some((s) => s.status === 0x58), 'the simulator throttled');
  });
});
