import { strict as assert } from 'node:assert';
import { failuresOfPart, mergeAnswers } from '../../src/routing/answers';
import type { TransactionBody } from '../../src/ssp';

const request: TransactionBody = {
  kind: 'SendMessageRequest',
  deliveryReport: false,
  messageInfo: { messageID: 'm1', recipients: [{ kind: 'user', userID: 'wv:a@x.test' }, { kind: 'user', userID: 'wv:b@y.test' }] },
};
const ok: TransactionBody = { kind: 'SendMessageResponse', messageID: 'm1', status: { code: 200 } };
const down: TransactionBody = { kind: 'SendMessageResponse', messageID: 'm1', status: { code: 503, description: 'peer down' } };

describe('mergeAnswers', () => {
  it('is 200 when every part succeeded', () => {
    const merged = mergeAnswers(request, [{ targets: ['wv:a@x.test'], answer: ok }, { targets: ['wv:b@y.test'], answer: ok }], []);
    assert.equal(merged.kind === 'SendMessageResponse' && merged.status.code, 200);
  });

  it('is 201 with a DetailedResult per failed recipient when some succeeded', () => {
    const merged = mergeAnswers(request, [{ targets: ['wv:a@x.test'], answer: ok }, { targets: ['wv:b@y.test'], answer: down }], []);
    assert.ok(merged.kind === 'SendMessageResponse');
    assert.equal(merged.status.code, 201);
    assert.deepEqual(merged.status.detailedResults, [{ code: 503, description: 'peer down', userIDs: ['wv:b@y.test'] }]);
  });

  it('keeps the common status when every recipient failed alike', () => {
    const merged = mergeAnswers(request, [], [
      { target: 'wv:a@x.test', status: 516, reason: 'no route' },
      { target: 'wv:b@y.test', status: 516, reason: 'no route' },
    ]);
    assert.equal(merged.kind === 'SendMessageResponse' && merged.status.code, 516);
  });

  it('is 900 with details when every recipient failed differently', () => {
    const merged = mergeAnswers(request, [{ targets: ['wv:a@x.test'], answer: down }], [{ target: 'wv:b@y.test', status: 516, reason: 'no route' }]);
    assert.ok(merged.kind === 'SendMessageResponse');
    assert.equal(merged.status.code, 900);
    assert.equal(merged.status.detailedResults?.length, 2);
  });

  it("takes a peer's own 201 apart: only the recipients its DetailedResults name failed, with their codes", () => {
    const partly: TransactionBody = {
      kind: 'SendMessageResponse',
      messageID: 'm1',
      status: { code: 201, detailedResults: [{ code: 531, description: 'unknown user', userIDs: ['WV:C@y.test'] }] },
    };
    const merged = mergeAnswers(request, [{ targets: ['wv:a@x.test'], answer: ok }, { targets: ['wv:b@y.test', 'wv:c@y.test'], answer: partly }], []);
    assert.ok(merged.kind === 'SendMessageResponse');
    assert.equal(merged.status.code, 201);
    assert.deepEqual(merged.status.detailedResults, [{ code: 531, description: 'unknown user', userIDs: ['wv:c@y.test'] }]);
  });

  it('is 201, not a failure, when a peer that took every recipient of a split request answers 201', () => {
    const partly: TransactionBody = { kind: 'SendMessageResponse', messageID: 'm1', status: { code: 201, detailedResults: [{ code: 531, userIDs: ['wv:b@y.test'] }] } };
    const merged = mergeAnswers(request, [{ targets: ['wv:b@y.test', 'wv:c@y.test'], answer: partly }], [{ target: 'wv:a@x.test', status: 516, reason: 'no route' }]);
    assert.ok(merged.kind === 'SendMessageResponse');
    assert.equal(merged.status.code, 201);
    assert.deepEqual(merged.status.detailedResults?.map((d) => d.userIDs[0]).sort(), ['wv:a@x.test', 'wv:b@y.test']);
  });

  it('takes a 201 whose failures name none of the part (only its description does, or another user, or only successes) as failed for every recipient of that part', () => {
    for (const detailedResults of [undefined, [{ code: 531, userIDs: ['carol@y.test'] }], [{ code: 200, userIDs: ['wv:b@y.test'] }]]) {
      const partly: TransactionBody = { kind: 'SendMessageResponse', messageID: 'm1', status: { code: 201, description: 'wv:b@y.test: unknown user', ...(detailedResults ? { detailedResults } : {}) } };
      const merged = mergeAnswers(request, [{ targets: ['wv:a@x.test'], answer: ok }, { targets: ['wv:b@y.test'], answer: partly }], []);
      assert.ok(merged.kind === 'SendMessageResponse');
      assert.equal(merged.status.code, 201);
      assert.deepEqual(merged.status.detailedResults?.map((d) => d.userIDs[0]), ['wv:b@y.test'], JSON.stringify(detailedResults));
    }
  });

  it("takes a replayed part as delivered when the 201's failures name only others (the peer answers for the larger earlier send)", () => {
    const replayed: TransactionBody = { kind: 'SendMessageResponse', messageID: 'm1', status: { code: 201, detailedResults: [{ code: 531, userIDs: ['wv:b@y.test'] }] } };
    assert.deepEqual(failuresOfPart({ targets: ['wv:a@y.test'], answer: replayed, replay: true }), []);
    assert.deepEqual(failuresOfPart({ targets: ['wv:a@y.test'], answer: replayed }).map((f) => f.target), ['wv:a@y.test'], 'not a replay: unattributable, so failed');
  });

  it('recognises a failed recipient named without the wv: scheme, in another case, or as a number with a domain', () => {
    const partly = (userID: string): TransactionBody => ({ kind: 'SendMessageResponse', messageID: 'm1', status: { code: 201, detailedResults: [{ code: 531, description: 'unknown user', userIDs: [userID] }] } });
    assert.deepEqual(failuresOfPart({ targets: ['wv:a@y.test', 'wv:b@y.test'], answer: partly('B@Y.test') }), [{ target: 'wv:b@y.test', status: 531, reason: 'unknown user' }]);
    assert.deepEqual(failuresOfPart({ targets: ['wv:+4790000001', 'wv:+4790000002'], answer: partly('wv:+4790000001@imsp-b.test'), replay: true }).map((f) => f.target), ['wv:+4790000001']);
  });

  it('pins a failure on the recipient named exactly, and a failure named by a shared number on every recipient with it', () => {
    const failing = (...userIDs: string[]): TransactionBody => ({ kind: 'SendMessageResponse', messageID: 'm1', status: { code: 201, detailedResults: [{ code: 531, userIDs }] } });
    const targetsOf = (targets: string[], answer: TransactionBody, replay = false) => failuresOfPart({ targets, answer, replay }).map((f) => f.target);
    assert.deepEqual(targetsOf(['wv:+4790000001@a.test', 'wv:+4790000001@b.test'], failing('wv:+4790000001@a.test')), ['wv:+4790000001@a.test']);
    const shared = ['wv:alice@x.test', 'wv:+4790000001@a.test', 'wv:+4790000001@b.test'];
    assert.deepEqual(targetsOf(shared, failing('wv:alice@x.test', 'wv:+4790000001')), shared);
    assert.deepEqual(targetsOf(shared.slice(1), failing('wv:+4790000001'), true), shared.slice(1), 'a replay too: neither counts as delivered');
  });
});
