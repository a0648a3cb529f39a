// Reply correlation (IM-0050): pool numbers per conversation, last-correspondent fallback, idle expiry, sender modes.
import { strict as assert } from 'node:assert';
import { ConversationCorrelator, normaliseSmsAddress, type SmsSenderConfig } from '../../src/sms';
import { SqliteSmsStore } from '../../src/store';

const DAY_MS = 86_400_000;
const ALICE = 'wv:alice@imsp-a.test';
const BOB = 'wv:bob@imsp-a.test';
const CAROL = 'wv:carol@imsp-a.test';

describe('ConversationCorrelator', () => {
  let store: SqliteSmsStore;
  let now: number;
  const correlator = (sender: Partial<SmsSenderConfig> = {}) =>
    new ConversationCorrelator({ store, sender: { mode: 'pool', pool: ['+4790001000', '+4790001001'], ...sender }, idleExpirySeconds: 86_400, now: () => now });

  beforeEach(() => {
    store = new SqliteSmsStore(':memory:');
    now = 1_000_000;
  });
  afterEach(async () => store.close());

  it('keeps the same pool number for the same IM user and a free one for the next', async () => {
    const c = correlator();
    assert.equal(await c.senderFor(ALICE, '+4799000001'), '+4790001000');
    now += 1000;
    assert.equal(await c.senderFor(BOB, '+4799000001'), '+4790001001');
    now += 1000;
    assert.equal(await c.senderFor(ALICE, '+4799000001'), '+4790001000');
    assert.equal(await c.senderFor(CAROL, '+4799000002'), '+4790001000', 'numbers are per customer');
  });

  it('gives two IM users writing to one customer at the same moment two numbers, and routes each reply to its writer', async () => {
    const c = correlator();
    const [alices, bobs] = await Promise.all([c.senderFor(ALICE, '+4799000001'), c.senderFor(BOB, '+4799000001')]);
    assert.notEqual(alices, bobs);
    assert.deepEqual(await c.imUserFor('+4799000001', alices), { imUser: ALICE, via: 'conversation' });
    assert.deepEqual(await c.imUserFor('+4799000001', bobs), { imUser: BOB, via: 'conversation' });
  });

  it('gives the least recently active number to a third IM user when the pool is exhausted', async () => {
    const c = correlator();
    await c.senderFor(ALICE, '+4799000001');
    now += 1000;
    await c.senderFor(BOB, '+4799000001');
    now += 1000;
    assert.equal(await c.senderFor(CAROL, '+4799000001'), '+4790001000');
    assert.deepEqual(await c.imUserFor('+4799000001', '+4790001000'), { imUser: CAROL, via: 'conversation' });
  });

  it('matches a reply by number, falls back to the last correspondent, and forgets idle conversations', async () => {
    const c = correlator();
    await c.senderFor(ALICE, '+4799000001');
    now += 1000;
    await c.senderFor(BOB, '+4799000001');
    now += 1000;
    assert.deepEqual(await c.imUserFor('+4799000001', '+4790001000'), { imUser: ALICE, via: 'conversation' });
    assert.deepEqual(await c.imUserFor('+4799000001', '+4790009999'), { imUser: ALICE, via: 'last-correspondent' }, 'the reply just now made alice the latest');
    now += DAY_MS + 1;
    assert.equal(await c.imUserFor('+4799000001', '+4790001000'), null);
  });

  const senderCases: Array<{ name: string; sender: Partial<SmsSenderConfig>; imUser: string | null; expected: string }> = [
    { name: 'msisdn mode uses the IM user’s own number', sender: { mode: 'msisdn' }, imUser: 'wv:+4790000042', expected: '+4790000042' },
    { name: 'msisdn mode with a domain-qualified number', sender: { mode: 'msisdn' }, imUser: 'wv:+4790000042@imsp-a.test', expected: '+4790000042' },
    { name: 'msisdn mode falls back to the pool for a named user', sender: { mode: 'msisdn' }, imUser: ALICE, expected: '+4790001000' },
    { name: 'alphanumeric mode uses the name', sender: { mode: 'alphanumeric', name: 'Operator' }, imUser: ALICE, expected: 'Operator' },
    { name: 'msisdn mode without pool falls back to the name', sender: { mode: 'msisdn', pool: [], name: 'Operator' }, imUser: ALICE, expected: 'Operator' },
  ];
  for (const { name, sender, imUser, expected } of senderCases) {
    it(name, async () => assert.equal(await correlator(sender).senderFor(imUser, '+4799000001'), expected));
  }

  it('refuses with SMS_BAD_ADDRESS when no sender can be shown', async () => {
    await assert.rejects(correlator({ mode: 'msisdn', pool: [] }).senderFor(ALICE, '+4799000001'), { code: 'SMS_BAD_ADDRESS', transient: false });
  });

  it('adds the + to international numbers an SMSC gives without it', () => {
    assert.deepEqual(['4799000001', '+4799000001', '12345', 'Operator'].map(normaliseSmsAddress), ['+4799000001', '+4799000001', '12345', 'Operator']);
  });
});
