// SmsTermination with a scripted transport: one submission per (record, recipient), transient failures kept for retry.
import { strict as assert } from 'node:assert';
import { GatewayError } from '../../src/errors';
import { createLogger } from '../../src/log';
import { ConversationCorrelator, SmsTermination, type OutboundSms, type SmsTerminationTarget, type SmsTransport, type SubmitResult } from '../../src/sms';
import { SqliteSmsStore } from '../../src/store';
import { textMessage } from '../support/ssp-messages';

/** A transport that records submissions and fails the next ones when told to. */
class ScriptedTransport implements SmsTransport {
  readonly kind = 'smpp' as const;
  readonly state = 'connected' as const;
  readonly submitted: OutboundSms[] = [];
  /** References of every submit call, failed ones included. */
  readonly attempts: string[] = [];
  failures: GatewayError[] = [];
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  setInboundHandler(): void {}
  onStateChange(): () => void {
    return () => {};
  }
  async submit(sms: OutboundSms): Promise<SubmitResult> {
    this.attempts.push(sms.reference);
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.submitted.push(sms);
    return { reference: sms.reference, smscMessageIds: sms.sms.segments.map((_, index) => `ID${this.submitted.length}-${index}`), submittedAt: new Date(0) };
  }
}

describe('SmsTermination', () => {
  let store: SqliteSmsStore;
  let transport: ScriptedTransport;
  let termination: SmsTermination;
  const target = (recordId: string, text = 'Hello', recipient = 'wv:+4799000001'): SmsTerminationTarget => ({
    recordId,
    originDomain: 'imsp-a.test',
    recipient,
    msisdn: recipient.slice(3),
    request: textMessage('wv:alice@imsp-a.test', [recipient], text),
  });

  beforeEach(() => {
    store = new SqliteSmsStore(':memory:');
    transport = new ScriptedTransport();
    const correlator = new ConversationCorrelator({ store, sender: { mode: 'pool', pool: ['+4790001000'] }, idleExpirySeconds: 3600, now: () => 1000 });
    const text = { oversize: 'concatenate' as const, maxParts: 3, prefix: '{sender}: ', suffix: '' };
    termination = new SmsTermination({ transport, store, correlator, text, now: () => 1000, logger: createLogger('silent') });
  });
  afterEach(async () => store.close());

  it('submits the composed SMS from the pool number and stores it under its SMSC ids', async () => {
    await termination.terminate(target('r1', 'x'.repeat(160)));
    const [sms] = transport.submitted;
    assert.equal(sms?.from, '+4790001000');
    assert.equal(sms?.to, '+4799000001');
    assert.equal(sms?.sms.text, `alice: ${'x'.repeat(160)}`);
    assert.equal(sms?.requestReceipt, true);
    const stored = await store.findBySmscMessageId('ID1-1');
    assert.deepEqual([stored?.reference, stored?.parts, stored?.state, stored?.imSender], [sms?.reference, 2, 'submitted', 'wv:alice@imsp-a.test']);
  });

  it('does not submit again for a record and recipient the SMSC already took', async () => {
    await termination.terminate(target('r1'));
    await termination.terminate(target('r1'));
    assert.equal(transport.submitted.length, 1);
  });

  it('rethrows a transient failure and retries with the same reference', async () => {
    transport.failures.push(new GatewayError('SMS_THROTTLED', 'throttled', { impsStatus: 503, transient: true }));
    await assert.rejects(termination.terminate(target('r1')), { code: 'SMS_THROTTLED', transient: true });
    await termination.terminate(target('r1'));
    assert.equal(transport.submitted.length, 1);
    assert.equal(transport.attempts.length, 2);
    assert.equal(transport.attempts[0], transport.attempts[1]);
    assert.equal((await store.findByReference(transport.submitted[0]?.reference ?? ''))?.state, 'submitted');
  });

  it('refuses content that is not text/plain with 415, submitting nothing', async () => {
    const picture = target('r2');
    picture.request.content = { contentType: 'image/png', transferEncoding: 'base64', bytes: Buffer.from([0x89, 0x50]) };
    await assert.rejects(termination.terminate(picture), { code: 'SMS_UNSUPPORTED_CONTENT', impsStatus: 415 });
    assert.equal(transport.submitted.length, 0);
  });

  it('refuses a text longer than the allowed parts with SMS_TOO_LONG (402)', async () => {
    await assert.rejects(termination.terminate(target('r3', 'y'.repeat(500))), { code: 'SMS_TOO_LONG', impsStatus: 402, transient: false });
  });
});
