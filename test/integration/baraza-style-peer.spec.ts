// Our gateway initiating a session with a peer that answers the way the deployed Baraza server does
// (ssp-profile §4): its own new transactionID on the token answer, `procotolVersion`, padded text, `<?xml version='1.0'?>`.
import { strict as assert } from 'node:assert';
import { md5Digest, type SspMessage } from '../../src/ssp';
import { startDomains, type Domains } from '../support/domain-harness';
import { RawSspPeer, postRaw } from '../support/raw-ssp-peer';
import { statusCodeOf, textMessage } from '../support/ssp-messages';
import { waitForEvent } from '../support/wait-for';

const A = 'imsp-a.test';
const T = 'imsp-t.test';
const envelope = (inner: string) => `<?xml version='1.0'?>\n<WV-SSP-Message xmlns="http://www.openmobilealliance.org/DTD/WV-SSP1.3">\n${inner}\n</WV-SSP-Message>\n`;
const setup = (transactionID: string, inner: string) => envelope(` <SetupTransaction mode="Response" transactionID="${transactionID}">\n${inner}\n</SetupTransaction>`);

describe('session set-up with a Baraza-style peer', function () {
  let domains: Domains;
  const peer = new RawSspPeer();

  before(async () => {
    domains = await startDomains([
      { domain: A, config: { peers: [{ domain: T }] } },
      { domain: T, down: true },
    ], { listenOnDownPort: { domain: T, listen: (port) => peer.listen(port) } });
  });
  after(async () => {
    await peer.close();
    await domains?.stop();
  });

  it('completes the set-up and delivers the message in the announced session', async () => {
    const url = domains.get(A).gateway.sspUrl;
    const peerToken = '257907ec28ea4fd3a136d8480eac1eba';
    const nextSetup = (kind: string) => waitForEvent<SspMessage>(peer, 'message', (m) => m.kind === 'setup' && m.body.kind === kind);
    const tokenRequest = nextSetup('SendSecretToken');
    const answer = domains.get(A).sink.request(A, textMessage('wv:alice@imsp-a.test', ['wv:tom@imsp-t.test'], 'hello Baraza', false));

    const ours = await tokenRequest;
    assert.ok(ours.kind === 'setup' && ours.body.kind === 'SendSecretToken' && ours.mode === 'Request');
    const gatewayToken = ours.body.secretToken;
    const loginRequest = nextSetup('LoginRequest');
    // Baraza answers the token under a transactionID of its own, not the one it was asked with.
    await postRaw(url, setup('1', ` <SendSecretToken serviceID="wv:@${T}" protocol="WV-SSP"\nprocotolVersion="1.3">\n<SecretToken>\n${peerToken}\n</SecretToken> \n</SendSecretToken> `));

    const login = await loginRequest;
    assert.ok(login.kind === 'setup' && login.body.kind === 'LoginRequest');
    assert.deepEqual(login.body.passwordDigest, md5Digest(peerToken), 'the gateway proves it received our token');
    const loginResponse = nextSetup('LoginResponse');
    await postRaw(url, setup(login.transactionID, `<LoginRequest serviceID="wv:@${T}" timeToLive="86400">\n<PasswordDigest encoding="base64">\n${md5Digest(gatewayToken).toString('base64')}\n\n</PasswordDigest>\n</LoginRequest>`));

    const response = await loginResponse;
    assert.ok(response.kind === 'setup' && response.body.kind === 'LoginResponse' && response.mode === 'Request');
    const gatewaySession = response.body.sessionID;
    const message = waitForEvent<SspMessage>(peer, 'message', (m) => m.kind === 'session');
    await postRaw(url, setup(login.transactionID, `<LoginResponse sessionID="1@${T}" timeToLive="86400">\n<Status code="200"/>\n </LoginResponse>`));

    const delivered = await message;
    assert.ok(delivered.kind === 'session');
    assert.equal(delivered.sessionID, gatewaySession, 'sent under the id the gateway announced');
    const transaction = delivered.transactions[0];
    assert.ok(transaction && 'body' in transaction && transaction.body.kind === 'SendMessageRequest');
    await postRaw(
      url,
      envelope(`<Session sessionID="1@${T}">\n<Transaction mode="Response" transactionID="${transaction.transactionID}">\n<SendMessageResponse messageID="${transaction.body.messageInfo.messageID}">\n<Status code="200">\n<StatusDescription>Success</StatusDescription>\n</Status>\n</SendMessageResponse>\n</Transaction>\n</Session>`),
    );
    assert.equal(statusCodeOf(await answer), 200);
  });

  it('takes an unreadable answer as the answer (failed), without waiting for a time-out or answering it back', async () => {
    const url = domains.get(A).gateway.sspUrl;
    const message = waitForEvent<SspMessage>(peer, 'message', (m) => m.kind === 'session');
    const answer = domains.get(A).sink.request(A, textMessage('wv:alice@imsp-a.test', ['wv:tom@imsp-t.test'], 'hello again', false));
    const delivered = await message;
    const transaction = delivered.kind === 'session' ? delivered.transactions[0] : undefined;
    assert.ok(transaction && 'body' in transaction && transaction.body.kind === 'SendMessageRequest');
    const receivedBefore = peer.received.length;
    await postRaw(
      url,
      envelope(`<Session sessionID="1@${T}">\n<Transaction mode="Response" transactionID="${transaction.transactionID}">\n<SendMessageResponse messageID="m">\n<Status code="503"><TryAgainTimeout>soon</TryAgainTimeout></Status>\n</SendMessageResponse>\n</Transaction>\n</Session>`),
    );
    const status = statusCodeOf(await answer);
    assert.ok(status !== undefined && status >= 400 && status !== 503, `a final failure, not "queued" after a time-out: ${status}`);
    assert.ok(
      peer.received.slice(receivedBefore).every((m) => m.kind !== 'session' || m.transactions.every((t) => t.transactionID !== transaction.transactionID)),
      'nothing sent back under the transactionID of our own request',
    );
  });
});
