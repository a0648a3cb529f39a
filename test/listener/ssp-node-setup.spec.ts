// The set-ups an SspNode starts carry transactionIDs nobody can guess (ssp-profile §4: before a session
// exists, the transactionID is all that ties a peer's step to our set-up).
import { strict as assert } from 'node:assert';
import type { PeerClient } from '../../src/delivery';
import { SspNode } from '../../src/listener';
import type { PeerDirectory, PeerPolicy } from '../../src/listener/peer-directory';
import { createLogger } from '../../src/log';
import { decodeSspMessage } from '../../src/ssp';

const PEER = 'imsp-b.test';

/** A node whose POSTs go nowhere but are recorded; every set-up it starts times out. */
function recordingNode(posted: string[]): SspNode {
  const policy: PeerPolicy = { domain: PEER, label: PEER, isCore: false, allowFrom: [], presentUsersAs: 'msisdn', agreed: true, transactions: new Set() };
  const directory: PeerDirectory = { policyFor: () => policy, endpointsFor: async () => [{ url: 'http://192.0.2.10:7302/' }] };
  const peerClient: PeerClient = { post: async (_url, xml) => (posted.push(xml), { httpStatus: 200, body: '' }), close: async () => undefined };
  return new SspNode({ domain: 'imsp-a.test', timeToLiveSeconds: 3600, answerTimeoutMs: 50, directory, peerClient, logger: createLogger('silent') });
}

describe('SspNode set-up', () => {
  it('starts each set-up under a random 96-bit transactionID, not a counter', async () => {
    const posted: string[] = [];
    const node = recordingNode(posted);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await assert.rejects(node.request(PEER, { kind: 'KeepAliveRequest' }), /timed out/);
    }
    const ids = posted.map((xml) => {
      const message = decodeSspMessage(xml);
      assert.equal(message.kind === 'setup' && message.body.kind, 'SendSecretToken');
      return message.kind === 'setup' ? message.transactionID : '';
    });
    assert.equal(ids.length, 3);
    for (const id of ids) assert.match(id, /^[0-9a-f]{24}$/);
    assert.equal(new Set(ids).size, 3);
  });
});
