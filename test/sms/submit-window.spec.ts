// SubmitWindow tests with a hand-driven sender: window bound, per-destination order, throttle pause, outages, cancel.
import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { GatewayError } from '../../src/errors';
import { SubmitWindow, type PartOutcome } from '../../src/sms';
import { waitForEvent } from '../support/wait-for';

interface Sent {
  text: string;
  done: (outcome: PartOutcome) => void;
}

/** A sender that records each submit_sm and lets the test answer it, always asynchronously like the link. */
function harness(options: Partial<ConstructorParameters<typeof SubmitWindow>[0]> = {}) {
  const sent: Sent[] = [];
  const events = new EventEmitter();
  const window = new SubmitWindow(
    { windowSize: 2, maxPendingMessages: 100, throttlePauseMs: 1, maxThrottleRetries: 3, ...options },
    (fields, done) => {
      sent.push({ text: String(fields.text), done: (outcome) => setImmediate(done, outcome) });
      events.emit('sent', sent.length);
    },
  );
  window.setLinkUp(true);
  const answer = (index: number, outcome: PartOutcome = { kind: 'accepted', messageId: `id-${index}` }) => sent[index]?.done(outcome);
  /** Resolve once `count` parts have been sent in total (the throttle pause ends on a timer). */
  const sentCount = (count: number) => (sent.length >= count ? Promise.resolve() : waitForEvent<number>(events, 'sent', (length) => length >= count, 5_000).then(() => undefined));
  return { window, sent, answer, sentCount };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const parts = (...texts: string[]) => texts.map((text) => ({ text }));

describe('SubmitWindow', () => {
  it('never has more than windowSize parts outstanding and fills slots as answers come', async () => {
    const { window, sent, answer } = harness();
    const results = [window.submit('a', parts('a1')), window.submit('b', parts('b1')), window.submit('c', parts('c1'))];
    assert.deepEqual(sent.map((s) => s.text), ['a1', 'b1']);
    answer(0);
    await tick();
    assert.deepEqual(sent.map((s) => s.text), ['a1', 'b1', 'c1']);
    answer(1);
    answer(2);
    assert.deepEqual(await Promise.all(results), [['id-0'], ['id-1'], ['id-2']]);
  });

  it('sends the next message to a destination only after the previous one is accepted', async () => {
    const { window, sent, answer } = harness({ windowSize: 10 });
    const first = window.submit('a', parts('a1', 'a2'));
    const second = window.submit('a', parts('a3'));
    void window.submit('b', parts('b1'));
    assert.deepEqual(sent.map((s) => s.text), ['a1', 'a2', 'b1']);
    answer(0);
    await tick();
    assert.equal(sent.length, 3);
    answer(1);
    assert.deepEqual(await first, ['id-0', 'id-1']);
    assert.deepEqual(sent.map((s) => s.text), ['a1', 'a2', 'b1', 'a3']);
    answer(3);
    assert.deepEqual(await second, ['id-3']);
  });

  it('a throttled part pauses the link and goes out again before later parts, in original order', async () => {
    const { window, sent, answer, sentCount } = harness({ windowSize: 2 });
    const results = ['a', 'b', 'c'].map((key) => window.submit(key, parts(key)));
    answer(1, { kind: 'throttled' });
    answer(0, { kind: 'throttled' });
    await sentCount(4);
    assert.deepEqual(sent.map((s) => s.text), ['a', 'b', 'a', 'b']);
    answer(2);
    answer(3);
    await tick();
    assert.deepEqual(sent.map((s) => s.text), ['a', 'b', 'a', 'b', 'c']);
    answer(4);
    assert.deepEqual(await Promise.all(results), [['id-2'], ['id-3'], ['id-4']]);
  });

  it('gives up as SMS_THROTTLED (transient) after maxThrottleRetries', async () => {
    const { window, sent, sentCount } = harness({ maxThrottleRetries: 1 });
    const result = window.submit('a', parts('a'));
    sent[0]?.done({ kind: 'throttled' });
    await sentCount(2);
    sent[1]?.done({ kind: 'throttled' });
    await assert.rejects(result, { code: 'SMS_THROTTLED', transient: true });
  });

  it('link down fails sent and queued messages as SMS_SMSC_DOWN and refuses new ones until up', async () => {
    const { window, sent } = harness({ windowSize: 1 });
    const results = [window.submit('a', parts('a')), window.submit('b', parts('b'))];
    window.setLinkUp(false);
    for (const result of results) await assert.rejects(result, { code: 'SMS_SMSC_DOWN', transient: true });
    await assert.rejects(window.submit('c', parts('c')), { code: 'SMS_SMSC_DOWN' });
    sent[0]?.done({ kind: 'failed', error: new GatewayError('SMS_SMSC_DOWN', 'closed', { transient: true }) });
    await tick();
    window.setLinkUp(true);
    const after = window.submit('d', parts('d'));
    assert.deepEqual(sent.map((s) => s.text), ['a', 'd']);
    sent[1]?.done({ kind: 'accepted', messageId: 'x' });
    assert.deepEqual(await after, ['x']);
  });

  it('a failed part fails its message with that error and lets the destination move on', async () => {
    const { window, sent, answer } = harness();
    const failed = window.submit('a', parts('a1'));
    const next = window.submit('a', parts('a2'));
    answer(0, { kind: 'failed', error: new GatewayError('SMS_REJECTED', 'no', { transient: false }) });
    await assert.rejects(failed, { code: 'SMS_REJECTED', transient: false });
    assert.equal(sent[1]?.text, 'a2');
    answer(1);
    assert.deepEqual(await next, ['id-1']);
  });

  it('cancelling before sending removes the message; after sending the outcome decides', async () => {
    const { window, sent, answer } = harness({ windowSize: 1 });
    const onWire = new AbortController();
    const queued = new AbortController();
    const first = window.submit('a', parts('a'), onWire.signal);
    const second = window.submit('b', parts('b'), queued.signal);
    onWire.abort();
    queued.abort();
    await assert.rejects(second, { code: 'SMS_TIMEOUT', transient: true });
    answer(0);
    assert.deepEqual(await first, ['id-0']);
    await tick();
    assert.deepEqual(sent.map((s) => s.text), ['a']);
  });

  it('refuses beyond maxPendingMessages as a transient SMS_THROTTLED', async () => {
    const { window } = harness({ maxPendingMessages: 2 });
    void window.submit('a', parts('a'));
    void window.submit('b', parts('b'));
    await assert.rejects(window.submit('c', parts('c')), { code: 'SMS_THROTTLED', transient: true });
  });
});
