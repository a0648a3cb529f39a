// IM ↔ SMS through a real Kannel 1.4.5 (bearerbox + smsbox + fake SMSC, real-peers.md §1): MT text and UCS-2,
// the success DLR as a DeliveryStatusReport, a reply as an IM, and the help answer (issue 5).
import { strict as assert } from 'node:assert';
import type { SinkRecord } from '../../src/app';
import { startDomains, type Domains } from '../support/domain-harness';
import { freePort } from '../support/free-port';
import { startKannel, type FakeSmscLine, type RunningKannel } from '../support/kannel';
import { messageIdOf, statusCodeOf, textMessage } from '../support/ssp-messages';
import { waitForEvent } from '../support/wait-for';

const A = 'imsp-a.test';
const TOKEN = 'gateway-callback-token-0042';
const HELP = 'Write to an IM user first.';

interface ImBody {
  messageInfo: { senderUserID?: string; recipients: Array<{ userID: string }> };
  content?: { text?: string };
  result?: { code: number };
}
const bodyOf = (record: SinkRecord) => record.body as unknown as ImBody;

describe('IM and SMS through real Kannel', function () {
  this.timeout(60_000);
  let kannel: RunningKannel;
  let domains: Domains;

  before(async () => {
    const callbackPort = await freePort();
    const callbackUrl = `http://127.0.0.1:${callbackPort}`;
    kannel = await startKannel({ moPostUrl: `${callbackUrl}/mo?token=${TOKEN}` });
    const sms = {
      transport: { kind: 'kannel', sendsmsUrl: kannel.sendsmsUrl, username: kannel.username, password: kannel.password, callbackUrl, callbackToken: TOKEN },
      kannelCallbackListen: `127.0.0.1:${callbackPort}`,
      sender: { mode: 'pool', pool: ['+4790001000'] },
      replies: { helpText: HELP },
    };
    domains = await startDomains([{ domain: A, config: { routing: { smsOnly: { numberPrefixes: ['+4799'] } }, sms } }]);
  });
  after(async () => {
    await domains?.stop();
    await kannel?.stop();
  });

  const mtTo = (number: string) => waitForEvent<FakeSmscLine>(kannel.fakeSmsc, 'mt', (line) => line.to.replace(/^\+/, '') === number.replace(/^\+/, ''));

  it('sends a GSM text IM as one `text` SMS from the pool number, and reports the DLR as delivered', async () => {
    const sink = domains.get(A).sink;
    const request = textMessage('wv:alice@imsp-a.test', ['wv:+4799000001'], 'Hello @ home {ok}');
    const mt = mtTo('+4799000001');
    const report = waitForEvent<SinkRecord>(sink, 'transaction', (r) => r.type === 'DeliveryStatusReport' && messageIdOf(r.body) === request.messageInfo.messageID, 20_000);
    assert.equal(statusCodeOf(await sink.request(A, request)), 200);
    const line = await mt;
    assert.equal(line.type, 'text');
    assert.equal(line.text, 'Hello @ home {ok}');
    assert.equal(line.from.replace(/^\+/, ''), '4790001000');
    assert.equal(bodyOf(await report).result?.code, 200);
  });

  it('sends a non-GSM IM as one `ucs-2` SMS', async () => {
    const mt = mtTo('+4799000002');
    await domains.get(A).sink.request(A, textMessage('wv:alice@imsp-a.test', ['wv:+4799000002'], 'Привет 😀', false));
    const line = await mt;
    assert.equal(line.type, 'ucs-2');
    assert.equal(line.text, 'Привет 😀');
  });

  it("delivers the customer's reply to the IM user who wrote", async () => {
    const sink = domains.get(A).sink;
    const mt = mtTo('+4799000003');
    await sink.request(A, textMessage('wv:bob@imsp-a.test', ['wv:+4799000003'], 'Ping', false));
    await mt;
    const im = waitForEvent<SinkRecord>(sink, 'transaction', (r) => r.type === 'SendMessageRequest' && bodyOf(r).content?.text === 'Pong');
    kannel.fakeSmsc.sendText('4799000003', '4790001000', 'Pong');
    const body = bodyOf(await im);
    assert.equal(body.messageInfo.senderUserID, 'wv:+4799000003');
    assert.deepEqual(body.messageInfo.recipients.map((r) => r.userID), ['wv:bob@imsp-a.test']);
  });

  it('answers an unmatched SMS with the help text', async () => {
    const help = mtTo('+4799000077');
    kannel.fakeSmsc.sendText('4799000077', '4790001000', 'hello?');
    assert.equal((await help).text, HELP);
  });
});
