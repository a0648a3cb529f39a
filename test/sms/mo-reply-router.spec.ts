// MoReplyRouter: a long reply whose IM could not be stored is not lost when the SMSC offers the last part again.
import { strict as assert } from 'node:assert';
import { GatewayError } from '../../src/errors';
import { createLogger } from '../../src/log';
import { ConversationCorrelator, MoReplyRouter, type MobileOriginatedSms, type SmsTransport } from '../../src/sms';
import type { TransactionBody } from '../../src/ssp';
import { SqliteSmsStore } from '../../src/store';

const CUSTOMER = '+4799000001';
const REPLY_NUMBER = '+4790001000';
const part = (sequence: number, text: string): MobileOriginatedSms => ({
  transport: 'smpp',
  from: CUSTOMER,
  to: REPLY_NUMBER,
  text,
  concatenation: { reference: 7, total: 2, sequence },
  receivedAt: new Date('2026-11-23T12:00:00Z'),
});

describe('MoReplyRouter', () => {
  async function rig(firstFailure: GatewayError) {
    const store = new SqliteSmsStore(':memory:');
    const now = () => 1_000_000;
    const correlator = new ConversationCorrelator({ store, sender: { mode: 'pool', pool: [REPLY_NUMBER] }, idleExpirySeconds: 86_400, now });
    await correlator.senderFor('wv:alice@imsp-a.test', CUSTOMER);
    const admitted: TransactionBody[] = [];
    let failNext = true;
    const router = new MoReplyRouter({
      transport: {} as SmsTransport,
      correlator,
      admit: async (_id, body) => {
        if (failNext) {
          failNext = false;
          throw firstFailure;
        }
        admitted.push(body);
      },
      replies: { idleExpirySeconds: 86_400, helpText: 'help', reassemblyTimeoutMs: 60_000, maxPendingReassemblies: 10 },
      now,
      logger: createLogger('silent'),
    });
    return { router, admitted, close: async () => (router.stop(), store.close()) };
  }

  it('keeps the acknowledged first part when storing the joined reply fails transiently, and joins it with the part offered again', async () => {
    const { router, admitted, close } = await rig(new GatewayError('STORE_WRITE_FAILED', 'disk busy', { impsStatus: 500, transient: true }));
    try {
      await router.onMobileOriginated(part(1, 'first half, '));
      await assert.rejects(router.onMobileOriginated(part(2, 'second half')), /disk busy/);
      await router.onMobileOriginated(part(2, 'second half'));
      assert.equal(admitted.length, 1);
      const im = admitted[0];
      assert.equal(im?.kind === 'SendMessageRequest' && im.content?.bytes.toString('utf8'), 'first half, second half');
    } finally {
      await close();
    }
  });

  it('keeps nothing when the reply is refused for good (the SMSC will not offer the last part again)', async () => {
    const { router, admitted, close } = await rig(new GatewayError('SMS_REJECTED', 'refused', { impsStatus: 422, transient: false }));
    try {
      await router.onMobileOriginated(part(1, 'first half, '));
      await assert.rejects(router.onMobileOriginated(part(2, 'second half')), /refused/);
      await router.onMobileOriginated(part(2, 'second half'));
      assert.equal(admitted.length, 0, 'part 2 alone waits for a part 1 that is gone, instead of joining it');
    } finally {
      await close();
    }
  });
});
