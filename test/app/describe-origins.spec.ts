import { strict as assert } from 'node:assert';
import { createOriginDescriber } from '../../src/app/describe-origins';
import type { PeerDirectory, PeerPolicy } from '../../src/listener';
import { SMS_ORIGIN } from '../../src/sms';
import { fixturePath } from '../support/paths';
import { testConfig } from '../support/test-config';

const config = testConfig([fixturePath('zones', 'e164.arpa.zone')], {
  routing: { domainAliases: ['im.operator-a.test'] },
  peers: [{ domain: 'imsp-b.test', allowSms: true, presentUsersAs: 'domain' }, { domain: 'imsp-c.test', presentUsersAs: 'msisdn' }],
});

/** The configured agreements; any other domain is a stranger. Counts how often a policy is read. */
function directory() {
  const reads: string[] = [];
  const policyFor = (domain: string): PeerPolicy => {
    reads.push(domain);
    const peer = config.peers.find((p) => p.domain === domain);
    const isCore = domain === 'core.imsp-a.test';
    return { domain, label: peer || isCore ? domain : 'other', isCore, allowFrom: [], presentUsersAs: peer?.presentUsersAs ?? 'msisdn', agreed: Boolean(peer) || isCore, transactions: new Set(['SendMessageRequest']) };
  };
  const peers: PeerDirectory = { policyFor, endpointsFor: async () => [] };
  return { peers, reads };
}

describe('createOriginDescriber', () => {
  it('lets our core speak for our domain and its aliases, a peer for its own domain only', () => {
    const describe = createOriginDescriber(config, directory().peers);
    assert.deepEqual([...describe('core.imsp-a.test').policy.userDomains].sort(), ['im.operator-a.test', 'imsp-a.test']);
    assert.deepEqual([...describe('imsp-b.test').policy.userDomains], ['imsp-b.test']);
  });

  it('takes bare numbers from our core and MNP-aware peers, and SMS only from peers allowed to', () => {
    const describe = createOriginDescriber(config, directory().peers);
    const [b, c] = [describe('imsp-b.test'), describe('imsp-c.test')];
    assert.deepEqual([b.policy.acceptsBareMsisdn, b.allowsSms, b.presentUsersAs], [false, true, 'domain']);
    assert.deepEqual([c.policy.acceptsBareMsisdn, c.allowsSms, c.presentUsersAs], [true, false, 'msisdn']);
    assert.equal(describe(SMS_ORIGIN).isSms, true);
  });

  it('reads an agreed domain once, a stranger each time (open federation must not fill memory)', () => {
    const { peers, reads } = directory();
    const describe = createOriginDescriber(config, peers);
    for (let n = 0; n < 3; n += 1) {
      describe('imsp-b.test');
      describe('stranger.test');
    }
    assert.equal(reads.filter((d) => d === 'imsp-b.test').length, 2, 'described, then found agreed: kept');
    assert.equal(reads.filter((d) => d === 'stranger.test').length, 6);
  });
});
