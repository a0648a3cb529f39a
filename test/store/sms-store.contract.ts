// The contract every SmsStore implementation must pass (SQLite now; a shared store later).
import { strict as assert } from 'node:assert';
import type { PendingMoPart, SmsStore, SmsSubmission } from '../../src/store';

const submission = (reference: string, overrides: Partial<SmsSubmission> = {}): SmsSubmission => ({
  reference,
  recordId: 'rec-1',
  recipient: 'wv:+4799000001',
  messageID: 'm-1',
  originDomain: 'imsp-a.test',
  imSender: 'wv:alice@imsp-a.test',
  deliveryReport: true,
  parts: 1,
  state: 'submitting',
  createdAtMs: 1000,
  ...overrides,
});

const pendingPart = (messageKey: string, sequence: number, overrides: Partial<PendingMoPart> = {}): PendingMoPart => ({
  messageKey,
  sequence,
  total: 3,
  reference: 7,
  transport: 'smpp',
  from: '+4799000001',
  to: '+4790001000',
  text: `part ${sequence}`,
  receivedAtMs: 1000 + sequence,
  firstAtMs: 1000,
  ...overrides,
});

export function describeSmsStoreContract(name: string, open: () => Promise<SmsStore>): void {
  describe(`${name} (SmsStore contract)`, () => {
    let store: SmsStore;
    beforeEach(async () => (store = await open()));
    afterEach(async () => store.close());

    it('keeps one submission per (record, recipient): a second begin returns the first', async () => {
      const first = await store.beginSubmission(submission('ref-1'));
      const again = await store.beginSubmission(submission('ref-2'));
      assert.deepEqual(again, first);
      assert.equal(again.reference, 'ref-1');
      assert.equal(await store.findByReference('ref-2'), null);
    });

    it('finds a submitted SMS by reference and by each SMSC message id', async () => {
      await store.beginSubmission(submission('ref-1', { parts: 2 }));
      await store.markSubmitted('ref-1', ['1A', '1B']);
      assert.equal((await store.findByReference('ref-1'))?.state, 'submitted');
      assert.equal((await store.findBySmscMessageId('1B'))?.reference, 'ref-1');
      assert.equal(await store.findBySmscMessageId('1C'), null);
    });

    it('concludes delivered only when every part is delivered, and keeps that conclusion', async () => {
      await store.beginSubmission(submission('ref-1', { parts: 2 }));
      await store.markSubmitted('ref-1', ['1A', '1B']);
      assert.equal(await store.recordReceipt('ref-1', true), 'pending');
      assert.equal(await store.recordReceipt('ref-1', true), 'delivered');
      assert.equal(await store.recordReceipt('ref-1', false), 'delivered', 'a late or repeated receipt changes nothing');
      assert.equal((await store.findByReference('ref-1'))?.state, 'concluded');
    });

    it('counts a repeated receipt for one part once: the other part must still be delivered', async () => {
      await store.beginSubmission(submission('ref-1', { parts: 2 }));
      await store.markSubmitted('ref-1', ['1A', '1B']);
      assert.equal(await store.recordReceipt('ref-1', true, ['part 0', 'smsc id 1A']), 'pending');
      assert.equal(await store.recordReceipt('ref-1', true, ['part 0', 'smsc id 1A']), 'pending', 'the SMSC repeated part 0');
      assert.equal(await store.recordReceipt('ref-1', true, ['smsc id 1A']), 'pending', 'repeated again after a restart: known by its id only');
      assert.equal(await store.recordReceipt('ref-1', false, ['part 1']), 'failed');
    });

    it('concludes failed on the first failed part, and answers unknown for unknown references', async () => {
      await store.beginSubmission(submission('ref-1', { parts: 3 }));
      assert.equal(await store.recordReceipt('ref-1', false), 'failed');
      assert.equal(await store.recordReceipt('ref-1', true), 'failed');
      assert.equal(await store.recordReceipt('nope', true), 'unknown');
    });

    it('keeps a conversation per (customer, reply number), newest first, and drops idle ones from the answer', async () => {
      await store.saveConversation({ customer: '+4799000001', replyNumber: '+4790001000', imUser: 'wv:alice@imsp-a.test', lastActiveAtMs: 1000 });
      await store.saveConversation({ customer: '+4799000001', replyNumber: '+4790001001', imUser: 'wv:bob@imsp-a.test', lastActiveAtMs: 2000 });
      await store.saveConversation({ customer: '+4799000002', replyNumber: '+4790001000', imUser: 'wv:carol@imsp-a.test', lastActiveAtMs: 3000 });
      const all = await store.conversationsOf('+4799000001', 0);
      assert.deepEqual(all.map((c) => c.imUser), ['wv:bob@imsp-a.test', 'wv:alice@imsp-a.test']);
      assert.deepEqual((await store.conversationsOf('+4799000001', 1500)).map((c) => c.imUser), ['wv:bob@imsp-a.test']);
    });

    it('moves a reply number to the IM user who wrote last on it', async () => {
      await store.saveConversation({ customer: '+4799000001', replyNumber: '+4790001000', imUser: 'wv:alice@imsp-a.test', lastActiveAtMs: 1000 });
      await store.saveConversation({ customer: '+4799000001', replyNumber: '+4790001000', imUser: 'wv:bob@imsp-a.test', lastActiveAtMs: 2000 });
      assert.deepEqual(await store.conversationsOf('+4799000001', 0), [
        { customer: '+4799000001', replyNumber: '+4790001000', imUser: 'wv:bob@imsp-a.test', lastActiveAtMs: 2000 },
      ]);
    });

    it('purges idle conversations and submissions created before the cut-off, keeping the rest', async () => {
      await store.saveConversation({ customer: '+4799000001', replyNumber: '+4790001000', imUser: 'wv:alice@imsp-a.test', lastActiveAtMs: 1000 });
      await store.saveConversation({ customer: '+4799000001', replyNumber: '+4790001001', imUser: 'wv:bob@imsp-a.test', lastActiveAtMs: 5000 });
      await store.beginSubmission(submission('old', { createdAtMs: 1000 }));
      await store.recordReceipt('old', false);
      await store.beginSubmission(submission('unanswered', { recipient: 'wv:+4799000002', createdAtMs: 1000 }));
      await store.markSubmitted('unanswered', ['9F']);
      await store.beginSubmission(submission('recent', { recipient: 'wv:+4799000003', createdAtMs: 3000 }));
      assert.equal(await store.purge(2000, 10), 3);
      assert.equal(await store.findByReference('old'), null);
      assert.equal(await store.findBySmscMessageId('9F'), null);
      assert.notEqual(await store.findByReference('recent'), null);
      assert.equal((await store.conversationsOf('+4799000001', 0)).length, 1);
    });

    it('purges at most the limit of each kind per call, the oldest first, with the SMSC ids of what it forgot', async () => {
      for (const [reference, createdAtMs] of [['s3', 1300], ['s1', 1100], ['s2', 1200]] as const) {
        await store.beginSubmission(submission(reference, { recipient: `wv:+479900000${reference.slice(1)}`, createdAtMs }));
        await store.markSubmitted(reference, [`id-${reference}`]);
      }
      for (const [replyNumber, lastActiveAtMs] of [['+4790001003', 1300], ['+4790001001', 1100], ['+4790001002', 1200]] as const) {
        await store.saveConversation({ customer: '+4799000001', replyNumber, imUser: 'wv:alice@imsp-a.test', lastActiveAtMs });
      }
      assert.equal(await store.purge(2000, 2), 4);
      assert.deepEqual(await Promise.all(['id-s1', 'id-s2', 'id-s3'].map(async (id) => (await store.findBySmscMessageId(id))?.reference ?? null)), [null, null, 's3']);
      assert.deepEqual((await store.conversationsOf('+4799000001', 0)).map((c) => c.replyNumber), ['+4790001003']);
      assert.equal(await store.purge(2000, 2), 2);
      assert.equal(await store.purge(2000, 2), 0);
    });

    it('keeps a waiting MO part once however often the SMSC repeats it, with every field as saved', async () => {
      const part = pendingPart('msg-a', 2, { transport: 'kannel', smsc: 'smsc-1' });
      await store.savePendingMoPart(part);
      await store.savePendingMoPart(part);
      await store.savePendingMoPart(pendingPart('msg-a', 1));
      assert.deepEqual(await store.pendingMoParts(), [pendingPart('msg-a', 1), part]);
    });

    it('replaces a waiting MO part by the copy saved last within one wait, and keeps each wait of a key apart', async () => {
      await store.savePendingMoPart(pendingPart('msg-a', 1, { text: 'old' }));
      await store.savePendingMoPart(pendingPart('msg-a', 1, { text: 'repeated' }));
      await store.savePendingMoPart(pendingPart('msg-a', 1, { text: 'reference reused', firstAtMs: 5000 }));
      assert.deepEqual((await store.pendingMoParts()).map((part) => [part.text, part.firstAtMs]), [['repeated', 1000], ['reference reused', 5000]]);
    });

    it('gives waiting MO parts back by first arrival of their message', async () => {
      await store.savePendingMoPart(pendingPart('msg-a', 1, { firstAtMs: 3000 }));
      await store.savePendingMoPart(pendingPart('msg-b', 3, { firstAtMs: 2000 }));
      await store.savePendingMoPart(pendingPart('msg-b', 1, { firstAtMs: 2000 }));
      assert.deepEqual(
        (await store.pendingMoParts()).map((part) => `${part.messageKey} ${part.sequence}`),
        ['msg-b 1', 'msg-b 3', 'msg-a 1'],
      );
    });

    it('forgets only the named parts of the named message', async () => {
      for (const sequence of [1, 2, 3]) await store.savePendingMoPart(pendingPart('msg-a', sequence));
      await store.savePendingMoPart(pendingPart('msg-b', 1));
      await store.deletePendingMoParts('msg-a', 1000, [1, 3]);
      await store.deletePendingMoParts('msg-c', 1000, [1]);
      assert.deepEqual(
        (await store.pendingMoParts()).map((part) => `${part.messageKey} ${part.sequence}`),
        ['msg-a 2', 'msg-b 1'],
      );
    });

    it('forgets the rows of the named wait only, not those of another wait of the same key', async () => {
      await store.savePendingMoPart(pendingPart('msg-a', 1, { firstAtMs: 5000 }));
      await store.savePendingMoPart(pendingPart('msg-a', 2, { firstAtMs: 500 }));
      await store.deletePendingMoParts('msg-a', 1000, [1, 2]);
      assert.deepEqual((await store.pendingMoParts()).map((part) => [part.sequence, part.firstAtMs]), [[2, 500], [1, 5000]]);
    });

    it('moves the rows of one wait to a new wait of the same key, and no others', async () => {
      await store.savePendingMoPart(pendingPart('msg-a', 1, { firstAtMs: 1000 }));
      await store.savePendingMoPart(pendingPart('msg-a', 2, { firstAtMs: 1000 }));
      await store.savePendingMoPart(pendingPart('msg-a', 1, { firstAtMs: 2000, text: 'another reply' }));
      await store.savePendingMoPart(pendingPart('msg-b', 1, { firstAtMs: 1000 }));
      await store.moveMoWait('msg-a', 1000, 3000);
      assert.deepEqual(
        (await store.pendingMoParts()).map((part) => [part.messageKey, part.sequence, part.firstAtMs, part.text]),
        [
          ['msg-b', 1, 1000, 'part 1'],
          ['msg-a', 1, 2000, 'another reply'],
          ['msg-a', 1, 3000, 'part 1'],
          ['msg-a', 2, 3000, 'part 2'],
        ],
      );
    });

    it('remembers a routed reply in the write that forgets its waiting parts, the newest per key, for as long as asked', async () => {
      await store.savePendingMoPart(pendingPart('msg-a', 1));
      const texts = (...parts: string[]) => new Map(parts.map((text, index) => [index + 1, text]));
      await store.deletePendingMoParts('msg-a', 1000, [1], { routedAtMs: 5000, texts: texts('old 1, ', 'old 2, ', 'old 3'), forgetBeforeMs: 0 });
      await store.deletePendingMoParts('msg-a', 1000, [], { routedAtMs: 6000, texts: texts('new 1, ', 'new 2'), forgetBeforeMs: 0 });
      await store.deletePendingMoParts('msg-b', 1000, [], { routedAtMs: 5500, texts: texts('b'), forgetBeforeMs: 0 });
      await store.deletePendingMoParts('msg-c', 1000, []);
      assert.deepEqual(await store.pendingMoParts(), []);
      const replies = async (sinceMs: number) => (await store.routedMoReplies(sinceMs)).map((reply) => [reply.messageKey, reply.routedAtMs, [...reply.texts]]);
      assert.deepEqual(await replies(0), [
        ['msg-b', 5500, [[1, 'b']]],
        ['msg-a', 6000, [[1, 'new 1, '], [2, 'new 2']]],
      ]);
      assert.deepEqual(await replies(5600), [['msg-a', 6000, [[1, 'new 1, '], [2, 'new 2']]]]);
      await store.deletePendingMoParts('msg-d', 1000, [], { routedAtMs: 9000, texts: texts('d'), forgetBeforeMs: 6000 });
      assert.deepEqual(await replies(0), [
        ['msg-a', 6000, [[1, 'new 1, '], [2, 'new 2']]],
        ['msg-d', 9000, [[1, 'd']]],
      ]);
    });
  });
}
