// Set-up steps bound to where they come from: a guessed transactionID from another address cannot finish,
// steer or end a set-up (ssp-profile §4). The happy paths run end to end in test/integration.
import { strict as assert } from 'node:assert';
import { createLogger } from '../../src/log';
import type { PeerEndpoint } from '../../src/listener/peer-directory';
import { SessionTable } from '../../src/listener/session-table';
import { answerToOurRequest } from '../../src/listener/setup-common';
import { SetupHandshake } from '../../src/listener/setup-handshake';
import type { PeerDirectory, PeerPolicy } from '../../src/listener/peer-directory';
import { md5Digest, statusOf, type SetupElement, type SetupMessage } from '../../src/ssp';

const US = 'imsp-a.test';
const PEER = 'imsp-b.test';
const PEER_ADDRESS = '192.0.2.10';
const ATTACKER = '198.51.100.66';
const PEER_SECOND_ADDRESS = '192.0.2.11';

function rig(allowFrom: string[] = []) {
  const sent: SetupMessage[] = [];
  const policy: PeerPolicy = { domain: PEER, label: PEER, isCore: false, allowFrom, presentUsersAs: 'msisdn', agreed: true, transactions: new Set() };
  const directory: PeerDirectory = { policyFor: () => policy, endpointsFor: async () => [{ url: 'http://192.0.2.10:7302/' }] };
  const sessions = new SessionTable(() => 0);
  let counter = 0;
  const handshake = new SetupHandshake({
    domain: US,
    timeToLiveSeconds: 3600,
    timeoutMs: 2000,
    directory,
    sessions,
    send: async (_domain: string, endpoints: PeerEndpoint[], message: SetupMessage, onAttempt?: (endpoint: PeerEndpoint) => void) => {
      onAttempt?.(endpoints[0] as { url: string });
      sent.push(message);
      return endpoints[0] as { url: string };
    },
    newTransactionId: () => `gw-${(counter += 1)}`,
    now: () => 0,
    logger: createLogger('silent'),
  });
  return { handshake, sessions, sent };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const setup = (mode: 'Request' | 'Response', transactionID: string, body: SetupElement): SetupMessage => ({ kind: 'setup', mode, transactionID, body });
const tokenOf = (message: SetupMessage | undefined) => (message?.body.kind === 'SendSecretToken' ? message.body.secretToken : '');

describe('SetupHandshake, responder role', () => {
  /** imsp-b.test sets up with us up to the point where it may announce its session. */
  async function upToLoginResponse(handshake: SetupHandshake, sent: SetupMessage[]) {
    handshake.receive(setup('Request', '2', { kind: 'SendSecretToken', serviceID: `wv:@${PEER}`, protocol: 'WV-SSP', protocolVersion: '1.3', secretToken: 'sB' }), PEER_ADDRESS);
    await tick();
    const ourToken = tokenOf(sent[0]);
    handshake.receive(setup('Request', '2', { kind: 'LoginRequest', serviceID: `wv:@${PEER}`, timeToLiveSeconds: 3600, passwordDigest: md5Digest(ourToken) }), PEER_ADDRESS);
    await tick();
  }
  const loginResponse = (sessionID: string) => setup('Request', '2', { kind: 'LoginResponse', sessionID, timeToLiveSeconds: 3600, status: statusOf(200) });

  it('refuses a LoginResponse from another address than the verified LoginRequest, and lets the peer finish', async () => {
    const { handshake, sessions, sent } = rig();
    await upToLoginResponse(handshake, sent);
    const refused = handshake.receive(loginResponse(`evil@${PEER}`), ATTACKER);
    assert.equal(refused?.body.kind === 'Status' && refused.body.status.code, 400);
    assert.equal(sessions.byPeerSessionId(`evil@${PEER}`), undefined, 'no session under the attacker id');
    assert.equal(handshake.receive(loginResponse(`idB@${PEER}`), PEER_ADDRESS), undefined);
    assert.equal(sessions.byPeerSessionId(`idB@${PEER}`)?.peerDomain, PEER);
  });

  it("lets a peer finish from another of the addresses its agreement's allowFrom lists (a NAT pool)", async () => {
    const { handshake, sessions, sent } = rig([PEER_ADDRESS, PEER_SECOND_ADDRESS]);
    await upToLoginResponse(handshake, sent);
    assert.equal(handshake.receive(loginResponse(`idB@${PEER}`), PEER_SECOND_ADDRESS), undefined);
    assert.equal(sessions.byPeerSessionId(`idB@${PEER}`)?.peerDomain, PEER);
  });

  it('a Status from another address does not end the set-up', async () => {
    const { handshake, sessions, sent } = rig();
    await upToLoginResponse(handshake, sent);
    handshake.receive(setup('Request', '2', { kind: 'Status', status: statusOf(409, 'no') }), ATTACKER);
    handshake.receive(loginResponse(`idB@${PEER}`), PEER_ADDRESS);
    assert.equal(sessions.byPeerSessionId(`idB@${PEER}`)?.peerDomain, PEER);
  });
});

describe('SetupHandshake, initiator role', () => {
  it("ignores a call-back from outside the agreement's allowFrom, and sets up with the peer's own", async () => {
    const { handshake, sent } = rig([PEER_ADDRESS]);
    const session = handshake.sessionWith(PEER);
    await tick();
    const transactionID = sent[0]?.transactionID as string;
    const callBack = (secretToken: string) => setup('Response', '77', { kind: 'SendSecretToken', serviceID: `wv:@${PEER}`, protocol: 'WV-SSP', protocolVersion: '1.3', secretToken });
    handshake.receive(callBack('forged'), ATTACKER);
    handshake.receive(callBack('sB'), PEER_ADDRESS);
    await tick();
    const login = sent[1]?.body;
    assert.ok(login?.kind === 'LoginRequest' && login.passwordDigest.equals(md5Digest('sB')), 'logged in with the real peer token');
    const ourToken = tokenOf(sent[0]);
    handshake.receive(setup('Response', transactionID, { kind: 'LoginRequest', serviceID: `wv:@${PEER}`, timeToLiveSeconds: 3600, passwordDigest: md5Digest(ourToken) }), PEER_ADDRESS);
    await tick();
    handshake.receive(setup('Response', transactionID, { kind: 'LoginResponse', sessionID: `evil@${PEER}`, timeToLiveSeconds: 3600, status: statusOf(200) }), ATTACKER);
    handshake.receive(setup('Response', transactionID, { kind: 'LoginResponse', sessionID: `idB@${PEER}`, timeToLiveSeconds: 3600, status: statusOf(200) }), PEER_ADDRESS);
    assert.equal((await session).theirSessionID, `idB@${PEER}`);
  });

  it("takes a refusal in the HTTP response to our own request as the peer's, allowFrom or not", async () => {
    const { handshake, sent } = rig([PEER_ADDRESS]);
    const session = handshake.sessionWith(PEER);
    await tick();
    handshake.receive(setup('Response', sent[0]?.transactionID as string, { kind: 'Status', status: statusOf(506, 'no interworking agreement with imsp-a.test') }), answerToOurRequest(PEER));
    await assert.rejects(session, /506 no interworking agreement/);
  });

  it("does not take a call-back for one domain from the response to our request to another (it could steer that set-up)", async () => {
    const { handshake, sent } = rig([PEER_ADDRESS]);
    void handshake.sessionWith(PEER).catch(() => undefined);
    await tick();
    const forged = setup('Response', '77', { kind: 'SendSecretToken', serviceID: `wv:@${PEER}`, protocol: 'WV-SSP', protocolVersion: '1.3', secretToken: 'forged' });
    handshake.receive(forged, answerToOurRequest('imsp-x.test'));
    handshake.receive(setup('Response', '78', { kind: 'SendSecretToken', serviceID: `wv:@${PEER}`, protocol: 'WV-SSP', protocolVersion: '1.3', secretToken: 'sB' }), PEER_ADDRESS);
    await tick();
    const login = sent[1]?.body;
    assert.ok(login?.kind === 'LoginRequest' && login.passwordDigest.equals(md5Digest('sB')), 'logged in with the real token');
  });
});
