// Decoder envelope tests: hostile and malformed input refused with SspDecodeError; deployed-peer quirks tolerated.
import { strict as assert } from 'node:assert';
import { GatewayError } from '../../src/errors';
import { SspDecodeError, decodeSspMessage, isFaulty, type SspMessage } from '../../src/ssp';
import { envelope, inSession, inSetup, sendMessageRequest } from './ssp-bodies';

interface RefusalCase {
  name: string;
  body: string | Buffer;
  options?: Parameters<typeof decodeSspMessage>[1];
  code: string;
  impsStatus: number;
  description: RegExp;
  transactionID?: string;
  sessionID?: string;
}

const BILLION_LAUGHS = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${
  Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')
}]><WV-SSP-Message><Session sessionID="&lol9;"/></WV-SSP-Message>`;

const nested = (depth: number): string => '<PresenceValue userID="u">'.repeat(depth) + '</PresenceValue>'.repeat(depth);
const manyAttributes = (count: number): string =>
  `<KeepAliveRequest ${Array.from({ length: count }, (_, i) => `a${i}="${i}"`).join(' ')}/>`;

const cases: RefusalCase[] = [
  { name: 'unclosed element (truncated body)', body: inSession('<LogoutRequest/>').slice(0, -27), code: 'SSP_MALFORMED', impsStatus: 400, description: /<Session> is not closed/ },
  { name: 'mismatched end tag', body: envelope('<Session sessionID="S1"></Transaction>'), code: 'SSP_MALFORMED', impsStatus: 400, description: /does not close <Session>/ },
  { name: 'not XML at all', body: 'hello, world', code: 'SSP_MALFORMED', impsStatus: 400, description: /text before the root element/ },
  { name: 'empty body', body: '', code: 'SSP_MALFORMED', impsStatus: 400, description: /no root element/ },
  { name: 'two root elements', body: `${envelope('')}<WV-SSP-Message/>`, code: 'SSP_MALFORMED', impsStatus: 400, description: /more than one root/ },
  { name: '"<" in an attribute value', body: envelope('<Session sessionID="a<b"/>'), code: 'SSP_MALFORMED', impsStatus: 400, description: /"<" in an attribute value/ },
  { name: 'truncated start tag', body: '<WV-SSP-Message xmlns="x', code: 'SSP_MALFORMED', impsStatus: 400, description: /truncated/ },
  { name: 'billion laughs (entity expansion bomb)', body: BILLION_LAUGHS, code: 'SSP_MALFORMED', impsStatus: 400, description: /DOCTYPE and ENTITY declarations are refused/ },
  { name: 'external entity (XXE)', body: `<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>${envelope('<Session sessionID="&x;"/>')}`, code: 'SSP_MALFORMED', impsStatus: 400, description: /DOCTYPE/ },
  { name: 'body over maxBytes (option)', body: inSession(sendMessageRequest()), options: { maxBytes: 200 }, code: 'SSP_TOO_LARGE', impsStatus: 400, description: /exceeds 200 bytes/ },
  { name: 'body over the default 256 KiB', body: Buffer.from(inSession(`<Status code="200"><StatusDescription>${'x'.repeat(60_000)}</StatusDescription></Status>`).repeat(5)), code: 'SSP_TOO_LARGE', impsStatus: 400, description: /exceeds 262144 bytes/ },
  { name: 'multi-byte string over maxBytes', body: inSession(`<Status code="200"><StatusDescription>${'ø'.repeat(600)}</StatusDescription></Status>`), options: { maxBytes: 1000 }, code: 'SSP_TOO_LARGE', impsStatus: 400, description: /exceeds 1000 bytes/ },
  { name: 'nesting deeper than 32', body: inSession(`<GetPresenceResponse>${nested(40)}</GetPresenceResponse>`), code: 'SSP_MALFORMED', impsStatus: 400, description: /deeper than 32 levels/ },
  { name: 'more than 32 attributes', body: inSession(manyAttributes(40)), code: 'SSP_MALFORMED', impsStatus: 400, description: /<KeepAliveRequest> has more than 32 attributes/ },
  { name: 'text longer than 64 KiB', body: inSession(sendMessageRequest(undefined, `<ContentData>${'A'.repeat(70_000)}</ContentData>`)), code: 'SSP_MALFORMED', impsStatus: 400, description: /text exceeds 65536 characters/ },
  { name: 'id longer than 1 KiB', body: envelope(`<SetupTransaction mode="Request" transactionID="${'7'.repeat(2000)}"><LogoutRequest/></SetupTransaction>`), code: 'SSP_MALFORMED', impsStatus: 400, description: /<SetupTransaction transactionID> exceeds 1024 characters/ },
  { name: 'non-UTF-8 garbage', body: Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e]), code: 'SSP_MALFORMED', impsStatus: 400, description: /not valid UTF-8/ },
  { name: 'Latin-1 body', body: Buffer.from(inSession('<Status code="200"><StatusDescription>Bokmål</StatusDescription></Status>'), 'latin1'), code: 'SSP_MALFORMED', impsStatus: 400, description: /not valid UTF-8/ },
  { name: 'wrong root element', body: '<WV-CSP-Message><Session sessionID="S1"/></WV-CSP-Message>', code: 'SSP_MALFORMED', impsStatus: 400, description: /root element is <WV-CSP-Message>/ },
  { name: 'unknown envelope element', body: envelope('<Transaction mode="Request" transactionID="T1"/>'), code: 'SSP_MALFORMED', impsStatus: 400, description: /expected <SetupTransaction> or <Session>/ },
  { name: 'setup and session together', body: envelope('<Session sessionID="S1"/><SetupTransaction/>'), code: 'SSP_MALFORMED', impsStatus: 400, description: /carries 2 elements/ },
  { name: 'SetupTransaction without transactionID', body: envelope('<SetupTransaction mode="Request"><LogoutRequest/></SetupTransaction>'), code: 'SSP_MALFORMED', impsStatus: 400, description: /<SetupTransaction> lacks attribute transactionID/ },
  { name: 'Session with an empty sessionID', body: envelope('<Session sessionID=" "><Transaction mode="Request" transactionID="T1"><LogoutRequest/></Transaction></Session>'), code: 'SSP_MALFORMED', impsStatus: 400, description: /<Session sessionID> is empty/ },
  { name: 'SetupTransaction with an empty transactionID', body: envelope('<SetupTransaction mode="Request" transactionID=""><LogoutRequest/></SetupTransaction>'), code: 'SSP_MALFORMED', impsStatus: 400, description: /<SetupTransaction transactionID> is empty/ },
  { name: 'Transaction without transactionID', body: envelope('<Session sessionID="SB1@imsp-b.test"><Transaction mode="Request"><LogoutRequest/></Transaction></Session>'), code: 'SSP_MALFORMED', impsStatus: 400, description: /<Transaction> lacks attribute transactionID/, sessionID: 'SB1@imsp-b.test' },
  { name: 'Session without sessionID', body: envelope('<Session><Transaction mode="Request" transactionID="T1"><LogoutRequest/></Transaction></Session>'), code: 'SSP_MALFORMED', impsStatus: 400, description: /<Session> lacks attribute sessionID/ },
  { name: 'Session holding something else', body: envelope('<Session sessionID="S1"><KeepAliveRequest/></Session>'), code: 'SSP_MALFORMED', impsStatus: 400, description: /<Session> holds <KeepAliveRequest>/, sessionID: 'S1' },
  { name: 'empty Session', body: envelope('<Session sessionID="S1"></Session>'), code: 'SSP_MALFORMED', impsStatus: 400, description: /carries no <Transaction>/, sessionID: 'S1' },
  { name: 'unknown set-up element', body: inSetup('<SendChallenge/>'), code: 'SSP_NOT_IMPLEMENTED', impsStatus: 501, description: /^SendChallenge is not implemented$/, transactionID: 'T9' },
  { name: 'set-up element lacking a field', body: inSetup('<LoginRequest serviceID="wv:@imsp-b.test"/>'), code: 'SSP_MALFORMED', impsStatus: 400, description: /<LoginRequest> lacks <PasswordDigest>/, transactionID: 'T9' },
  { name: 'set-up mode neither Request nor Response', body: inSetup('<Status code="200"/>', 'Sideways'), code: 'SSP_BAD_PARAMETER', impsStatus: 402, description: /mode="Sideways"/, transactionID: 'T9' },
  { name: 'set-up status code not a number', body: inSetup('<LoginResponse sessionID="S@b"><Status code="OK"/></LoginResponse>'), code: 'SSP_BAD_PARAMETER', impsStatus: 402, description: /<Status code="OK"> is not a number/, transactionID: 'T9' },
  { name: 'PasswordDigest not base64', body: inSetup('<LoginRequest serviceID="wv:@b"><PasswordDigest encoding="base64">not*base64!</PasswordDigest></LoginRequest>'), code: 'SSP_BAD_PARAMETER', impsStatus: 402, description: /<PasswordDigest> is not valid base64/, transactionID: 'T9' },
];

describe('decodeSspMessage: refused input', () => {
  for (const c of cases) {
    it(`refuses ${c.name}`, () => {
      assert.throws(
        () => decodeSspMessage(c.body, c.options),
        (error: unknown) => {
          assert.ok(error instanceof SspDecodeError, `expected SspDecodeError, got ${String(error)}`);
          assert.ok(error instanceof GatewayError);
          assert.equal(error.code, c.code);
          assert.equal(error.impsStatus, c.impsStatus);
          assert.equal(error.transient, false);
          assert.match(error.message, c.description);
          assert.equal(error.transactionID, c.transactionID);
          assert.equal(error.sessionID, c.sessionID);
          return true;
        },
      );
    });
  }
});

function onlyTransaction(message: SspMessage) {
  assert.equal(message.kind, 'session');
  const [transaction] = message.transactions;
  assert.ok(transaction !== undefined && !isFaulty(transaction), 'one decodable transaction');
  return transaction;
}

describe('decodeSspMessage: tolerance (ssp-profile.md §2)', () => {
  it('reads a Buffer, a string and a body with a UTF-8 byte order mark alike', () => {
    const text = inSession(sendMessageRequest());
    const expected = decodeSspMessage(text);
    assert.deepStrictEqual(decodeSspMessage(Buffer.from(text)), expected);
    assert.deepStrictEqual(decodeSspMessage(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])), expected);
  });

  it('reads CRLF line ends, comments and single-quoted declarations', () => {
    const body = `<?xml version='1.0'?>\r\n<!-- peer banner -->\r\n${inSession('<KeepAliveRequest\r\n timeToLive="60"/>').slice(38)}`;
    assert.deepStrictEqual(onlyTransaction(decodeSspMessage(body)).body, { kind: 'KeepAliveRequest', timeToLiveSeconds: 60 });
  });

  it('keeps an unknown entity and a bare ampersand in StatusDescription literally (the peer does not escape)', () => {
    const body = inSession('<Status code="200"><StatusDescription>Tom &amp; Jerry &nbsp; R&D</StatusDescription></Status>');
    assert.deepStrictEqual(onlyTransaction(decodeSspMessage(body)).body, {
      kind: 'Status',
      status: { code: 200, description: 'Tom & Jerry &nbsp; R&D' },
    });
  });

  it('keeps MSISDN-like values as strings and leading zeros of ids', () => {
    const body = envelope('<Session sessionID="0042@imsp-b.test"><Transaction mode="response" transactionID="007">'
      + '<SearchRequest><SearchPairList><SearchElement>USER_MOBILE_NUMBER</SearchElement><SearchString>+4790000001</SearchString></SearchPairList></SearchRequest>'
      + '</Transaction></Session>');
    const message = decodeSspMessage(body);
    assert.equal(message.kind === 'session' && message.sessionID, '0042@imsp-b.test');
    const transaction = onlyTransaction(message);
    assert.equal(transaction.transactionID, '007');
    assert.equal(transaction.mode, 'Response');
    assert.deepStrictEqual(transaction.body, { kind: 'SearchRequest', pairs: [{ element: 'USER_MOBILE_NUMBER', value: '+4790000001' }] });
  });

  it('reads an empty messageID of a relayed message (only envelope ids must not be empty)', () => {
    const body = envelope('<Session sessionID="S1@imsp-b.test"><Transaction mode="Request" transactionID="T1">'
      + '<SendMessageRequest deliveryReport="No"><MessageInfo messageID=""><Recipient><User userID="wv:bob@imsp-a.test"/></Recipient></MessageInfo></SendMessageRequest>'
      + '</Transaction></Session>');
    const transaction = onlyTransaction(decodeSspMessage(body));
    assert.equal(transaction.body.kind === 'SendMessageRequest' && transaction.body.messageInfo.messageID, '');
  });

  it('reads SecretToken as raw text when no encoding is given, trimming the padding', () => {
    const message = decodeSspMessage(inSetup('<SendSecretToken serviceID="wv:@b" protocol="WV-SSP" procotolVersion="1.3"><SecretToken>\n  abc==  \n</SecretToken></SendSecretToken>'));
    assert.deepStrictEqual(message.kind === 'setup' && message.body, {
      kind: 'SendSecretToken', serviceID: 'wv:@b', protocol: 'WV-SSP', protocolVersion: '1.3', secretToken: 'abc==',
    });
  });

  it('accepts a body of exactly maxBytes', () => {
    const text = inSession(sendMessageRequest());
    assert.equal(decodeSspMessage(text, { maxBytes: Buffer.byteLength(text) }).kind, 'session');
  });
});
