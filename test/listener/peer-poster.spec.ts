// PeerPoster against a real loopback HTTP peer that puts SSP answers in its HTTP responses (ssp-profile §1).
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UndiciPeerClient } from '../../src/delivery';
import { FixedPeerDirectory } from '../../src/listener';
import { PeerPoster } from '../../src/listener/peer-poster';
import type { SspSession } from '../../src/listener/session-table';
import { createLogger } from '../../src/log';
import { decodeSspMessage, encodeSspMessage, statusOf, type SspMessage, type Transaction } from '../../src/ssp';
import { freePort } from '../support/free-port';

const PEER = 'imsp-b.test';
const OUR_SESSION = 'gw7@imsp-a.test';

const statusAnswer = (transactionID: string, code: number): Transaction => ({ mode: 'Response', transactionID, body: { kind: 'Status', status: statusOf(code) } });

/** A peer answering every POST with `responseBody` (an HTTP 200 either way), recording what it was sent. */
async function startPeer(): Promise<{ url: string; received: SspMessage[]; answerWith: (body: string) => void; server: Server }> {
  const received: SspMessage[] = [];
  let responseBody = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push(decodeSspMessage(Buffer.concat(chunks)));
      res.writeHead(200, { 'content-type': 'application/vnd.wv.ssp+xml' }).end(responseBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, received, answerWith: (body) => (responseBody = body), server };
}

describe('PeerPoster', () => {
  let peer: Awaited<ReturnType<typeof startPeer>>;
  let client: UndiciPeerClient;
  let ownAnswers: string[];
  let responseBodies: Array<{ message: SspMessage; from: string; domain: string }>;
  let poster: PeerPoster;
  let session: SspSession;

  beforeEach(async () => {
    peer = await startPeer();
    client = new UndiciPeerClient({ connectionsPerOrigin: 2, timeoutMs: 2000 });
    ownAnswers = [];
    responseBodies = [];
    poster = new PeerPoster({
      directory: new FixedPeerDirectory(peer.url),
      peerClient: client,
      maxTransactionsPerPost: 8,
      logger: createLogger('silent'),
      onResponseBody: (message, from, domain) => responseBodies.push({ message, from, domain }),
      onOwnAnswer: (_session, transaction) => ownAnswers.push(transaction.transactionID),
    });
    session = { peerDomain: PEER, peerLabel: PEER, ourSessionID: OUR_SESSION, theirSessionID: `b1@${PEER}`, url: peer.url, timeToLiveSeconds: 3600, expiresAtMs: Date.now() + 3_600_000 };
  });

  afterEach(async () => {
    await client.close();
    await new Promise((resolve) => peer.server.close(resolve));
  });

  it('settles only our own requests of the POST from answers put in the response under our session id', async () => {
    // A peer that lost our session refuses under the id we sent (604), for what it got, and names stray ids too.
    const refusal = encodeSspMessage({ kind: 'session', sessionID: OUR_SESSION, transactions: ['r1', 'a1', 'r9'].map((id) => statusAnswer(id, 604)) });
    peer.answerWith(refusal);
    await Promise.all([
      poster.postTransaction(session, { mode: 'Request', transactionID: 'r1', body: { kind: 'KeepAliveRequest' } }),
      poster.postTransaction(session, statusAnswer('a1', 200)),
    ]);
    assert.deepEqual(peer.received.map((m) => (m.kind === 'session' ? m.transactions.map((t) => t.transactionID) : [])), [['r1', 'a1']], 'one POST for the turn');
    assert.deepEqual(ownAnswers, ['r1'], 'not our answer a1, not r9 which this POST did not carry');
    assert.deepEqual(responseBodies, []);
  });

  it('hands any other SSP message in a response body on as coming from the domain posted to', async () => {
    const theirs: SspMessage = { kind: 'session', sessionID: `b1@${PEER}`, transactions: [statusAnswer('r1', 200)] };
    peer.answerWith(encodeSspMessage(theirs));
    await poster.postTransaction(session, { mode: 'Request', transactionID: 'r1', body: { kind: 'KeepAliveRequest' } });
    assert.deepEqual(responseBodies, [{ message: theirs, from: peer.url, domain: PEER }]);
    assert.deepEqual(ownAnswers, []);
  });

  it('takes a POST whose response body cannot be read as delivered, passing nothing on', async () => {
    peer.answerWith('<WV-SSP-Message><Session');
    await poster.postTransaction(session, { mode: 'Request', transactionID: 'r1', body: { kind: 'KeepAliveRequest' } });
    assert.equal(peer.received.length, 1);
    assert.deepEqual([responseBodies, ownAnswers], [[], []]);
  });

  it('tries set-up endpoints in order and resolves with the first that takes the message', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/`;
    const attempts: string[] = [];
    const setup: SspMessage = { kind: 'setup', mode: 'Request', transactionID: 'abc', body: { kind: 'SendSecretToken', serviceID: 'wv:@imsp-a.test', protocol: 'WV-SSP', protocolVersion: '1.3', secretToken: 's3cret' } };
    const taken = await poster.postSetup(PEER, [{ url: closed }, { url: peer.url }], setup, (endpoint) => attempts.push(endpoint.url));
    assert.deepEqual([taken.url, attempts], [peer.url, [closed, peer.url]]);
    assert.deepEqual(peer.received, [setup]);
  });

  it('rejects a set-up when no endpoint takes it, with the last error', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/`;
    const setup: SspMessage = { kind: 'setup', mode: 'Request', transactionID: 'abc', body: { kind: 'SendSecretToken', serviceID: 'wv:@imsp-a.test', protocol: 'WV-SSP', protocolVersion: '1.3', secretToken: 's3cret' } };
    await assert.rejects(poster.postSetup(PEER, [{ url: closed }], setup), (error: Error & { code?: string }) => error.code === 'PEER_UNREACHABLE');
  });
});
