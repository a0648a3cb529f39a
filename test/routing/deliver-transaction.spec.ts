import { strict as assert } from 'node:assert';
import type { SspRequester } from '../../src/delivery';
import type { EnumResolver, EnumStatus } from '../../src/enum';
import { GatewayError } from '../../src/errors';
import { createLogger } from '../../src/log';
import { TransactionDelivery, UserRouter } from '../../src/routing';
import { statusOf, type TransactionBody } from '../../src/ssp';
import { SqliteTransactionStore, type StoredTransaction } from '../../src/store';
import { textMessage } from '../support/ssp-messages';

const CORE = 'imsp-a.test';
const PEER = 'imsp-b.test';
const OTHER_PEER = 'imsp-c.test';

/** ENUM that answers `status` (but TIMEOUT for the numbers in `unavailable`) until told otherwise; OK names imsp-b.test, or the domain a number is `ported` to. */
function switchableEnum(initial: EnumStatus): EnumResolver & { status: EnumStatus; unavailable: Set<string>; ported: Map<string, string> } {
  const resolver = {
    status: initial,
    unavailable: new Set<string>(),
    ported: new Map<string, string>(),
    resolve: async (number: string, service: 'im' | 'pres' | 'sip' | 'pstn:tel') => {
      const status = resolver.unavailable.has(number) ? 'TIMEOUT' : resolver.status;
      const uris = status === 'OK' ? [`im:${number}@${resolver.ported.get(number) ?? PEER}`] : [];
      return { number, aus: number, service, status, uris, suffix: null, ttlSeconds: 0, np: null, records: [], cached: false, trace: [] };
    },
  };
  return resolver;
}

const recipientsOf = (body: TransactionBody | undefined) => (body?.kind === 'SendMessageRequest' ? body.messageInfo.recipients.map((r) => (r.kind === 'user' ? r.userID : r.groupID)) : []);

/** Our side of the SSP link: records requests; the peer is up or unreachable as the test says. */
function sspLink() {
  const link = {
    peerUp: true,
    /** The peer takes requests but its answers are lost (it may or may not have delivered). */
    peerSilent: false,
    /** The peer answers with this status (503: its rate limit, with TryAgainTimeout) instead of taking the request. */
    peerRefusal: undefined as number | undefined,
    /** The peer answers this (e.g. its stored answer to an earlier send under the same transactionID). */
    peerAnswer: undefined as TransactionBody | undefined,
    requests: [] as Array<{ domain: string; body: TransactionBody; transactionID: string | undefined }>,
    /** Every request that reached the peer, answered or not. */
    sent: [] as Array<{ domain: string; transactionID: string | undefined; recipients: string[] }>,
    answers: [] as Array<{ domain: string; body: TransactionBody }>,
    requester: undefined as unknown as SspRequester,
  };
  link.requester = {
    request: async (domain, body, options) => {
      if (!link.peerUp) throw new GatewayError('PEER_UNREACHABLE', `${domain} refused the connection`, { impsStatus: 503, transient: true });
      link.sent.push({ domain, transactionID: options?.transactionID, recipients: recipientsOf(body) });
      if (link.peerSilent) throw new GatewayError('SSP_TIMEOUT', `no answer from ${domain} in time`, { impsStatus: 503, transient: true });
      link.requests.push({ domain, body, transactionID: options?.transactionID });
      if (link.peerRefusal !== undefined) return { kind: 'Status', status: statusOf(link.peerRefusal, 'rate limit exceeded (peer): try again in 2 s', { tryAgainTimeoutSeconds: 2 }) };
      if (link.peerAnswer) return link.peerAnswer;
      return body.kind === 'SendMessageRequest' ? { kind: 'SendMessageResponse', messageID: body.messageInfo.messageID, status: statusOf(200) } : { kind: 'Status', status: statusOf(200) };
    },
    respond: async (domain, _transactionID, body) => void link.answers.push({ domain, body }),
  };
  return link;
}

function rig(options: { enumStatus: EnumStatus; queueDepth?: number; clock?: { nowMs: number } }) {
  const queue = { depth: options.queueDepth ?? 0 };
  const store = new SqliteTransactionStore(':memory:');
  const enumResolver = switchableEnum(options.enumStatus);
  const link = sspLink();
  const clock = options.clock ?? { nowMs: Date.now() };
  const now = clock.nowMs;
  const delivery = new TransactionDelivery({
    domain: CORE,
    coreDomain: CORE,
    router: new UserRouter({ domain: CORE, domainAliases: [], homeNumberPrefixes: [], numberRoutes: [], enumResolver }),
    requester: link.requester,
    store,
    describeOrigin: (domain) => ({ isCore: domain === CORE, presentUsersAs: 'msisdn' }),
    retry: { initialMs: 1000, maxMs: 1000, jitter: 0 },
    maxQueuePerTarget: 100,
    queueDepth: () => queue.depth,
    smsOnlyStatusText: 'SMS-only',
    now: () => clock.nowMs,
    logger: createLogger('silent'),
  });
  const accept = async (recipients = ['wv:+4791000001']): Promise<StoredTransaction> => {
    const outcome = await store.accept({ id: 'rec-1', originDomain: CORE, originTransactionID: 'core-1', body: textMessage('wv:alice@imsp-a.test', recipients, 'hei'), acceptedAtMs: now, expiresAtMs: now + 3_600_000, nextAttemptAtMs: now });
    return outcome.record;
  };
  /** The stored record as the scheduler would hand it out next (claimed at a time after every retry). */
  const reload = async (): Promise<StoredTransaction | undefined> => (await store.claimDue(now + 3_600_000 - 1, 10, now + 3_600_000))[0];
  return { store, enumResolver, link, delivery, accept, reload, queue };
}

const statusCodeOf = (body: TransactionBody | undefined) => (body && 'status' in body ? body.status?.code : undefined);

describe('TransactionDelivery', () => {
  it('queues a message whose recipient ENUM cannot resolve now (TIMEOUT) and delivers it once ENUM answers', async () => {
    const { enumResolver, link, delivery, accept, reload, store } = rig({ enumStatus: 'TIMEOUT' });
    await delivery.deliver(await accept());
    assert.equal(link.requests.length, 0);
    assert.equal(statusCodeOf(link.answers[0]?.body), 200, 'the core is told the message is accepted and queued');
    const queued = await reload();
    assert.deepEqual(queued?.targets, ['enum:']);

    enumResolver.status = 'OK';
    await delivery.deliver(queued as StoredTransaction);
    assert.deepEqual(link.requests.map((r) => r.domain), [PEER]);
    assert.equal(await reload(), undefined, 'nothing left to deliver');
    assert.equal(link.answers.length, 1, 'the core got exactly one answer');
    await store.close();
  });

  it('sends a peer only the recipients ENUM resolved, and the others once ENUM answers for them', async () => {
    const { enumResolver, link, delivery, accept, reload, store } = rig({ enumStatus: 'OK' });
    enumResolver.unavailable.add('+4791000002');
    await delivery.deliver(await accept(['wv:+4791000001', 'wv:+4791000002']));
    assert.deepEqual(recipientsOf(link.requests[0]?.body), ['wv:+4791000001']);
    const queued = await reload();
    assert.deepEqual(queued?.targets, ['enum:']);

    enumResolver.unavailable.clear();
    await delivery.deliver(queued as StoredTransaction);
    assert.deepEqual(recipientsOf(link.requests[1]?.body), ['wv:+4791000002']);
    assert.equal(link.requests.length, 2);
    const [first, second] = link.requests.map((request) => request.transactionID);
    assert.ok(first?.startsWith('rec-1-imsp-b.test-') && second?.startsWith('rec-1-imsp-b.test-'));
    assert.notEqual(first, second, "a new set of recipients is a new transaction: the peer's duplicate check must not swallow it");
    await store.close();
  });

  it('sends recipients whose send timed out under its transactionID again, apart from those ENUM resolved since', async () => {
    const { enumResolver, link, delivery, accept, reload, store } = rig({ enumStatus: 'OK' });
    enumResolver.unavailable.add('+4791000002');
    link.peerSilent = true;
    await delivery.deliver(await accept(['wv:+4791000001', 'wv:+4791000002']));
    assert.deepEqual(link.sent.map((r) => [r.domain, r.recipients]), [[PEER, ['wv:+4791000001']]]);

    // The peer may have delivered to +4791000001: it must see the repeat as the transaction it took before.
    enumResolver.unavailable.clear();
    link.peerSilent = false;
    await delivery.deliver((await reload()) as StoredTransaction);
    const [timedOut, ...secondRound] = link.sent;
    const sentTo = (recipient: string) => secondRound.filter((r) => r.recipients.includes(recipient));
    assert.equal(secondRound.length, 2);
    assert.deepEqual(sentTo('wv:+4791000001').map((r) => [r.domain, r.recipients, r.transactionID]), [[PEER, ['wv:+4791000001'], timedOut?.transactionID]]);
    assert.deepEqual(sentTo('wv:+4791000002').map((r) => [r.domain, r.recipients]), [[PEER, ['wv:+4791000002']]]);
    assert.notEqual(sentTo('wv:+4791000002')[0]?.transactionID, timedOut?.transactionID);
    assert.equal(await reload(), undefined, 'both delivered');
    await store.close();
  });

  it('sends what stays with a peer of a send that timed out under its transactionID when a recipient is ported away', async () => {
    const { enumResolver, link, delivery, accept, reload, store } = rig({ enumStatus: 'OK' });
    link.peerSilent = true;
    await delivery.deliver(await accept(['wv:+4791000001', 'wv:+4791000002']));
    const [timedOut] = link.sent;
    assert.deepEqual(timedOut?.recipients, ['wv:+4791000001', 'wv:+4791000002']);

    link.peerSilent = false;
    enumResolver.ported.set('+4791000002', OTHER_PEER);
    await delivery.deliver((await reload()) as StoredTransaction);
    const secondRound = link.sent.slice(1).sort((a, b) => a.domain.localeCompare(b.domain));
    assert.deepEqual(secondRound.map((r) => [r.domain, r.recipients, r.transactionID === timedOut?.transactionID]), [
      [PEER, ['wv:+4791000001'], true],
      [OTHER_PEER, ['wv:+4791000002'], false],
    ]);
    assert.equal(await reload(), undefined);
    await store.close();
  });

  it('sends a recipient of an answered transactionID under another one: the peer would answer it from its store', async () => {
    const { enumResolver, link, delivery, accept, reload, store } = rig({ enumStatus: 'OK' });
    link.peerSilent = true;
    await delivery.deliver(await accept(['wv:+4791000001', 'wv:+4791000002']));
    const [timedOut] = link.sent;

    link.peerSilent = false;
    enumResolver.unavailable.add('+4791000002');
    await delivery.deliver((await reload()) as StoredTransaction);
    assert.deepEqual(link.sent.slice(1).map((r) => [r.recipients, r.transactionID]), [[['wv:+4791000001'], timedOut?.transactionID]]);

    enumResolver.unavailable.clear();
    await delivery.deliver((await reload()) as StoredTransaction);
    const [third] = link.sent.slice(2);
    assert.deepEqual(third?.recipients, ['wv:+4791000002']);
    assert.notEqual(third?.transactionID, timedOut?.transactionID, 'a peer that missed the first send took the second one: it would not deliver this');
    assert.equal(await reload(), undefined);
    await store.close();
  });

  it("reports no failure for a recipient whose repeated send the peer answers with its 201 to the larger first send", async () => {
    const { enumResolver, link, delivery, accept, reload, store } = rig({ enumStatus: 'OK' });
    link.peerSilent = true;
    await delivery.deliver(await accept(['wv:+4791000001', 'wv:+4791000002']));

    // The peer had taken the first send: delivered to …01, failed …02 — and replays that answer now.
    link.peerSilent = false;
    link.peerAnswer = { kind: 'SendMessageResponse', messageID: 'm1', status: statusOf(201, undefined, { detailedResults: [{ code: 531, description: 'unknown user', userIDs: ['wv:+4791000002'] }] }) };
    enumResolver.unavailable.add('+4791000002');
    await delivery.deliver((await reload()) as StoredTransaction);
    const due = await store.claimDue(Date.now() + 3_600_000, 10, Date.now() + 3_600_001);
    assert.deepEqual(
      due.map((record) => [record.originDomain, recipientsOf(record.body)]),
      [[CORE, ['wv:+4791000002']]],
      'the message still waits for …02, and no failure report is owed for …01',
    );
    await store.close();
  });

  it('repeats an attempt to a hop under the same transactionID, so that the peer answers the repeat without delivering again', async () => {
    const { link, delivery, accept, store } = rig({ enumStatus: 'OK' });
    const record = await accept(['wv:+4791000002', 'wv:+4791000001']);
    await delivery.deliver(record);
    // The same stored record handed out again, as after a crash before its completion was written.
    await delivery.deliver(record);
    const ids = link.requests.map((request) => request.transactionID);
    assert.equal(ids.length, 2);
    assert.equal(ids[0], ids[1]);
    await store.close();
  });

  it("queues a message the peer answers 503 (busy, try again) and delivers it when the peer takes it", async () => {
    const { link, delivery, accept, reload, store } = rig({ enumStatus: 'OK' });
    link.peerRefusal = 503;
    await delivery.deliver(await accept());
    const queued = await reload();
    assert.deepEqual(queued?.targets, [PEER], 'waiting for the peer, not failed with its 503');
    assert.equal(statusCodeOf(link.answers[0]?.body), 200);

    link.peerRefusal = undefined;
    await delivery.deliver(queued as StoredTransaction);
    assert.equal(await reload(), undefined, 'delivered');
    assert.equal(link.requests.length, 2);
    assert.equal(link.answers.length, 1, 'the origin was answered once');
    await store.close();
  });

  it("takes a peer's 507 (its queue is full, and it keeps that answer for the transactionID) as final", async () => {
    const { link, delivery, accept, reload, store } = rig({ enumStatus: 'OK' });
    link.peerRefusal = 507;
    await delivery.deliver(await accept());
    assert.equal(await reload(), undefined, 'not queued for a retry the peer would answer alike');
    assert.equal(statusCodeOf(link.answers[0]?.body), 507);
    await store.close();
  });

  it('queues a message under every hop it waits for, so that each hop counts it in its queue', async () => {
    const { enumResolver, link, delivery, accept, reload, store } = rig({ enumStatus: 'OK' });
    enumResolver.unavailable.add('+4791000002');
    link.peerUp = false;
    await delivery.deliver(await accept(['wv:+4791000001', 'wv:+4791000002']));
    assert.deepEqual((await reload())?.targets, [PEER, 'enum:']);
    assert.deepEqual((await store.queueDepths()).map((d) => d.target).sort(), ['enum:', PEER].sort());
    await store.close();
  });

  it('keeps a queued message queued on another failure even when its queue is at the bound', async () => {
    const { link, delivery, accept, reload, queue, store } = rig({ enumStatus: 'OK', queueDepth: 5 });
    link.peerUp = false;
    await delivery.deliver(await accept());
    const queued = await reload();
    assert.deepEqual(queued?.targets, [PEER]);
    assert.equal(link.answers.length, 1);

    queue.depth = 100; // this record among them
    await delivery.deliver(queued as StoredTransaction);
    assert.deepEqual((await reload())?.targets, [PEER], 'still waiting for the peer, not given up with 507');
    assert.equal(link.answers.length, 1, 'the origin was answered once, on the first round');
    await store.close();
  });

  it('keeps a message that waited for ENUM queued when its peer turns out down with a full queue (it had its place)', async () => {
    const { enumResolver, link, delivery, accept, reload, queue, store } = rig({ enumStatus: 'TIMEOUT' });
    await delivery.deliver(await accept());
    const waiting = await reload();
    assert.deepEqual(waiting?.targets, ['enum:']);

    enumResolver.status = 'OK';
    link.peerUp = false;
    queue.depth = 100;
    await delivery.deliver(waiting as StoredTransaction);
    assert.deepEqual((await reload())?.targets, [PEER], 'now waiting for the peer, not given up with 507');
    await store.close();
  });

  it('retries no later than the validity, so that the expiry is reported when it happens', async () => {
    const { link, delivery, store } = rig({ enumStatus: 'OK' });
    link.peerUp = false;
    const now = Date.now();
    const body = textMessage('wv:alice@imsp-a.test', ['wv:+4791000001'], 'hei');
    const { record } = await store.accept({ id: 'rec-9', originDomain: CORE, originTransactionID: 'core-9', body, acceptedAtMs: now, expiresAtMs: now + 500, nextAttemptAtMs: now });
    await delivery.deliver(record);
    const due = await store.claimDue(now + 500, 10, now + 10_000);
    assert.deepEqual(due.map((r) => r.id), ['rec-9'], 'due at its expiry, not a whole retry delay (1 s) later');
    await store.close();
  });

  it("stores the failure report of an expired message and retries it until the originator takes it", async () => {
    const clock = { nowMs: Date.now() };
    const { link, delivery, accept, store } = rig({ enumStatus: 'OK', clock });
    const due = async () => store.claimDue(clock.nowMs + 3_600_000, 10, clock.nowMs + 3_600_001);
    link.peerUp = false;
    await delivery.deliver(await accept());
    assert.equal(statusCodeOf(link.answers[0]?.body), 200, 'accepted and queued');

    clock.nowMs += 3_600_000; // the validity is over while every domain is unreachable, the originator's too
    await delivery.deliver((await due())[0] as StoredTransaction);
    const [report] = await due();
    assert.equal(report?.originDomain, `report:${CORE}`);
    assert.equal(report?.body.kind, 'DeliveryStatusReport');
    await delivery.deliver(report as StoredTransaction);
    const [retry] = await due();
    assert.deepEqual([retry?.id, retry?.targets, retry?.attempts], [report?.id, [CORE], 1], 'still owed to the originator');

    link.peerUp = true;
    await delivery.deliver(retry as StoredTransaction);
    assert.deepEqual(link.requests.map((r) => [r.domain, r.body.kind]), [[CORE, 'DeliveryStatusReport']]);
    assert.deepEqual(await due(), [], 'the report was taken; nothing is owed');
    await store.close();
  });

  it('refuses a new message with 507 when the queue for its next hop is full', async () => {
    const { link, delivery, accept, reload, store } = rig({ enumStatus: 'OK', queueDepth: 100 });
    link.peerUp = false;
    await delivery.deliver(await accept());
    assert.equal(await reload(), undefined);
    const answer = link.answers[0]?.body;
    assert.equal(answer?.kind, 'SendMessageResponse');
    assert.equal(statusCodeOf(answer), 507);
    await store.close();
  });
});
