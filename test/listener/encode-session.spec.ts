// A coalesced POST with one transaction that cannot be written: that one fails alone, the others go out.
import { strict as assert } from 'node:assert';
import { GatewayError } from '../../src/errors';
import { encodeEachThatCan } from '../../src/listener/encode-session';
import { decodeSspMessage, statusOf, type Transaction } from '../../src/ssp';

const fine = (transactionID: string): Transaction => ({ mode: 'Response', transactionID, body: { kind: 'Status', status: statusOf(200) } });
const unwritable: Transaction = {
  mode: 'Response',
  transactionID: 'bad',
  body: { kind: 'GetPresenceResponse', presence: [{ userID: 'wv:bob@imsp-b.test', attributes: [{ name: '<x>', attributes: {}, children: [] }] }] },
};

describe('encodeEachThatCan', () => {
  it('writes every transaction in one message when it can', () => {
    const { xml, sent, failures } = encodeEachThatCan('S1@imsp-a.test', [fine('t1'), fine('t2')]);
    assert.equal(sent.length, 2);
    assert.equal(failures, undefined);
    const decoded = decodeSspMessage(xml);
    assert.equal(decoded.kind === 'session' && decoded.transactions.length, 2);
  });

  it('leaves out the transaction that cannot be written, with its own error, and writes the others', () => {
    const { xml, sent, failures } = encodeEachThatCan('S1@imsp-a.test', [fine('t1'), unwritable, fine('t2')]);
    assert.deepEqual(sent.map((t) => t.transactionID), ['t1', 't2']);
    assert.ok(failures?.get(unwritable) instanceof GatewayError);
    const decoded = decodeSspMessage(xml);
    assert.deepEqual(decoded.kind === 'session' && decoded.transactions.map((t) => t.transactionID), ['t1', 't2']);
  });
});
