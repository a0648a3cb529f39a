// Hostile and broken input against a real gateway: each answered correctly, nothing forwarded, still serving.
import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import { connect } from 'node:net';
import { md5Digest, type SspMessage } from '../../src/ssp';
import { startDomains, type Domains } from '../support/domain-harness';
import { RawSspPeer, postMessage, postRaw } from '../support/raw-ssp-peer';
import { waitForEvent, waitUntil } from '../support/wait-for';

const WV = 'xmlns="http://www.openmobilealliance.org/DTD/WV-SSP1.3"';

function statusCodeIn(message: SspMessage | null): number | undefined {
  if (!message) return undefined;
  if (message.kind === 'setup') return message.body.kind === 'Status' ? message.body.status.code : undefined;
  const first = message.transactions[0];
  return first && 'body' in first && 'status' in first.body ? first.body.status?.code : undefined;
}

const setupRequest = (transactionID: string, body: Extract<SspMessage, { kind: 'setup' }>['body']): SspMessage => ({ kind: 'setup', mode: 'Request', transactionID, body });

describe('SSP listener against hostile input', function () {
  let domains: Domains;
  let url: string;
  const raw = new RawSspPeer();

  before(async () => {
    domains = await startDomains([
      { domain: 'imsp-a.test', config: { peers: [{ domain: 'imsp-b.test' }, { domain: 'imsp-t.test' }] } },
      { domain: 'imsp-b.test', config: { peers: [{ domain: 'imsp-a.test' }] } },
      { domain: 'imsp-t.test', down: true },
    ], { listenOnDownPort: { domain: 'imsp-t.test', listen: (port) => raw.listen(port) } });
    url = domains.get('imsp-a.test').gateway.sspUrl;
  });
  after(async () => {
    await raw.close();
    await domains?.stop();
  });

  it('refuses a wrong content type with 415', async () => {
    assert.equal((await postRaw(url, '<x/>', 'text/xml')).status, 415);
  });

  it('refuses a GET with 405 and says why', async () => {
    const response = await fetch(url);
    assert.equal(response.status, 405);
    assert.equal(await response.text(), 'SSP accepts POST only');
  });

  it('refuses malformed XML with 400 and keeps serving', async () => {
    const answer = await postRaw(url, `<?xml version="1.0"?><WV-SSP-Message ${WV}><Session sessionID="x"`);
    assert.equal(answer.status, 400);
    const health = await fetch(new URL('healthz', domains.get('imsp-a.test').gateway.adminUrl));
    assert.equal(health.status, 200);
  });

  it('adds no metric series per status code a stranger makes up (codes outside the IMPS table count as other)', async () => {
    for (const code of [777777771, 777777772, 777777773]) {
      await postRaw(url, `<?xml version="1.0"?><WV-SSP-Message ${WV}><SetupTransaction mode="Response" transactionID="X-${code}"><Status code="${code}"/></SetupTransaction></WV-SSP-Message>`);
    }
    const metrics = await (await fetch(new URL('metrics', domains.get('imsp-a.test').gateway.adminUrl))).text();
    assert.doesNotMatch(metrics, /77777777/);
    assert.match(metrics, /ssp_transactions_total\{direction="in",type="Status",status="other"\} [1-9]/);
  });

  it('refuses an entity-expansion bomb without expanding it', async () => {
    const entities = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY l0 "lol">${entities}]><WV-SSP-Message ${WV}>&l9;</WV-SSP-Message>`;
    const answer = await postRaw(url, bomb);
    assert.equal(answer.status, 400);
    assert.match(answer.text, /DOCTYPE|entit/i);
  });

  it('refuses a 10 MB body with 413 without reading it all', async () => {
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/vnd.wv.ssp+xml', 'content-length': 10 * 1024 * 1024 } }, (res) => {
        res.resume();
        resolve(res.statusCode);
        req.destroy();
      });
      req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
      req.write(Buffer.alloc(64 * 1024, 0x20));
    });
    assert.equal(status, 413);
  });

  it('drops a TLS ClientHello on the plain-HTTP listener at once', async () => {
    const { port } = new URL(url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(Buffer.from('16030100a5010000a10303', 'hex')));
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString('latin1')));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    assert.match(reply, /^HTTP\/1\.1 400/);
  });

  it('refuses a transaction under an unknown session id with 604 and forwards nothing', async () => {
    const before = domains.get('imsp-a.test').sink.received.length;
    const { status, answer } = await postMessage(url, {
      kind: 'session',
      sessionID: 'forged-1@imsp-b.test',
      transactions: [{ mode: 'Request', transactionID: 'f-1', body: { kind: 'KeepAliveRequest', timeToLiveSeconds: 60 } }],
    });
    assert.equal(status, 200);
    assert.equal(statusCodeIn(answer), 604);
    assert.equal(domains.get('imsp-a.test').sink.received.length, before);
  });

  it('refuses set-up from a domain without an interworking agreement (506)', async () => {
    const { answer } = await postMessage(url, setupRequest('x-1', { kind: 'SendSecretToken', serviceID: 'wv:@imsp-x.test', protocol: 'WV-SSP', protocolVersion: '1.3', secretToken: 'whatever' }));
    assert.equal(statusCodeIn(answer), 506);
  });

  it('calls a claimed domain back at its SRV address, so a forger never learns the token', async () => {
    const gatewayB = domains.get('imsp-b.test').gateway;
    const unsolicited = () => gatewayB.metrics.sspSetups.get().then((m) => m.values.some((v) => v.labels.outcome === 'unsolicited_answer' && v.value > 0));
    const seenByForger = raw.received.length;
    const { answer } = await postMessage(url, setupRequest('forge-1', { kind: 'SendSecretToken', serviceID: 'wv:@imsp-b.test', protocol: 'WV-SSP', protocolVersion: '1.3', secretToken: 'forger-secret' }));
    assert.equal(answer, null, 'the set-up request is taken; the answer goes to the claimed domain');
    await waitUntil(unsolicited);
    assert.equal(raw.received.length, seenByForger, 'the forger received nothing');
    const login = await postMessage(url, setupRequest('forge-1', { kind: 'LoginRequest', serviceID: 'wv:@imsp-b.test', timeToLiveSeconds: 60, passwordDigest: md5Digest('a guess') }));
    assert.equal(login.answer, null);
    const response = await postMessage(url, setupRequest('forge-1', { kind: 'LoginResponse', sessionID: 'forged@imsp-b.test', timeToLiveSeconds: 60, status: { code: 200 } }));
    assert.equal(statusCodeIn(response.answer), 400);
    assert.equal(domains.get('imsp-a.test').gateway.node.sessions.byPeerSessionId('forged@imsp-b.test'), undefined);
  });

  describe('a peer that verified its domain', () => {
    const transactionID = 'T-1';
    let ourToken: string;
    let theirToken: string;
    let sessionFromA: string;

    it('sets up a session through the three steps, the gateway answering each by POST', async () => {
      ourToken = 'token-of-imsp-t';
      const tokenBack = waitForEvent<SspMessage>(raw, 'message', (m) => m.kind === 'setup' && m.body.kind === 'SendSecretToken');
      await postMessage(url, setupRequest(transactionID, { kind: 'SendSecretToken', serviceID: 'wv:@imsp-t.test', protocol: 'WV-SSP', protocolVersion: '1.3', secretToken: ourToken }));
      const token = await tokenBack;
      assert.ok(token.kind === 'setup' && token.body.kind === 'SendSecretToken');
      theirToken = token.body.secretToken;

      const loginBack = waitForEvent<SspMessage>(raw, 'message', (m) => m.kind === 'setup' && m.body.kind === 'LoginRequest');
      await postMessage(url, setupRequest(transactionID, { kind: 'LoginRequest', serviceID: 'wv:@imsp-t.test', timeToLiveSeconds: 600, passwordDigest: md5Digest(theirToken) }));
      const login = await loginBack;
      assert.ok(login.kind === 'setup' && login.body.kind === 'LoginRequest');
      assert.deepEqual(login.body.passwordDigest, md5Digest(ourToken), 'the gateway proves it got our token');

      const responseBack = waitForEvent<SspMessage>(raw, 'message', (m) => m.kind === 'setup' && m.body.kind === 'LoginResponse');
      await postMessage(url, setupRequest(transactionID, { kind: 'LoginResponse', sessionID: 'raw1@imsp-t.test', timeToLiveSeconds: 600, status: { code: 200 } }));
      const response = await responseBack;
      assert.ok(response.kind === 'setup' && response.body.kind === 'LoginResponse');
      assert.equal(response.body.status.code, 200);
      sessionFromA = response.body.sessionID;
      assert.match(sessionFromA, /@imsp-a\.test$/);
    });

    it('refuses a replayed LoginRequest', async () => {
      const { answer } = await postMessage(url, setupRequest(transactionID, { kind: 'LoginRequest', serviceID: 'wv:@imsp-t.test', timeToLiveSeconds: 600, passwordDigest: md5Digest(theirToken) }));
      assert.equal(statusCodeIn(answer), 400);
    });

    it('ends a set-up whose PasswordDigest is wrong, leaving nothing half-open', async () => {
      const tokenBack = waitForEvent<SspMessage>(raw, 'message', (m) => m.kind === 'setup' && m.transactionID === 'T-2' && m.body.kind === 'SendSecretToken');
      await postMessage(url, setupRequest('T-2', { kind: 'SendSecretToken', serviceID: 'wv:@imsp-t.test', protocol: 'WV-SSP', protocolVersion: '1.3', secretToken: 'second' }));
      const token = await tokenBack;
      const refusal = waitForEvent<SspMessage>(raw, 'message', (m) => m.kind === 'setup' && m.transactionID === 'T-2' && m.body.kind === 'Status');
      await postMessage(url, setupRequest('T-2', { kind: 'LoginRequest', serviceID: 'wv:@imsp-t.test', timeToLiveSeconds: 600, passwordDigest: md5Digest('not the token') }));
      assert.equal(statusCodeIn(await refusal), 409);
      assert.ok(token.kind === 'setup' && token.body.kind === 'SendSecretToken');
      const retry = await postMessage(url, setupRequest('T-2', { kind: 'LoginRequest', serviceID: 'wv:@imsp-t.test', timeToLiveSeconds: 600, passwordDigest: md5Digest(token.body.secretToken) }));
      assert.equal(statusCodeIn(retry.answer), 400, 'the failed attempt is gone');
    });

    it('answers an unknown transaction with 501 in the session', async () => {
      const answered = waitForEvent<SspMessage>(raw, 'message', (m) => m.kind === 'session' && m.transactions[0]?.transactionID === 'u-1');
      const xml = `<?xml version="1.0"?><WV-SSP-Message ${WV}><Session sessionID="raw1@imsp-t.test"><Transaction mode="Request" transactionID="u-1"><TeleportRequest/></Transaction></Session></WV-SSP-Message>`;
      assert.equal((await postRaw(url, xml)).status, 200);
      const answer = await answered;
      assert.equal(statusCodeIn(answer), 501);
      assert.ok(answer.kind === 'session' && answer.sessionID === sessionFromA, 'answered under the id the gateway announced');
    });

    for (const [name, sender, recipient, code] of [
      ['spoofs a sender of another domain', 'wv:mallory@imsp-b.test', 'wv:alice@imsp-a.test', 901],
      ['tries to relay to a third domain', 'wv:tom@imsp-t.test', 'wv:bob@imsp-b.test', 506],
    ] as const) {
      it(`refuses a peer that ${name} (${code}) and forwards nothing`, async () => {
        const sink = domains.get('imsp-a.test').sink;
        const before = sink.received.length;
        const tid = `m-${code}`;
        const answered = waitForEvent<SspMessage>(raw, 'message', (m) => m.kind === 'session' && m.transactions[0]?.transactionID === tid);
        await postMessage(url, {
          kind: 'session',
          sessionID: 'raw1@imsp-t.test',
          transactions: [{
            mode: 'Request',
            transactionID: tid,
            body: {
              kind: 'SendMessageRequest',
              deliveryReport: false,
              metaInfo: { requestorUserID: sender },
              messageInfo: { messageID: `msg-${code}`, recipients: [{ kind: 'user', userID: recipient }], senderUserID: sender },
              content: { contentType: 'text/plain', transferEncoding: 'base64', bytes: Buffer.from('hi') },
            },
          }],
        });
        assert.equal(statusCodeIn(await answered), code);
        assert.equal(sink.received.length, before);
        assert.equal(domains.get('imsp-b.test').sink.received.length, 0);
      });
    }

    it('refreshes the session on KeepAlive and ends it on Logout', async () => {
      for (const [tid, body] of [['k-1', { kind: 'KeepAliveRequest' as const, timeToLiveSeconds: 120 }], ['l-1', { kind: 'LogoutRequest' as const }]] as const) {
        const answered = waitForEvent<SspMessage>(raw, 'message', (m) => m.kind === 'session' && m.transactions[0]?.transactionID === tid);
        await postMessage(url, { kind: 'session', sessionID: 'raw1@imsp-t.test', transactions: [{ mode: 'Request', transactionID: tid, body }] });
        assert.equal(statusCodeIn(await answered), 200);
      }
      const after = await postMessage(url, { kind: 'session', sessionID: 'raw1@imsp-t.test', transactions: [{ mode: 'Request', transactionID: 'k-2', body: { kind: 'KeepAliveRequest' } }] });
      assert.equal(statusCodeIn(after.answer), 604, 'the session is gone after Logout');
    });
  });
});
