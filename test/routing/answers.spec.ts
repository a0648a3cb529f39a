import { strict as assert } from 'node:assert';
import { failuresOfPart, mergeAnswers } from '../../src/routing/answers';
import type { DetailedResult, TransactionBody } from '../../src/ssp';

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
    assert.deepEqual(failuresOfPart({ targets: ['wv:a@y.test'], answer: replayed, replayOf: ['wv:a@y.test', 'wv:b@y.test'] }), []);
    assert.deepEqual(failuresOfPart({ targets: ['wv:a@y.test'], answer: replayed }).map((f) => f.target), ['wv:a@y.test'], 'not a replay: unattributable, so failed');
  });

  it('recognises a failed recipient named without the wv: scheme, in another case, or as a number with a domain', () => {
    const partly = (userID: string): TransactionBody => ({ kind: 'SendMessageResponse', messageID: 'm1', status: { code: 201, detailedResults: [{ code: 531, description: 'unknown user', userIDs: [userID] }] } });
    assert.deepEqual(failuresOfPart({ targets: ['wv:a@y.test', 'wv:b@y.test'], answer: partly('B@Y.test') }), [{ target: 'wv:b@y.test', status: 531, reason: 'unknown user' }]);
    assert.deepEqual(failuresOfPart({ targets: ['wv:+4790000001', 'wv:+4790000002'], answer: partly('wv:+4790000001@imsp-b.test'), replayOf: ['wv:+4790000001', 'wv:+4790000002'] }).map((f) => f.target), ['wv:+4790000001']);
  });

  it('pins a failure on the recipient named exactly, and a failure named by a shared number on every recipient with it', () => {
    const failing = (...userIDs: string[]): TransactionBody => ({ kind: 'SendMessageResponse', messageID: 'm1', status: { code: 201, detailedResults: [{ code: 531, userIDs }] } });
    const targetsOf = (targets: string[], answer: TransactionBody, replayOf?: string[]) => failuresOfPart({ targets, answer, ...(replayOf ? { replayOf } : {}) }).map((f) => f.target);
    assert.deepEqual(targetsOf(['wv:+4790000001@a.test', 'wv:+4790000001@b.test'], failing('wv:+4790000001@a.test')), ['wv:+4790000001@a.test']);
    const shared = ['wv:alice@x.test', 'wv:+4790000001@a.test', 'wv:+4790000001@b.test'];
    assert.deepEqual(targetsOf(shared, failing('wv:alice@x.test', 'wv:+4790000001')), shared);
    assert.deepEqual(targetsOf(shared.slice(1), failing('wv:+4790000001'), shared), shared.slice(1), 'a replay too: neither counts as delivered');
  });
});

describe('failuresOfPart and mergeAnswers: failures that cannot be pinned', () => {
  const answer201 = (detailedResults: DetailedResult[], description?: string): TransactionBody => ({ kind: 'SendMessageResponse', messageID: 'm1', status: { code: 201, detailedResults, ...(description ? { description } : {}) } });
  const failedOf = (targets: string[], answer: TransactionBody, replayOf?: string[]) => failuresOfPart({ targets, answer, ...(replayOf ? { replayOf } : {}) }).map((f) => f.target).sort();

  it('fails the recipients it does not name when another failure names a user in a form we cannot match', () => {
    const answer = answer201([{ code: 531, userIDs: ['wv:a@y.test'] }, { code: 531, userIDs: ['wv:b'] }]);
    assert.deepEqual(failedOf(['wv:a@y.test', 'wv:b@y.test'], answer), ['wv:a@y.test', 'wv:b@y.test']);
  });

  it('fails the recipients it does not name when a failure names no user at all', () => {
    const answer = answer201([{ code: 531, userIDs: ['wv:a@y.test'] }, { code: 500, description: 'wv:b@y.test: internal error', userIDs: [] }]);
    assert.deepEqual(
      failuresOfPart({ targets: ['wv:a@y.test', 'wv:b@y.test'], answer }).map((f) => [f.target, f.status]),
      [['wv:a@y.test', 531], ['wv:b@y.test', 500]],
    );
  });

  it('in a replay, counts only recipients of the earlier send as "others": a name matching none of them fails the part', () => {
    const answer = answer201([{ code: 531, userIDs: ['wv:b'] }]);
    assert.deepEqual(failedOf(['wv:a@y.test', 'wv:b@y.test'], answer, ['wv:a@y.test', 'wv:b@y.test']), ['wv:a@y.test', 'wv:b@y.test']);
    assert.deepEqual(failedOf(['wv:a@y.test'], answer201([{ code: 531, userIDs: ['wv:c@y.test'] }]), ['wv:a@y.test', 'wv:c@y.test']), [], 'c was of the earlier send');
  });

  it('in a replay, takes a failure naming another recipient of the earlier send exactly as theirs, not ours by number', () => {
    const answer = answer201([{ code: 531, userIDs: ['wv:+4790000001@b.test'] }]);
    assert.deepEqual(failedOf(['wv:+4790000001@a.test'], answer, ['wv:+4790000001@a.test', 'wv:+4790000001@b.test']), []);
    assert.deepEqual(failedOf(['wv:+4790000001@a.test'], answer201([{ code: 531, userIDs: ['wv:+4790000001'] }]), ['wv:+4790000001@a.test', 'wv:+4790000001@b.test']), ['wv:+4790000001@a.test'], 'by number alone: ours too');
  });

  it('reports recipients of a 201 that names no failure with a failure code, never 201', () => {
    const request: TransactionBody = { kind: 'SendMessageRequest', deliveryReport: false, messageInfo: { messageID: 'm1', recipients: [] } };
    const ok: TransactionBody = { kind: 'SendMessageResponse', messageID: 'm1', status: { code: 200 } };
    const merged = mergeAnswers(request, [{ targets: ['wv:a@x.test'], answer: ok }, { targets: ['wv:b@y.test'], answer: answer201([], 'b failed') }], []);
    assert.ok(merged.kind === 'SendMessageResponse');
    assert.deepEqual(merged.status.detailedResults?.map((d) => [d.userIDs[0], d.code]), [['wv:b@y.test', 900]]);
    assert.match(merged.status.detailedResults?.[0]?.description ?? '', /b failed/);
  });

  it('counts each recipient once, so a part with an unnamed recipient still succeeded for someone', () => {
    const request: TransactionBody = { kind: 'SendMessageRequest', deliveryReport: false, messageInfo: { messageID: 'm1', recipients: [] } };
    const targets = ['wv:+4790000001@a.test', 'wv:+4790000001@b.test', 'wv:c@y.test'];
    const answer = answer201([{ code: 531, userIDs: ['wv:+4790000001@a.test'] }, { code: 531, userIDs: ['wv:+4790000001'] }]);
    assert.deepEqual(failedOf(targets, answer), targets.slice(0, 2));
    const merged = mergeAnswers(request, [{ targets, answer }], [{ target: 'wv:d@z.test', status: 531, reason: 'no such user' }]);
    assert.ok(merged.kind === 'SendMessageResponse');
    assert.equal(merged.status.code, 201, 'c was delivered');
  });

  it('fails both of two recipients that differ only in case when the peer names that user', () => {
    const answer = answer201([{ code: 531, userIDs: ['wv:bob@y.test'] }]);
    assert.deepEqual(failedOf(['wv:bob@y.test', 'wv:Bob@y.test', 'wv:c@y.test'], answer), ['wv:Bob@y.test', 'wv:bob@y.test']);
  });
});
