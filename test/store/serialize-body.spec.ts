import { strict as assert } from 'node:assert';
import type { TransactionBody } from '../../src/ssp';
import { deserializeBody, serializeBody } from '../../src/store';

const withContent: TransactionBody = {
  kind: 'SendMessageRequest',
  deliveryReport: true,
  messageInfo: {
    messageID: 'm-1',
    recipients: [
      { kind: 'user', userID: 'wv:+4790000001' },
      { kind: 'user', userID: 'wv:bob@imsp-b.test' },
    ],
    senderUserID: 'wv:alice@imsp-a.test',
  },
  content: { contentType: 'image/png', transferEncoding: 'base64', bytes: Buffer.from([0, 1, 2, 254, 255]) },
};

const cases: { name: string; body: TransactionBody }[] = [
  { name: 'message content bytes, beside arrays of recipients', body: withContent },
  { name: 'a body without any Buffer', body: { kind: 'SendMessageResponse', messageID: 'm-1', status: { code: 201, description: 'partially successful' } } },
];

describe('serializeBody / deserializeBody', () => {
  for (const { name, body } of cases) {
    it(`restores ${name} intact`, () => {
      assert.deepEqual(deserializeBody(serializeBody(body)), body);
    });
  }

  it('stores content bytes as base64 text, not as a list of numbers', () => {
    assert.match(serializeBody(withContent), /"bytes":\{"\$base64":"AAEC\/v8="\}/);
  });

  it('leaves the body it serialises unchanged', () => {
    serializeBody(withContent);
    assert.ok(withContent.kind === 'SendMessageRequest' && Buffer.isBuffer(withContent.content?.bytes));
  });
});
