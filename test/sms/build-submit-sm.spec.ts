// submit_sm building tests (SMPP 3.4 §4.4.1): addresses, explicit data_coding, UDH concatenation, golden bytes.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as smpp from 'smpp';
import { buildSubmitSm, composeSms, smppAddressOf, type OutboundSms, type SmsTextPolicy } from '../../src/sms';
import { fixturePath } from '../support/paths';

const concatenate: SmsTextPolicy = { oversize: 'concatenate', maxParts: 4, prefix: '', suffix: '' };

function outbound(text: string, from = '+4790000002', requestReceipt = true): OutboundSms {
  return { reference: 'ref-1', from, to: '+4790000001', sms: composeSms({ text }, concatenate), requestReceipt };
}

describe('smppAddressOf', () => {
  const cases: Array<[string, 'from' | 'to', { ton: number; npi: number; address: string } | 'bad']> = [
    ['+4790000001', 'to', { ton: 1, npi: 1, address: '4790000001' }],
    ['+4790000001', 'from', { ton: 1, npi: 1, address: '4790000001' }],
    ['IMSP-A', 'from', { ton: 5, npi: 0, address: 'IMSP-A' }],
    ['12345', 'from', { ton: 0, npi: 1, address: '12345' }],
    ['IMSP-A', 'to', 'bad'],
    ['4790000001', 'to', 'bad'],
    ['+0790000001', 'to', 'bad'],
    ['TwelveLetter', 'from', 'bad'],
    ['+47 900', 'to', 'bad'],
    ['', 'from', 'bad'],
  ];
  for (const [value, role, expected] of cases) {
    it(`${role} ${JSON.stringify(value)}`, () => {
      if (expected === 'bad') assert.throws(() => smppAddressOf(value, role), { code: 'SMS_BAD_ADDRESS', impsStatus: 402 });
      else assert.deepEqual(smppAddressOf(value, role), expected);
    });
  }
});

describe('buildSubmitSm', () => {
  it('a single GSM SMS: data_coding 0 explicit, no UDH, receipt requested', () => {
    const [fields, ...rest] = buildSubmitSm(outbound('Hi @£'), 0x42);
    assert.equal(rest.length, 0);
    assert.equal(fields?.data_coding, 0x00);
    assert.equal(fields?.esm_class, 0x00);
    assert.equal(fields?.registered_delivery, 0x01);
    assert.equal((fields?.short_message as Buffer).toString('hex'), '4869200001');
  });

  it('a concatenated UCS-2 SMS: UDH 05 00 03 ref total seq, esm_class 0x40, data_coding 8', () => {
    const parts = buildSubmitSm(outbound('Ж'.repeat(71), 'IMSP-A', false), 0x1ff);
    assert.equal(parts.length, 2);
    parts.forEach((fields, index) => {
      const message = fields.short_message as Buffer;
      assert.equal(message.subarray(0, 6).toString('hex'), `050003ff020${index + 1}`);
      assert.equal(fields.esm_class, 0x40);
      assert.equal(fields.data_coding, 0x08);
      assert.equal(fields.registered_delivery, 0x00);
      assert.equal(fields.source_addr_ton, 5);
    });
    assert.equal((parts[0]?.short_message as Buffer).length, 6 + 134);
  });

  it('matches the golden submit_sm bytes (fixtures/smpp/submit-sm.json)', () => {
    const golden = JSON.parse(readFileSync(fixturePath('smpp', 'submit-sm.json'), 'utf8')) as { cases: Array<{ text: string; from: string; pdus: string[] }> };
    for (const { text, from, pdus } of golden.cases) {
      const encoded = buildSubmitSm(outbound(text, from), 0x07).map((fields, index) => new smpp.PDU('submit_sm', { ...fields, sequence_number: index + 1 }).toBuffer().toString('hex'));
      assert.deepEqual(encoded, pdus, text);
    }
  });
});
