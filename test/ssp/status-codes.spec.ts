// IMPS status code table tests (ssp-profile.md §6).
import { strict as assert } from 'node:assert';
import { IMPS_STATUS_CODES, describeStatus, statusLabel, statusOf } from '../../src/ssp';

describe('IMPS status codes', () => {
  it('describes every code the profile uses', () => {
    for (const code of [200, 201, 400, 402, 405, 427, 500, 501, 503, 506, 516, 531, 604, 900, 901]) {
      assert.ok(IMPS_STATUS_CODES.has(code), `code ${code} is in the table`);
      assert.ok(describeStatus(code).length > 0);
    }
  });

  it("labels metrics with the table's codes, the gateway's own answers among them, and anything else as other", () => {
    for (const code of [200, 400, 402, 405, 415, 500, 501, 503, 506, 507, 516, 538, 542, 604, 901]) assert.equal(statusLabel(code), String(code));
    assert.equal(statusLabel(777_777_777), 'other');
  });

  const fallbacks: Array<[number, string]> = [
    [299, 'Successful'],
    [498, 'Client error'],
    [599, 'Server error'],
    [699, 'Session error'],
    [999, 'General error'],
    [123, 'Status 123'],
  ];
  for (const [code, description] of fallbacks) {
    it(`falls back to the class description for ${code}`, () => assert.equal(describeStatus(code), description));
  }

  it('builds a Status with the table description by default', () => {
    assert.deepStrictEqual(statusOf(516), { code: 516, description: 'Domain not supported' });
    assert.deepStrictEqual(statusOf(402, 'wildcard MSISDN'), { code: 402, description: 'wildcard MSISDN' });
  });

  it('adds detailed results and TryAgainTimeout only when given', () => {
    assert.deepStrictEqual(statusOf(503, undefined, { tryAgainTimeoutSeconds: 30 }), {
      code: 503, description: 'Service unavailable', tryAgainTimeoutSeconds: 30,
    });
    const detailedResults = [{ code: 531, userIDs: ['wv:+4790000001'] }];
    assert.deepStrictEqual(statusOf(201, undefined, { detailedResults }), { code: 201, description: 'Partially successful', detailedResults });
    assert.deepStrictEqual(Object.keys(statusOf(200, undefined, {})), ['code', 'description']);
  });
});
