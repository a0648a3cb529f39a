// SMS-only (legacy) customers seen from our core: presence, subscription and search answered by the gateway
// with the profile's SMS-only presence (seed 002 §16.2; seed 000 use case 1.a/1.b, IM-0010, IM-0090, IM-0140).
import { strict as assert } from 'node:assert';
import type { SinkRecord } from '../../src/app';
import type { PresenceValue, TransactionBody } from '../../src/ssp';
import { startDomains, type Domains } from '../support/domain-harness';
import { fixturePath } from '../support/paths';
import { statusCodeOf } from '../support/ssp-messages';
import { waitForEvent } from '../support/wait-for';

const A = 'imsp-a.test';
const attributeText = (value: PresenceValue, name: string, child: string) =>
  value.attributes.find((a) => a.name === name)?.children.find((c) => c.name === child)?.text;

describe('SMS-only users: presence and search', function () {
  let domains: Domains;
  before(async () => {
    domains = await startDomains(
      [{ domain: A, config: { routing: { smsOnly: { numberPrefixes: ['+4799'], domains: ['imsp-x.test'], statusText: 'Unknown (SMS)' } } } }],
      { extraZoneFiles: [fixturePath('zones', 'routing', 'e164.arpa.zone')] },
    );
  });
  after(async () => domains?.stop());

  const ask = (body: TransactionBody) => domains.get(A).sink.request(A, body);

  for (const [kind, number] of [
    ['a range without IM interworking', '+4799000001'],
    ['an operator ENUM names that has no interworking', '+4793000001'],
  ] as const) {
    it(`answers GetPresence for a customer of ${kind} as available, ClientType CLI, with the configured StatusText`, async () => {
      const answer = await ask({ kind: 'GetPresenceRequest', metaInfo: { requestorUserID: 'wv:alice@imsp-a.test' }, userIDs: [`wv:${number}`], attributeNames: [] });
      assert.equal(answer.kind, 'GetPresenceResponse');
      if (answer.kind !== 'GetPresenceResponse') return;
      assert.equal(answer.status?.code, 200);
      const [value] = answer.presence;
      assert.ok(value);
      assert.equal(value.userID, `wv:${number}`);
      assert.equal(attributeText(value, 'OnlineStatus', 'PresenceValue'), 'T');
      assert.equal(attributeText(value, 'OnlineStatus', 'ClientID'), number);
      assert.equal(attributeText(value, 'ClientInfo', 'ClientType'), 'CLI');
      assert.equal(attributeText(value, 'UserAvailability', 'PresenceValue'), 'AVAILABLE');
      assert.equal(attributeText(value, 'StatusText', 'PresenceValue'), 'Unknown (SMS)');
    });
  }

  it('accepts a subscription and notifies the watcher with the SMS-only presence', async () => {
    const notified = waitForEvent<SinkRecord>(domains.get(A).sink, 'transaction', (r) => r.type === 'PresenceNotification');
    const answer = await ask({ kind: 'SubscribeRequest', metaInfo: { requestorUserID: 'wv:alice@imsp-a.test' }, userIDs: ['wv:+4799000002'], attributeNames: ['OnlineStatus'] });
    assert.equal(statusCodeOf(answer), 200);
    const notification = (await notified).body as { watcherUserIDs: string[]; presence: PresenceValue[] };
    assert.deepEqual(notification.watcherUserIDs, ['wv:alice@imsp-a.test']);
    assert.equal(notification.presence[0]?.userID, 'wv:+4799000002');
  });

  it('finds an SMS-only customer by MSISDN as wv:+MSISDN', async () => {
    const answer = await ask({ kind: 'SearchRequest', metaInfo: { requestorUserID: 'wv:alice@imsp-a.test' }, pairs: [{ element: 'USER_MOBILE_NUMBER', value: '+4799000003' }], limit: 5 });
    assert.equal(answer.kind, 'SearchResponse');
    assert.deepEqual(answer.kind === 'SearchResponse' && answer.users.map((u) => u.userID), ['wv:+4799000003']);
  });

  it('explains the decision as sms', async () => {
    const explained = await domains.get(A).gateway.routing.explain('wv:+4799000001', 'pres');
    assert.equal(explained.decision, 'sms');
    assert.match(explained.reason, /\+4799/);
  });
});
