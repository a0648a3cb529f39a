// The circuit breaker decorator: transient failures open it; a probe that reaches a live peer closes it.
import { strict as assert } from 'node:assert';
import { BreakingPeerClient, type PeerClient, type PostResult } from '../../src/delivery';
import { GatewayError } from '../../src/errors';

const URL_B = 'http://127.0.0.1:7302/';
const unreachable = () => new GatewayError('PEER_UNREACHABLE', 'connection refused', { impsStatus: 503, transient: true });
const rejected = () => new GatewayError('PEER_REJECTED', 'peer answered HTTP 415', { impsStatus: 500, transient: false });

/** The peer as the inner client meets it: each post takes the next scripted outcome. */
function scriptedPeer(outcomes: Array<GatewayError | PostResult>): PeerClient & { posts: number } {
  const peer = {
    posts: 0,
    post: async (): Promise<PostResult> => {
      peer.posts += 1;
      const outcome = outcomes.shift() ?? { httpStatus: 200, body: '' };
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    close: async () => undefined,
  };
  return peer;
}

/** A client whose circuit to the scripted peer is open after two failures, and a clock to move past openMs. */
async function openedCircuit(probe: GatewayError) {
  const clock = { nowMs: 0 };
  const peer = scriptedPeer([unreachable(), unreachable(), probe]);
  const client = new BreakingPeerClient(peer, { failureThreshold: 2, openMs: 1000, now: () => clock.nowMs });
  for (let i = 0; i < 2; i += 1) await assert.rejects(client.post(URL_B, '<x/>'));
  clock.nowMs = 1000;
  return { client, peer };
}

describe('BreakingPeerClient', () => {
  it('opens after consecutive transient failures and fails fast without calling the peer', async () => {
    const peer = scriptedPeer([unreachable(), unreachable()]);
    const client = new BreakingPeerClient(peer, { failureThreshold: 2, openMs: 1000, now: () => 0 });
    for (let i = 0; i < 2; i += 1) await assert.rejects(client.post(URL_B, '<x/>'), /connection refused/);
    await assert.rejects(client.post(URL_B, '<x/>'), /circuit to 127.0.0.1:7302 is open/);
    assert.equal(peer.posts, 2);
  });

  it('closes when the half-open probe is refused by a live peer (non-transient), instead of staying half-open', async () => {
    const { client, peer } = await openedCircuit(rejected());
    await assert.rejects(client.post(URL_B, '<x/>'), /HTTP 415/);
    assert.equal((await client.post(URL_B, '<x/>')).httpStatus, 200, 'the next request goes to the peer');
    assert.equal(peer.posts, 4);
  });

  it('re-opens when the probe fails transiently', async () => {
    const { client, peer } = await openedCircuit(unreachable());
    await assert.rejects(client.post(URL_B, '<x/>'), /connection refused/);
    await assert.rejects(client.post(URL_B, '<x/>'), /is open/);
    assert.equal(peer.posts, 3);
  });
});
