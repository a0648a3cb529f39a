// Encoder tests (ssp-profile.md §2): declaration, namespaces, strict escaping, transfer encodings, refusals.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { GatewayError } from '../../src/errors';
import {
  decodeSspMessage,
  encodeSspMessage,
  statusOf,
  type SessionMessage,
  type SetupMessage,
  type TransactionBody,
} from '../../src/ssp';
import { fixturePath } from '../support/paths';

const session = (...bodies: TransactionBody[]): SessionMessage => ({
  kind: 'session',
  sessionID: 'SA1@imsp-a.test',
  transactions: bodies.map((body, i) => ({ mode: 'Request', transactionID: `T${i + 1}`, body })),
});

const TRICKY = 'a"b\'c<d>e&f\tg\nh\ri ]]> ø 👋';

describe('encodeSspMessage', () => {
  it('writes the UTF-8 declaration, the SSP 1.3 namespace and no whitespace between tags', () => {
    const xml = encodeSspMessage(session({ kind: 'LogoutRequest' }));
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><WV-SSP-Message xmlns="http://www.openmobilealliance.org/DTD/WV-SSP1.3">'));
    assert.doesNotMatch(xml, />\s+</);
  });

  it('escapes attribute values and text so that every character comes back', () => {
    const message = session(
      { kind: 'SendMessageResponse', messageID: TRICKY, status: statusOf(200, TRICKY) },
      { kind: 'SearchResponse', users: [{ userID: 'wv:x@y', friendlyName: TRICKY }], status: statusOf(200) },
    );
    const xml = encodeSspMessage(message);
    assert.ok(!xml.includes(TRICKY), 'raw specials never reach the wire');
    assert.deepStrictEqual(decodeSspMessage(xml), message);
  });

  it('writes characters XML 1.0 cannot carry as U+FFFD instead of breaking the document', () => {
    const xml = encodeSspMessage(session({ kind: 'Status', status: statusOf(500, 'bell\u0007 nul\u0000') }));
    const decoded = decodeSspMessage(xml);
    assert.deepStrictEqual(decoded.kind === 'session' && decoded.transactions[0], {
      mode: 'Request', transactionID: 'T1', body: { kind: 'Status', status: { code: 500, description: 'bell\uFFFD nul\uFFFD' } },
    });
  });

  it('writes ContentData as base64 when asked, else as escaped text with CR kept', () => {
    const bytes = Buffer.from('line 1\r\nline <2> & 3 ✓', 'utf8');
    const request = (transferEncoding: 'base64' | 'none'): TransactionBody => ({
      kind: 'SendMessageRequest',
      deliveryReport: false,
      messageInfo: { messageID: 'M1', recipients: [{ kind: 'user', userID: 'wv:+4790000001' }] },
      content: { contentType: 'text/plain', transferEncoding, bytes },
    });
    const base64 = encodeSspMessage(session(request('base64')));
    assert.ok(base64.includes(`<ContentData contentType="text/plain" encoding="base64">${bytes.toString('base64')}</ContentData>`));
    const text = encodeSspMessage(session(request('none')));
    assert.ok(text.includes('<ContentData contentType="text/plain">line 1&#13;\nline &lt;2&gt; &amp; 3 ✓</ContentData>'));
    assert.deepStrictEqual(decodeSspMessage(base64), session(request('base64')));
    assert.deepStrictEqual(decodeSspMessage(text), session(request('none')));
  });

  it('writes PresenceSubList in WV-PA1.2 unless the PresenceValue names another namespace', () => {
    const xml = encodeSspMessage(session({
      kind: 'GetPresenceResponse',
      presence: [
        { userID: 'wv:a@x', attributes: [{ name: 'OnlineStatus', attributes: {}, children: [], text: 'T' }] },
        { userID: 'wv:b@x', namespace: 'urn:example:pa', attributes: [] },
      ],
    }));
    assert.ok(xml.includes('<PresenceValue userID="wv:a@x"><PresenceSubList xmlns="http://www.openmobilealliance.org/DTD/WV-PA1.2"><OnlineStatus>T</OnlineStatus></PresenceSubList></PresenceValue>'));
    assert.ok(xml.includes('<PresenceSubList xmlns="urn:example:pa"></PresenceSubList>'));
  });

  it('writes a visible-ASCII SecretToken raw and any other token base64', () => {
    const setup = (secretToken: string): SetupMessage => ({
      kind: 'setup', mode: 'Request', transactionID: 'T1',
      body: { kind: 'SendSecretToken', serviceID: 'wv:@imsp-a.test', protocol: 'WV-SSP', protocolVersion: '1.3', secretToken },
    });
    assert.ok(encodeSspMessage(setup('c0ffee')).includes('<SecretToken>c0ffee</SecretToken>'));
    assert.ok(encodeSspMessage(setup(' padded token ')).includes(`<SecretToken encoding="base64">${Buffer.from(' padded token ').toString('base64')}</SecretToken>`));
    assert.deepStrictEqual(decodeSspMessage(encodeSspMessage(setup(' padded & <token> '))), setup(' padded & <token> '));
  });

  it('refuses to encode a FaultyTransaction', () => {
    const message: SessionMessage = { kind: 'session', sessionID: 'S1', transactions: [{ mode: 'Request', transactionID: 'T1', fault: { impsStatus: 501, description: 'x' } }] };
    assert.throws(() => encodeSspMessage(message), (error: unknown) => error instanceof GatewayError && error.code === 'INTERNAL');
  });

  it('writes again every name the decoder takes from a peer, non-ASCII XML names included (a forwarded presence tree)', () => {
    const xml = readFileSync(fixturePath('ssp', 'golden', 'presence-notification-sms-only.xml'), 'utf8').replace(/StatusText>/g, 'Stätus·Text>');
    const decoded = decodeSspMessage(xml);
    const again = encodeSspMessage(decoded);
    assert.ok(again.includes('<Stätus·Text>'), again);
    assert.deepEqual(decodeSspMessage(again), decoded);
  });

  it('refuses numbers and element names no peer could read', () => {
    for (const body of [
      { kind: 'KeepAliveRequest', timeToLiveSeconds: -1 },
      { kind: 'KeepAliveRequest', timeToLiveSeconds: Number.NaN },
      { kind: 'Status', status: { code: 2.5 } },
      { kind: 'SubscribeRequest', userIDs: ['wv:a@x'], attributeNames: ['Online Status'] },
      { kind: 'GetPresenceResponse', presence: [{ userID: 'u', attributes: [{ name: '<x>', attributes: {}, children: [] }] }] },
      { kind: 'GetPresenceResponse', presence: [{ userID: 'u', attributes: [{ name: 'a×b', attributes: {}, children: [] }] }] },
    ] satisfies TransactionBody[]) {
      assert.throws(() => encodeSspMessage(session(body)), (error: unknown) => error instanceof GatewayError && error.code === 'INTERNAL', body.kind);
    }
  });
});
