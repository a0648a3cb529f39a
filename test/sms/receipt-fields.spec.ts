// Receipt text (SMPP 3.4 Appendix B), receipt states and SMSC message id normalisation tests.
import { strict as assert } from 'node:assert';
import { isFinalReceiptState, normaliseSmscMessageId, parseReceiptText, type SmscMessageIdFormat } from '../../src/sms';

describe('parseReceiptText', () => {
  it('reads the Appendix B fields', () => {
    const fields = parseReceiptText('id:0000065536 sub:001 dlvrd:001 submit date:2611231200 done date:261123120512 stat:DELIVRD err:000 text:Hello id:fake');
    assert.deepEqual(fields, {
      id: '0000065536',
      stat: 'DELIVRD',
      err: '000',
      submitDate: new Date(Date.UTC(2026, 10, 23, 12, 0, 0)),
      doneDate: new Date(Date.UTC(2026, 10, 23, 12, 5, 12)),
    });
  });

  it('is case-insensitive on keys and ignores what the text: field says', () => {
    assert.deepEqual(parseReceiptText('ID:abc STAT:undeliv ERR:001 Text:stat:DELIVRD'), { id: 'abc', stat: 'undeliv', err: '001' });
  });

  it('leaves out unreadable dates and empty values', () => {
    assert.deepEqual(parseReceiptText('id: stat:EXPIRED submit date:2602310000 done date:xx'), { stat: 'EXPIRED' });
  });

  it('returns nothing for garbage', () => {
    assert.deepEqual(parseReceiptText('\u0000\u0001 random words'), {});
  });
});

describe('receipt states', () => {
  it('only enroute, buffered and submitted are intermediate', () => {
    assert.equal(isFinalReceiptState('delivered'), true);
    assert.equal(isFinalReceiptState('undeliverable'), true);
    assert.equal(isFinalReceiptState('accepted'), true);
    assert.equal(isFinalReceiptState('enroute'), false);
    assert.equal(isFinalReceiptState('buffered'), false);
    assert.equal(isFinalReceiptState('submitted'), false);
  });
});

describe('normaliseSmscMessageId', () => {
  const cases: Array<[string, SmscMessageIdFormat, string]> = [
    ['1F4', 'hex', '500'],
    ['0001f4', 'hex', '500'],
    ['0000000500', 'decimal', '500'],
    ['500', 'decimal', '500'],
    ['FFFFFFFFFFFFFFFFFFFF', 'hex', '1208925819614629174706175'],
    [' abc-123\u0000', 'text', 'abc-123'],
    ['ABC', 'text', 'ABC'],
    ['xyz', 'hex', 'xyz'],
    ['12a', 'decimal', '12a'],
    ['0', 'decimal', '0'],
  ];
  for (const [raw, format, expected] of cases) {
    it(`${JSON.stringify(raw)} as ${format} → ${expected}`, () => assert.equal(normaliseSmscMessageId(raw, format), expected));
  }

  it('a hex submit_sm_resp id and its decimal receipt id normalise alike', () => {
    assert.equal(normaliseSmscMessageId('10000', 'hex'), normaliseSmscMessageId('0000065536', 'decimal'));
  });
});
