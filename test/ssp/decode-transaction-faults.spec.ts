// Per-transaction faults inside a Session (ssp-profile.md §5): 501 unknown, 400 missing, 402 bad value; others still served.
import { strict as assert } from 'node:assert';
import { decodeSspMessage, isFaulty, type FaultyTransaction } from '../../src/ssp';
import { envelope, inSession, sendMessageRequest } from './ssp-bodies';

interface FaultCase {
  name: string;
  body: string;
  impsStatus: number;
  description: RegExp;
}

const recipient = '<Recipient><User userID="wv:bob@imsp-b.test"/></Recipient>';

const cases: FaultCase[] = [
  { name: 'unknown transaction element', body: '<InviteRequest inviteID="i1"/>', impsStatus: 501, description: /^InviteRequest is not implemented$/ },
  { name: 'missing MessageInfo', body: sendMessageRequest(''), impsStatus: 400, description: /<SendMessageRequest> lacks <MessageInfo>/ },
  { name: 'MessageInfo without Recipient', body: sendMessageRequest('<MessageInfo messageID="M1"/>'), impsStatus: 400, description: /<MessageInfo> names no <Recipient>/ },
  { name: 'MessageInfo without messageID', body: sendMessageRequest(`<MessageInfo>${recipient}</MessageInfo>`), impsStatus: 400, description: /<MessageInfo> lacks attribute messageID/ },
  { name: 'User without userID', body: sendMessageRequest('<MessageInfo messageID="M1"><Recipient><User/></Recipient></MessageInfo>'), impsStatus: 400, description: /<User> lacks attribute userID/ },
  { name: 'recipient kind not routed here', body: sendMessageRequest(`<MessageInfo messageID="M1"><Recipient><ScreenName sname="x"/></Recipient></MessageInfo>`), impsStatus: 501, description: /<Recipient><ScreenName> is not implemented/ },
  { name: 'non-numeric Status code', body: '<SendMessageResponse messageID="M1"><Status code="OK"/></SendMessageResponse>', impsStatus: 402, description: /<Status code="OK"> is not a number/ },
  { name: 'non-numeric DetailedResult code', body: '<Status code="201"><DetailedResult code="4x7"/></Status>', impsStatus: 402, description: /<DetailedResult code="4x7"> is not a number/ },
  { name: 'Status without code', body: '<Status/>', impsStatus: 400, description: /<Status> lacks attribute code/ },
  { name: 'non-numeric contentSize', body: sendMessageRequest(`<MessageInfo messageID="M1" contentSize="22 bytes">${recipient}</MessageInfo>`), impsStatus: 402, description: /<MessageInfo contentSize="22 bytes"> is not a number/ },
  { name: 'negative timeToLive', body: '<KeepAliveRequest timeToLive="-5"/>', impsStatus: 402, description: /<KeepAliveRequest timeToLive="-5"> is not a number/ },
  { name: 'non-numeric SearchLimit', body: '<SearchRequest><SearchPairList><SearchElement>USER_ID</SearchElement><SearchString>a</SearchString></SearchPairList><SearchLimit>ten</SearchLimit></SearchRequest>', impsStatus: 402, description: /<SearchLimit>ten<\/SearchLimit> is not a number/ },
  { name: 'non-numeric TryAgainTimeout', body: '<Status code="503"><TryAgainTimeout>soon</TryAgainTimeout></Status>', impsStatus: 402, description: /<TryAgainTimeout>soon<\/TryAgainTimeout> is not a number/ },
  { name: 'deliveryReport neither Yes nor No', body: sendMessageRequest(undefined, undefined, ' deliveryReport="Maybe"'), impsStatus: 402, description: /deliveryReport="Maybe"> is neither Yes nor No/ },
  { name: 'ContentData not base64', body: sendMessageRequest(undefined, '<ContentData encoding="base64">@@@@</ContentData>'), impsStatus: 402, description: /<ContentData> is not valid base64/ },
  { name: 'ContentData in an unknown encoding', body: sendMessageRequest(undefined, '<ContentData encoding="uuencode">x</ContentData>'), impsStatus: 402, description: /<ContentData encoding="uuencode"> is not supported/ },
  { name: 'SubscribeRequest naming nobody', body: '<SubscribeRequest><AttributeList><OnlineStatus/></AttributeList></SubscribeRequest>', impsStatus: 400, description: /<SubscribeRequest> names no <UserID>/ },
  { name: 'SearchRequest without a pair', body: '<SearchRequest/>', impsStatus: 400, description: /<SearchRequest> lacks <SearchPairList>/ },
  { name: 'DeliveryStatusReport without DeliveryResult', body: '<DeliveryStatusReport><MessageInfo messageID="M1"/></DeliveryStatusReport>', impsStatus: 400, description: /<DeliveryStatusReport> lacks <DeliveryResult>/ },
  { name: 'PresenceValue without userID', body: '<GetPresenceResponse><PresenceValue/></GetPresenceResponse>', impsStatus: 400, description: /<PresenceValue> lacks attribute userID/ },
  { name: 'Transaction with two elements', body: '<KeepAliveRequest/><LogoutRequest/>', impsStatus: 400, description: /<Transaction> carries 2 elements, expected one/ },
  { name: 'empty Transaction', body: '', impsStatus: 400, description: /<Transaction> carries no element/ },
];

function onlyFault(body: string): FaultyTransaction {
  const message = decodeSspMessage(inSession(body));
  assert.equal(message.kind, 'session');
  assert.equal(message.transactions.length, 1);
  const [transaction] = message.transactions;
  assert.ok(transaction !== undefined && isFaulty(transaction), 'the transaction is faulty');
  return transaction;
}

describe('decodeSspMessage: faulty transactions', () => {
  for (const c of cases) {
    it(`answers ${c.name} with ${c.impsStatus}`, () => {
      const fault = onlyFault(c.body);
      assert.equal(fault.transactionID, 'T1');
      assert.equal(fault.mode, 'Request');
      assert.equal(fault.fault.impsStatus, c.impsStatus);
      assert.match(fault.fault.description, c.description);
    });
  }

  it('keeps the mode of a faulty Response transaction', () => {
    const message = decodeSspMessage(envelope('<Session sessionID="S1"><Transaction mode="Response" transactionID="T2"><Bogus/></Transaction></Session>'));
    assert.deepStrictEqual(message, {
      kind: 'session',
      sessionID: 'S1',
      transactions: [{ mode: 'Response', transactionID: 'T2', fault: { impsStatus: 501, description: 'Bogus is not implemented' } }],
    });
  });

  it('reads a transaction of unknown mode as a faulty Request', () => {
    const message = decodeSspMessage(envelope('<Session sessionID="S1"><Transaction mode="Sideways" transactionID="T3"><LogoutRequest/></Transaction></Session>'));
    assert.deepStrictEqual(message.kind === 'session' && message.transactions, [
      { mode: 'Request', transactionID: 'T3', fault: { impsStatus: 402, description: '<Transaction mode="Sideways"> is neither Request nor Response' } },
    ]);
  });

  it('still serves the other transactions of the Session', () => {
    const message = decodeSspMessage(envelope('<Session sessionID="S1">'
      + '<Transaction mode="Request" transactionID="T1"><KeepAliveRequest timeToLive="60"/></Transaction>'
      + '<Transaction mode="Request" transactionID="T2"><WhoAmIRequest/></Transaction>'
      + '<Transaction mode="Response" transactionID="T3"><Status code="200"/></Transaction>'
      + '</Session>'));
    assert.deepStrictEqual(message, {
      kind: 'session',
      sessionID: 'S1',
      transactions: [
        { mode: 'Request', transactionID: 'T1', body: { kind: 'KeepAliveRequest', timeToLiveSeconds: 60 } },
        { mode: 'Request', transactionID: 'T2', fault: { impsStatus: 501, description: 'WhoAmIRequest is not implemented' } },
        { mode: 'Response', transactionID: 'T3', body: { kind: 'Status', status: { code: 200 } } },
      ],
    });
  });
});
