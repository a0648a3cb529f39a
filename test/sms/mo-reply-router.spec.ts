// MoReplyRouter: a long reply is not lost when storing its IM fails, nor when the gateway restarts while parts wait.
import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayError } from '../../src/errors';
import { createLogger } from '../../src/log';
import { ConversationCorrelator, MoReplyRouter, type MobileOriginatedSms, type SmsTransport } from '../../src/sms';
import type { TransactionBody } from '../../src/ssp';
import { SqliteSmsStore, type PendingMoPart, type SmsStore } from '../../src/store';
import { waitForEvent, waitUntil } from '../support/wait-for';

const CUSTOMER = '+4799000001';
const REPLY_NUMBER = '+4790001000';
const TIMEOUT_MS = 60_000;
const part = (sequence: number, text: string): MobileOriginatedSms => ({
  transport: 'smpp',
  from: CUSTOMER,
  to: REPLY_NUMBER,
  text,
  concatenation: { reference: 7, total: 2, sequence },
  receivedAt: new Date('2026-11-23T12:00:00Z'),
});
/** `store` whose first call of `method` fails as a full disk would. */
function failingOnce<T extends object>(store: T, method: keyof T & string): T {
  let failed = false;
  const original = (store as Record<string, unknown>)[method] as (...args: unknown[]) => Promise<unknown>;
  return Object.assign(Object.create(store) as T, {
    [method]: (...args: unknown[]) => {
      if (failed) return original.apply(store, args);
      failed = true;
      return Promise.reject(new GatewayError('STORE_WRITE_FAILED', 'disk full', { impsStatus: 500, transient: true }));
    },
  });
}
const textOf = (body: TransactionBody | undefined) => body?.kind === 'SendMessageRequest' && body.content?.bytes.toString('utf8');

/** Stores IMs as admit would, refusing the first ones with the queued failures; emits `admitted` per IM stored. */
class Admission extends EventEmitter {
  readonly admitted: TransactionBody[] = [];
  readonly ids: string[] = [];
  constructor(private readonly failures: GatewayError[] = []) {
    super();
  }
  attempts = 0;
  readonly admit = async (id: string, body: TransactionBody): Promise<void> => {
    this.attempts += 1;
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.ids.push(id);
    this.admitted.push(body);
    this.emit('admitted', body);
  };
  next(timeoutMs = 2_000): Promise<TransactionBody> {
    return waitForEvent<TransactionBody>(this, 'admitted', () => true, timeoutMs);
  }
}

/** A router as the SMS service starts it, on `store`, with a conversation of alice's with the customer. */
async function startRouter(store: SmsStore, now: () => number, admission: Admission, reassemblyTimeoutMs = TIMEOUT_MS, maxPendingReassemblies = 10): Promise<MoReplyRouter> {
  const correlator = new ConversationCorrelator({ store, sender: { mode: 'pool', pool: [REPLY_NUMBER] }, idleExpirySeconds: 86_400, now });
  await correlator.senderFor('wv:alice@imsp-a.test', CUSTOMER);
  const router = new MoReplyRouter({
    transport: {} as SmsTransport,
    correlator,
    store,
    admit: admission.admit,
    replies: { idleExpirySeconds: 86_400, helpText: 'help', reassemblyTimeoutMs, maxPendingReassemblies },
    now,
    logger: createLogger('silent'),
  });
  await router.start();
  return router;
}

describe('MoReplyRouter', () => {
  let store: SqliteSmsStore;
  let router: MoReplyRouter | undefined;
  beforeEach(() => (store = new SqliteSmsStore(':memory:')));
  afterEach(async () => (router?.stop(), store.close()));

  it('keeps the acknowledged first part when storing the joined reply fails transiently, and joins it with the part offered again', async () => {
    const admission = new Admission([new GatewayError('STORE_WRITE_FAILED', 'disk busy', { impsStatus: 500, transient: true })]);
    router = await startRouter(store, () => 1_000_000, admission);
    await router.onMobileOriginated(part(1, 'first half, '));
    await assert.rejects(router.onMobileOriginated(part(2, 'second half')), /disk busy/);
    assert.equal((await store.pendingMoParts()).length, 1, 'part 1 is still stored');
    await router.onMobileOriginated(part(2, 'second half'));
    assert.deepEqual(admission.admitted.map(textOf), ['first half, second half']);
    assert.deepEqual(await store.pendingMoParts(), []);
  });

  it('keeps nothing when the reply is refused for good (the SMSC will not offer the last part again)', async () => {
    const admission = new Admission([new GatewayError('SMS_REJECTED', 'refused', { impsStatus: 422, transient: false })]);
    router = await startRouter(store, () => 1_000_000, admission);
    await router.onMobileOriginated(part(1, 'first half, '));
    await assert.rejects(router.onMobileOriginated(part(2, 'second half')), /refused/);
    assert.deepEqual(await store.pendingMoParts(), [], 'a restart does not bring part 1 back either');
    await router.onMobileOriginated(part(2, 'second half'));
    assert.equal(admission.admitted.length, 0, 'part 2 alone waits for a part 1 that is gone, instead of joining it');
  });

  it('lets a timed-out reply whose IM could not be stored wait again, and passes it on when that wait ends', async () => {
    const admission = new Admission([new GatewayError('STORE_WRITE_FAILED', 'disk busy', { impsStatus: 500, transient: true })]);
    router = await startRouter(store, Date.now, admission, 50);
    const admitted = admission.next();
    await router.onMobileOriginated(part(1, 'first half, '));
    assert.equal(textOf(await admitted), 'first half, ');
    await waitUntil(async () => (await store.pendingMoParts()).length === 0, 2_000);
  });

  it('does not keep a part whose store write failed: the SMSC offers it again, and it is joined once', async () => {
    const admission = new Admission();
    router = await startRouter(failingOnce(store, 'savePendingMoPart'), () => 1_000_000, admission);
    await assert.rejects(router.onMobileOriginated(part(1, 'first half, ')), /disk full/);
    await router.onMobileOriginated(part(2, 'second half'));
    assert.equal(admission.admitted.length, 0, 'part 2 waits: part 1 was never acknowledged');
    await router.onMobileOriginated(part(1, 'first half, '));
    assert.deepEqual(admission.admitted.map(textOf), ['first half, second half']);
  });

  it("acknowledges a part whatever becomes of the message its arrival pushed out", async () => {
    const admission = new Admission([new GatewayError('SMS_REJECTED', 'refused', { impsStatus: 422, transient: false })]);
    router = await startRouter(store, () => 1_000_000, admission, TIMEOUT_MS, 1);
    await router.onMobileOriginated(part(1, 'first half, '));
    const other = { ...part(1, 'another reply, '), concatenation: { reference: 8, total: 2, sequence: 1 } };
    await router.onMobileOriginated(other);
    await waitUntil(async () => (await store.pendingMoParts()).length === 1, 2_000);
    assert.deepEqual((await store.pendingMoParts()).map((p) => p.reference), [8], 'the pushed-out reply was refused and forgotten, the new part is kept');
  });

  it('keeps the completing part with its reply and retries the whole when the others cannot wait again, never delivering that part twice', async () => {
    const admission = new Admission();
    let failAdmission: () => void = () => undefined;
    const admissionFails = new Promise<void>((resolve) => (failAdmission = resolve));
    let calls = 0;
    const gated = Object.assign(Object.create(admission) as Admission, {
      admit: async (id: string, body: TransactionBody) => {
        calls += 1;
        if (calls > 1) return admission.admit(id, body);
        await admissionFails;
        throw new GatewayError('STORE_WRITE_FAILED', 'disk busy', { impsStatus: 500, transient: true });
      },
    });
    router = await startRouter(store, Date.now, gated, 100, 1);
    await router.onMobileOriginated(part(1, 'first half, '));
    const completing = router.onMobileOriginated(part(2, 'second half'));
    await waitUntil(() => calls === 1, 2_000);
    // Another reply's first part takes the one slot while the IM of the first is being stored, then that fails.
    await router.onMobileOriginated({ ...part(1, 'other reply'), concatenation: { reference: 8, total: 2, sequence: 1 } });
    failAdmission();
    await completing; // acknowledged: stored with its reply, not offered again by the SMSC
    assert.deepEqual((await store.pendingMoParts()).filter((p) => p.reference === 7).map((p) => p.sequence).sort(), [1, 2]);
    await waitUntil(() => admission.admitted.some((body) => textOf(body) === 'first half, second half'), 2_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(admission.admitted.map(textOf).filter((text) => text !== 'other reply'), ['first half, second half']);
  });

  describe('beyond the retry bound', () => {
    const twoParts = (reference: number, sequence: number, text: string): MobileOriginatedSms => ({ ...part(sequence, text), concatenation: { reference, total: 2, sequence } });
    const busy = () => new GatewayError('STORE_WRITE_FAILED', 'disk busy', { impsStatus: 500, transient: true });

    /**
     * An admission that refuses 'seven, all of it' and 'eight, all of it' once each when `failNow` says so, and
     * holds the IMs named in `held` until released.
     */
    function gatedAdmission(admission: Admission, failNow: Array<() => void>, held = new Map<string, Array<() => void>>()): Admission {
      const failOnce = new Set(['seven, all of it', 'eight, all of it']);
      return Object.assign(Object.create(admission) as Admission, {
        admit: async (id: string, body: TransactionBody) => {
          const text = textOf(body) || '';
          const releases = held.get(text);
          if (releases) await new Promise<void>((resolve) => releases.push(resolve));
          if (!failOnce.delete(text)) return admission.admit(id, body);
          await new Promise<void>((resolve) => failNow.push(resolve));
          throw busy();
        },
      });
    }

    /** Seven takes the one retry slot; eight, refused once nine's first part holds the one waiting slot, finds none. */
    async function overflowRetries(failNow: Array<() => void>): Promise<void> {
      const active = router as MoReplyRouter;
      await active.onMobileOriginated(twoParts(7, 1, 'seven, '));
      const seven = active.onMobileOriginated(twoParts(7, 2, 'all of it'));
      await waitUntil(() => failNow.length === 1, 2_000);
      await active.onMobileOriginated(twoParts(8, 1, 'eight, '));
      failNow[0]?.();
      await seven; // retried later: the one retry slot
      const eight = active.onMobileOriginated(twoParts(8, 2, 'all of it'));
      await waitUntil(() => failNow.length === 2, 2_000);
      await active.onMobileOriginated(twoParts(9, 1, 'nine, '));
      failNow[1]?.();
      await eight; // acknowledged, stored; no retry slot left: the sweep comes a reassembly timeout later
    }

    it('routes a reply a reassembly timeout later, not only after a restart', async () => {
      const admission = new Admission();
      const failNow: Array<() => void> = [];
      router = await startRouter(store, Date.now, gatedAdmission(admission, failNow), 100, 1);
      await overflowRetries(failNow);
      await waitUntil(() => admission.admitted.some((body) => textOf(body) === 'eight, all of it'), 3_000);
      await waitUntil(async () => (await store.pendingMoParts()).length === 0, 2_000);
      const textById = new Map(admission.ids.map((id, index) => [id, textOf(admission.admitted[index])]));
      assert.deepEqual([...textById.values()].sort(), ['eight, all of it', 'nine, ', 'seven, all of it']);
    });

    it('leaves a reply being routed to its routing when the sweep comes: its first part is not admitted alone under its id', async () => {
      const admission = new Admission();
      const failNow: Array<() => void> = [];
      const releaseTen: Array<() => void> = [];
      router = await startRouter(store, Date.now, gatedAdmission(admission, failNow, new Map([['ten, all of it', releaseTen]])), 100, 1);
      await overflowRetries(failNow);
      // Ten completes and is being routed (its IM not stored yet) when the sweep reads the stored parts.
      await router.onMobileOriginated(twoParts(10, 1, 'ten, '));
      const ten = router.onMobileOriginated(twoParts(10, 2, 'all of it'));
      await waitUntil(() => releaseTen.length === 1, 2_000);
      await waitUntil(() => admission.admitted.some((body) => textOf(body) === 'eight, all of it'), 3_000);
      await new Promise((resolve) => setTimeout(resolve, 150));
      releaseTen[0]?.();
      await ten;
      await waitUntil(async () => (await store.pendingMoParts()).length === 0, 2_000);
      assert.deepEqual(admission.admitted.map(textOf).filter((text) => String(text).startsWith('ten')), ['ten, all of it']);
    });
  });

  it('still retries a reply whose completing part could not be stored with it, and stores that part when it is offered again', async () => {
    const admission = new Admission([new GatewayError('STORE_WRITE_FAILED', 'disk busy', { impsStatus: 500, transient: true })]);
    let saves = 0;
    const flaky = Object.assign(Object.create(store) as SqliteSmsStore, {
      moveMoWait: async () => Promise.reject(new GatewayError('STORE_WRITE_FAILED', 'disk full', { impsStatus: 500, transient: true })),
      savePendingMoPart: async (row: PendingMoPart) => {
        saves += 1;
        if (saves === 2) throw new GatewayError('STORE_WRITE_FAILED', 'disk full', { impsStatus: 500, transient: true });
        return store.savePendingMoPart(row);
      },
    });
    router = await startRouter(flaky, Date.now, admission, 100);
    await router.onMobileOriginated(part(1, 'first half, '));
    await new Promise((resolve) => setTimeout(resolve, 5)); // a new wait would start later than the first
    await assert.rejects(router.onMobileOriginated(part(2, 'second half')), /disk full/);
    await router.onMobileOriginated(part(2, 'second half')); // offered again: stored with its reply, acknowledged
    await waitUntil(() => admission.admitted.length === 1, 2_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(admission.admitted.map(textOf), ['first half, second half']);
    assert.deepEqual(await store.pendingMoParts(), []);
  });

  it('takes a part offered again while its reply waits for a retry as part of that reply, not a new one', async () => {
    const admission = new Admission([new GatewayError('STORE_WRITE_FAILED', 'disk busy', { impsStatus: 500, transient: true })]);
    router = await startRouter(failingOnce(store, 'moveMoWait'), Date.now, admission, 100);
    await router.onMobileOriginated(part(1, 'first half, '));
    await new Promise((resolve) => setTimeout(resolve, 5)); // a new wait would start later than the first
    await router.onMobileOriginated(part(2, 'second half')); // kept with its reply, acknowledged, retried later
    await router.onMobileOriginated(part(1, 'first half, ')); // its acknowledgement was lost
    await waitUntil(() => admission.admitted.length === 1, 2_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(admission.admitted.map(textOf), ['first half, second half']);
  });

  it('takes a part the SMSC offers again after its reply was routed (our acknowledgement was lost) as that part, not a new reply', async () => {
    const admission = new Admission();
    router = await startRouter(store, Date.now, admission, 100);
    await router.onMobileOriginated(part(1, 'first half, '));
    await router.onMobileOriginated(part(2, 'second half'));
    await router.onMobileOriginated(part(2, 'second half'));
    await router.onMobileOriginated(part(2, 'other text, same reference: a new reply'));
    await waitUntil(() => admission.admitted.length === 2, 2_000);
    assert.deepEqual(admission.admitted.map(textOf), ['first half, second half', 'other text, same reference: a new reply']);
    assert.deepEqual(await store.pendingMoParts(), []);
  });

  it('stores the new start of the wait with parts that wait again after a transient failure', async () => {
    let now = 1_000_000;
    const admission = new Admission([new GatewayError('STORE_WRITE_FAILED', 'disk busy', { impsStatus: 500, transient: true })]);
    router = await startRouter(store, () => now, admission);
    await router.onMobileOriginated(part(1, 'first half, '));
    now += 5_000;
    await assert.rejects(router.onMobileOriginated(part(2, 'second half')), /disk busy/);
    assert.deepEqual((await store.pendingMoParts()).map((p) => p.firstAtMs), [now], 'the row names the wait that is in memory');
  });
});

describe('MoReplyRouter across a restart', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sspgw-mo-reply-'));
    path = join(dir, 'gateway.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** `use` a router started on the store file left by a restart; it is stopped and the store closed after. */
  async function afterRestart(now: () => number, admission: Admission, use: (router: MoReplyRouter, after: SqliteSmsStore) => Promise<void>): Promise<void> {
    const after = new SqliteSmsStore(path);
    const router = await startRouter(after, now, admission);
    try {
      await use(router, after);
    } finally {
      router.stop();
      await after.close();
    }
  }

  /** Part 1 reaches a router that is then thrown away, as in a restart; the store file is all that is left. */
  async function acknowledgeFirstPartThenRestart(now: () => number, admission: Admission): Promise<void> {
    const before = new SqliteSmsStore(path);
    const router = await startRouter(before, now, admission);
    await router.onMobileOriginated(part(1, 'first half, '));
    router.stop();
    await before.close();
  }

  it('joins a part acknowledged before the restart with the part that arrives after it', async () => {
    const admission = new Admission();
    await acknowledgeFirstPartThenRestart(() => 1_000_000, admission);
    await afterRestart(() => 1_000_000, admission, async (router, after) => {
      await router.onMobileOriginated(part(2, 'second half'));
      assert.deepEqual(admission.admitted.map(textOf), ['first half, second half']);
      assert.deepEqual(await after.pendingMoParts(), [], 'the next start has nothing to take up');
    });
  });

  it('passes a reloaded reply on incomplete when the wait begun before the restart ends, not a whole timeout later', async () => {
    let now = 1_000_000;
    const admission = new Admission();
    await acknowledgeFirstPartThenRestart(() => now, admission);
    now += TIMEOUT_MS - 10;
    await afterRestart(() => now, admission, async (_router, after) => {
      assert.equal(admission.admitted.length, 0, 'part 2 may still come');
      now += 10;
      assert.equal(textOf(await admission.next()), 'first half, ');
      await waitUntil(async () => (await after.pendingMoParts()).length === 0, 2_000);
    });
  });

  it('admits a reply once, also after a restart, when moving its waiting rows to a new wait failed', async () => {
    let now = 1_000_000;
    const admission = new Admission([new GatewayError('STORE_WRITE_FAILED', 'disk busy', { impsStatus: 500, transient: true })]);
    const before = new SqliteSmsStore(path);
    const router = await startRouter(failingOnce(before, 'moveMoWait'), () => now, admission, 100);
    await router.onMobileOriginated(part(1, 'first half, '));
    now += 5_000;
    await router.onMobileOriginated(part(2, 'second half')); // kept with its reply, which is retried under its first wait
    await waitUntil(() => admission.admitted.length === 1, 2_000);
    await waitUntil(async () => (await before.pendingMoParts()).length === 0, 2_000);
    router.stop();
    await before.close();
    const after = new SqliteSmsStore(path);
    const restarted = await startRouter(after, () => now + 120_000, admission, 100);
    await new Promise((resolve) => setTimeout(resolve, 300));
    restarted.stop();
    await after.close();
    assert.deepEqual(admission.admitted.map(textOf), ['first half, second half']);
  });

  /**
   * A whole reply routed, then the restart, before the SMSC had our acknowledgement of part 2. `crashBeforeForget`:
   * the process died after the reply's IM was stored but before its rows were deleted.
   */
  async function routeWholeReplyThenRestart(admission: Admission, now: () => number, crashBeforeForget = false): Promise<void> {
    const before = new SqliteSmsStore(path);
    const crashing = Object.assign(Object.create(before) as SqliteSmsStore, { deletePendingMoParts: async () => Promise.reject(new Error('killed')) });
    const router = await startRouter(crashBeforeForget ? crashing : before, now, admission);
    await router.onMobileOriginated(part(1, 'first half, '));
    await router.onMobileOriginated(part(2, 'second half'));
    router.stop();
    await before.close();
  }

  it('knows a part the SMSC offers again after a restart as a repeat of the reply routed before it', async () => {
    let now = 1_000_000;
    const admission = new Admission();
    await routeWholeReplyThenRestart(admission, () => now);
    now += TIMEOUT_MS - 1;
    await afterRestart(() => now, admission, async (router, after) => {
      await router.onMobileOriginated(part(2, 'second half'));
      assert.deepEqual(await after.pendingMoParts(), [], 'acknowledged without starting a reply of its own');
      now += TIMEOUT_MS;
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(admission.admitted.map(textOf), ['first half, second half']);
    });
  });

  it('takes a part offered a reassembly timeout after its reply was routed, across a restart, as a new reply', async () => {
    let now = 1_000_000;
    const admission = new Admission();
    await routeWholeReplyThenRestart(admission, () => now);
    now += TIMEOUT_MS + 1;
    await afterRestart(() => now, admission, async (router, after) => {
      await router.onMobileOriginated(part(2, 'second half'));
      assert.deepEqual((await after.pendingMoParts()).map((row) => row.text), ['second half'], 'waits for the rest of its reply');
    });
  });

  it('admits a reply again under the same id when the restart came after its IM was stored but before its parts were forgotten', async () => {
    const admission = new Admission();
    await routeWholeReplyThenRestart(admission, () => 1_000_000, true);
    await afterRestart(() => 2_000_000, admission, async (router) => {
      await router.onMobileOriginated({ ...part(2, 'second half'), receivedAt: new Date('2026-11-23T12:05:00Z') });
      assert.deepEqual(admission.admitted.map(textOf), ['first half, second half', 'first half, second half']);
      assert.equal(admission.ids[1], admission.ids[0], 'the second admission is a duplicate of the first (same id)');
    });
  });

  it('admits a reply whose wait ended during the restart under the id of the whole reply admitted before it', async () => {
    const admission = new Admission();
    await routeWholeReplyThenRestart(admission, () => 1_000_000, true);
    await afterRestart(() => 1_000_000 + TIMEOUT_MS + 1, admission, async () => {
      await admission.next();
      assert.deepEqual(admission.admitted.map(textOf), ['first half, second half', 'first half, ']);
      assert.equal(admission.ids[1], admission.ids[0], 'the incomplete copy is a duplicate to admission');
    });
  });

  /** Stored before the crash: a 3-part reply released with parts 1 and 2 (rows not yet deleted), then part 3 in a new wait. */
  async function storeTwoWaitsOfOneKey(): Promise<void> {
    const before = new SqliteSmsStore(path);
    const row = (sequence: number, firstAtMs: number) => ({ messageKey: ['smpp', CUSTOMER, REPLY_NUMBER, 7, 3].join('\u0000'), sequence, total: 3, reference: 7, transport: 'smpp' as const, from: CUSTOMER, to: REPLY_NUMBER, text: `p${sequence} `, receivedAtMs: firstAtMs, firstAtMs });
    for (const [sequence, firstAtMs] of [[1, 1_000_000], [2, 1_000_000], [3, 1_030_000]] as const) await before.savePendingMoPart(row(sequence, firstAtMs));
    await before.close();
  }

  it('routes the rows of an older wait apart from a newer wait of the same reply key, never joined with it', async () => {
    await storeTwoWaitsOfOneKey();
    const admission = new Admission();
    await afterRestart(() => 1_040_000, admission, async (_router, after) => {
      assert.equal(textOf(await admission.next()), 'p1 p2 ');
      await waitUntil(async () => (await after.pendingMoParts()).length === 1, 2_000);
      assert.deepEqual((await after.pendingMoParts()).map((part) => [part.sequence, part.firstAtMs]), [[3, 1_030_000]], 'part 3 waits on in its own wait');
    });
  });

  it('retries an older wait apart when its routing fails at start-up, never joining it with the newer wait of its key', async () => {
    await storeTwoWaitsOfOneKey();
    const admission = new Admission([new GatewayError('STORE_WRITE_FAILED', 'disk busy', { impsStatus: 500, transient: true })]);
    await afterRestart(() => 1_040_000, admission, async (_router, after) => {
      await waitUntil(async () => admission.attempts === 1, 2_000);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual((await after.pendingMoParts()).map((part) => [part.sequence, part.firstAtMs]), [[1, 1_000_000], [2, 1_000_000], [3, 1_030_000]], 'each wait keeps its rows');
      assert.equal(admission.admitted.length, 0);
    });
  });
});
