// AnswerWaiter: answers are matched by transactionID and the domain asked; deadlines never crash the process.
import { strict as assert } from 'node:assert';
import { GatewayError } from '../../src/errors';
import { AnswerWaiter } from '../../src/listener/answer-waiter';
import { statusOf, type TransactionBody } from '../../src/ssp';

const OK: TransactionBody = { kind: 'Status', status: statusOf(200) };

describe('AnswerWaiter', () => {
  it("takes an answer only from the domain the request went to: another peer cannot settle it by guessing the transactionID", async () => {
    const waiter = new AnswerWaiter(() => 0);
    const answer = waiter.wait('gw1-17', 'imsp-a.test', 1000, 'SendMessageRequest to imsp-a.test');
    assert.equal(waiter.settle('gw1-17', 'imsp-b.test', { kind: 'Status', status: statusOf(604) }), false);
    assert.equal(waiter.size, 1, 'still waiting for imsp-a.test');
    assert.equal(waiter.settle('gw1-17', 'imsp-a.test', OK), true);
    assert.deepEqual(await answer, OK);
  });

  it('a deadline passing before the caller awaits (its POST still under way) is no unhandled rejection', async () => {
    let now = 0;
    const waiter = new AnswerWaiter(() => now);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    const listeners = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', onUnhandled);
    try {
      const answer = waiter.wait('gw1-18', 'imsp-a.test', 400, 'SendMessageRequest to imsp-a.test');
      now = 400;
      waiter.sweep();
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(unhandled, []);
      await assert.rejects(answer, (error: unknown) => error instanceof GatewayError && error.code === 'SSP_TIMEOUT');
    } finally {
      process.removeListener('unhandledRejection', onUnhandled);
      for (const listener of listeners) process.on('unhandledRejection', listener);
    }
  });
});
