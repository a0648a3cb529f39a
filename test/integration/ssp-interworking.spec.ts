// Two real gateways and two stand-in cores over loopback HTTP: set-up handshake and message round trips.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { startDomains, type Domains } from '../support/domain-harness';
import { textMessage } from '../support/ssp-messages';
import { waitForEvent } from '../support/wait-for';
import type { SinkRecord } from '../../src/app';

const isReportFor = (messageID: string) => (record: SinkRecord) =>
  record.type === 'DeliveryStatusReport' && (record.body.messageInfo as { messageID: string }).messageID === messageID;

describe('SSP interworking between two gateways', function () {
  let domains: Domains;

  before(async () => {
    domains = await startDomains([
      { domain: 'imsp-a.test', config: { peers: [{ domain: 'imsp-b.test' }] } },
      { domain: 'imsp-b.test', config: { peers: [{ domain: 'imsp-a.test' }] } },
    ]);
  });
  after(async () => domains?.stop());

  for (const [from, to] of [
    ['imsp-a.test', 'imsp-b.test'],
    ['imsp-b.test', 'imsp-a.test'],
  ] as const) {
    it(`carries a message ${from} → ${to} and its delivery report back`, async () => {
      const origin = domains.get(from);
      const destination = domains.get(to);
      const request = textMessage(`wv:alice@${from}`, [`wv:bob@${to}`], `Hello from ${from} ✓`);
      const report = waitForEvent(origin.sink, 'transaction', isReportFor(request.messageInfo.messageID));

      const answer = await origin.sink.request(from, request);

      assert.equal(answer.kind, 'SendMessageResponse');
      assert.equal(answer.kind === 'SendMessageResponse' && answer.status.code, 200);
      const delivered = destination.sink.received.find((r) => (r.body.messageInfo as { messageID?: string } | undefined)?.messageID === request.messageInfo.messageID);
      assert.ok(delivered, 'the destination core received the message');
      assert.equal(delivered.peer, to, 'it came from the destination gateway (its own domain)');
      assert.deepEqual((delivered.body.content as { text: string }).text, `Hello from ${from} ✓`);
      assert.equal((delivered.body.messageInfo as { senderUserID: string }).senderUserID, `wv:alice@${from}`);

      const received = await report;
      assert.equal((received.body.result as { code: number }).code, 200);
    });
  }

  it('runs the full set-up handshake in both roles, with announced session ids per side', () => {
    const a = domains.get('imsp-a.test').gateway.node.sessions;
    const b = domains.get('imsp-b.test').gateway.node.sessions;
    const aToB = a.forDomain('imsp-b.test');
    const bToA = b.forDomain('imsp-a.test');
    assert.ok(aToB && bToA, 'each gateway holds a session with the other');
    assert.match(aToB.ourSessionID, /@imsp-a\.test$/);
    assert.match(aToB.theirSessionID, /@imsp-b\.test$/);
    assert.ok(b.byPeerSessionId(aToB.ourSessionID), 'B accepts what A sends under the id A announced');
  });

  it('presents a domain-less wv:+MSISDN sender with our domain to a peer that wants domains', async () => {
    const request = textMessage('wv:+4790000001', ['wv:bob@imsp-b.test'], 'from a number');
    const answer = await domains.get('imsp-a.test').sink.request('imsp-a.test', request);
    assert.equal(answer.kind === 'SendMessageResponse' && answer.status.code, 200);
    const delivered = domains.get('imsp-b.test').sink.received.find((r) => (r.body.messageInfo as { messageID: string }).messageID === request.messageInfo.messageID);
    assert.equal((delivered?.body.messageInfo as { senderUserID: string }).senderUserID, 'wv:+4790000001@imsp-a.test');
  });

  it('splits a multi-recipient message per route and reports the refused recipient (201)', async () => {
    const request = textMessage('wv:alice@imsp-a.test', ['wv:bob@imsp-b.test', 'wv:carol@imsp-a.test'], 'two ways');
    const answer = await domains.get('imsp-a.test').sink.request('imsp-a.test', request);
    assert.equal(answer.kind, 'SendMessageResponse');
    if (answer.kind !== 'SendMessageResponse') return;
    assert.equal(answer.status.code, 201);
    assert.deepEqual(answer.status.detailedResults?.map((d) => [d.code, d.userIDs]), [[402, ['wv:carol@imsp-a.test']]]);
  });

  it('carries a burst of messages to one peer in shared Session POSTs, each delivered once', async () => {
    const requests = Array.from({ length: 40 }, (_, index) => textMessage('wv:alice@imsp-a.test', ['wv:bob@imsp-b.test'], `burst ${index}`));
    const answers = await Promise.all(requests.map((request) => domains.get('imsp-a.test').sink.request('imsp-a.test', request)));
    assert.deepEqual(new Set(answers.map((answer) => answer.kind === 'SendMessageResponse' && answer.status.code)), new Set([200]));
    const delivered = domains.get('imsp-b.test').sink.received.filter((r) => String((r.body.content as { text?: string } | undefined)?.text).startsWith('burst '));
    assert.equal(delivered.length, 40);
    assert.equal(new Set(delivered.map((r) => (r.body.content as { text: string }).text)).size, 40);
    const metrics = await (await fetch(new URL('metrics', domains.get('imsp-a.test').gateway.adminUrl))).text();
    const posts = Number(/ssp_transactions_per_post_count\{peer="imsp-b.test"\} (\d+)/.exec(metrics)?.[1]);
    const carried = Number(/ssp_transactions_per_post_sum\{peer="imsp-b.test"\} (\d+)/.exec(metrics)?.[1]);
    assert.ok(carried >= 40 && posts < carried, `${carried} transactions to imsp-b.test went in ${posts} POSTs`);
  });

  it('exposes metrics that promtool accepts, with the traffic counted', async () => {
    const response = await fetch(new URL('metrics', domains.get('imsp-a.test').gateway.adminUrl));
    const text = await response.text();
    assert.match(text, /ssp_transactions_total\{direction="in",type="SendMessageRequest",status="none"\} [1-9]/);
    assert.match(text, /ssp_sessions\{peer="imsp-b.test",state="established"\} 1/);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(check.error, undefined, 'promtool (Debian package prometheus) must be installed: .ci/run installs it');
    assert.equal(check.status, 0, check.stdout + check.stderr);
  });
});
