// Routing and delivery across three domains with a real authoritative DNS server (Knot) for ENUM and SRV:
// number portability, store-and-forward while a peer is down, agreements, failover, retransmissions, explain.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SinkRecord } from '../../src/app';
import { main } from '../../src/cli/main';
import type { RouteExplanation } from '../../src/routing';
import { startDomains, type Domains } from '../support/domain-harness';
import { fixturePath } from '../support/paths';
import { messageIdOf, statusCodeOf, textMessage } from '../support/ssp-messages';
import { waitForEvent, waitUntil } from '../support/wait-for';

const A = 'imsp-a.test';
const B = 'imsp-b.test';
const C = 'imsp-c.test';
const deliveriesOf = (records: SinkRecord[], messageID: string) => records.filter((r) => r.type === 'SendMessageRequest' && messageIdOf(r.body) === messageID);

describe('routing and delivery between three domains (ENUM and SRV from a real Knot server)', function () {
  let domains: Domains;
  let configDir: string;

  before(async () => {
    domains = await startDomains(
      [
        { domain: A, config: { peers: [{ domain: B }, { domain: C }], routing: { homeNumberPrefixes: ['+4790'], smsOnly: { routingNumberPrefixes: ['+4799'] } } } },
        { domain: B, deadFirstTarget: true, config: { peers: [{ domain: A }, { domain: C }] } },
        { domain: C, down: true, config: { peers: [{ domain: A }, { domain: B }] } },
      ],
      { dns: 'knot', extraZoneFiles: [fixturePath('zones', 'routing', 'e164.arpa.zone')] },
    );
    configDir = mkdtempSync(join(tmpdir(), 'sspgw-route-'));
  });
  after(async () => {
    await domains?.stop();
    rmSync(configDir, { recursive: true, force: true });
  });

  const sendFromA = (to: string, options: { transactionID?: string } = {}) => {
    const request = textMessage('wv:alice@imsp-a.test', [to], `to ${to}`);
    return { request, answer: domains.get(A).sink.request(A, request, options) };
  };

  it("delivers a wv:+MSISDN of B's number range to B's core through ENUM, failing over past B's dead first SRV target", async () => {
    const { request, answer } = sendFromA('wv:+4791000001');
    assert.equal(statusCodeOf(await answer), 200);
    assert.equal(deliveriesOf(domains.get(B).sink.received, request.messageInfo.messageID).length, 1);
  });

  it('refuses a number whose operator has no interworking agreement with 506', async () => {
    const { answer } = sendFromA('wv:+4793000001');
    const received = await answer;
    assert.equal(statusCodeOf(received), 506);
  });

  it('delivers a retransmitted transaction once and answers both copies alike', async () => {
    const request = textMessage('wv:alice@imsp-a.test', ['wv:+4791000001'], 'said once');
    const first = await domains.get(A).sink.request(A, request, { transactionID: 'retx-1' });
    const second = await domains.get(A).sink.request(A, request, { transactionID: 'retx-1' });
    assert.equal(statusCodeOf(first), 200);
    assert.deepEqual(second, first);
    assert.equal(deliveriesOf(domains.get(B).sink.received, request.messageInfo.messageID).length, 1);
    const metrics = await (await fetch(new URL('metrics', domains.get(A).gateway.adminUrl))).text();
    assert.match(metrics, /ssp_duplicate_transactions_total\{peer="core"\} [1-9]/);
  });

  it('queues a ported number (B range → C) while C is down, then delivers it exactly once when C comes up', async () => {
    const { request, answer } = sendFromA('wv:+4791000002');
    const queued = await answer;
    assert.equal(statusCodeOf(queued), 200);
    assert.match((queued as { status: { description?: string } }).status.description ?? '', /queued/);
    const store = domains.get(A).gateway.store;
    assert.deepEqual((await store.queueDepths()).map((d) => [d.target, d.depth]), [[C, 1]]);

    const c = await domains.startLater(C);
    await waitForEvent<SinkRecord>(c.sink, 'transaction', (r) => messageIdOf(r.body) === request.messageInfo.messageID);
    await waitUntil(async () => (await store.queueDepths()).length === 0);
    assert.equal(deliveriesOf(c.sink.received, request.messageInfo.messageID).length, 1);
    assert.equal(deliveriesOf(domains.get(B).sink.received, request.messageInfo.messageID).length, 0, 'never to the number range holder');
  });

  describe('route explanation (`ssp-gateway route` and admin /routes)', () => {
    const cases: Array<[string, string, Partial<RouteExplanation>]> = [
      ["a number of B's range", 'wv:+4791000001', { decision: 'peer', peer: B, status: null }],
      ['a number ported to C', 'wv:+4791000002', { decision: 'peer', peer: C, status: null }],
      ['a number of our range ported out to an SMS-only operator (ENUM pstn:tel rn)', 'wv:+4790000007', { decision: 'sms', peer: null, status: null }],
      ['a number of an operator without agreement', 'wv:+4793000001', { decision: 'reject', peer: null, status: 506 }],
      ['a user of a domain without agreement', 'wv:eve@imsp-x.test', { decision: 'reject', peer: null, status: 506 }],
      ['one of our own users', 'wv:alice@imsp-a.test', { decision: 'local', peer: null, status: null }],
      ['an id that is no user id', 'alice', { decision: 'reject', peer: null, status: 402 }],
    ];
    for (const [name, user, expected] of cases) {
      it(`explains ${name}`, async () => {
        const configFile = join(configDir, 'imsp-a.yaml');
        writeFileSync(configFile, JSON.stringify({ ...domains.configOf(A), core: { url: 'http://127.0.0.1:1/' } }));
        const out: string[] = [];
        const code = await main(['route', user, '--config', configFile, '--json'], { stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
        assert.equal(code, 0, out.join('\n'));
        const explained = JSON.parse(out.join('')) as RouteExplanation;
        for (const [key, value] of Object.entries(expected)) assert.deepEqual(explained[key as keyof RouteExplanation], value, `${key}: ${out.join('')}`);
        assert.ok(explained.trace.length > 0);
        const viaAdmin = await fetch(new URL(`routes/${encodeURIComponent(user)}?service=im`, domains.get(A).gateway.adminUrl));
        assert.equal(((await viaAdmin.json()) as RouteExplanation).decision, expected.decision);
      });
    }

    it('answers 400, not 500, to a route request that is not valid percent-encoding, and keeps serving', async () => {
      const adminUrl = domains.get(A).gateway.adminUrl;
      for (const bad of ['routes/%', 'routes/%E0%A4%A']) {
        const response = await fetch(new URL(bad, adminUrl));
        assert.equal(response.status, 400, bad);
        assert.match(((await response.json()) as { error: string }).error, /percent-encoding/);
      }
      assert.equal((await fetch(new URL('healthz', adminUrl))).status, 200);
    });

    it("lists B's SRV targets in failover order, the dead one first", async () => {
      const explained = await domains.get(A).gateway.routing.explain('wv:+4791000001', 'im');
      assert.deepEqual(explained.targets.map((t) => [t.priority, t.target]), [[10, `dead.${B}`], [20, `gw.${B}`]]);
      assert.ok(explained.trace.some((step) => /NAPTR/.test(step)) && explained.trace.some((step) => /SRV/.test(step)));
    });
  });
});

describe('rate limits', function () {
  let domains: Domains;
  before(async () => {
    domains = await startDomains([
      { domain: A, config: { peers: [{ domain: B }], limits: { perPeer: { transactionsPerSecond: 0.5, burst: 2 } } } },
      { domain: B, config: { peers: [{ domain: A }] } },
    ]);
  });
  after(async () => domains?.stop());

  it('answers excess with 503 and a TryAgainTimeout instead of queueing it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => domains.get(A).sink.request(A, textMessage('wv:alice@imsp-a.test', ['wv:bob@imsp-b.test'], 'burst', false))),
    );
    const codes = answers.map(statusCodeOf);
    assert.equal(codes.filter((c) => c === 200).length, 2, `burst of 2 passes: ${codes.join(',')}`);
    const limited = answers.filter((a) => statusCodeOf(a) === 503);
    assert.equal(limited.length, 3);
    for (const answer of limited) assert.ok(((answer as { status: { tryAgainTimeoutSeconds?: number } }).status.tryAgainTimeoutSeconds ?? 0) >= 1);
  });
});
