// Tests of NAPTR selection at one name (RFC 3403 §4.1 order/preference, RFC 3402 §4, RFC 6116 §3): table-driven.
import { strict as assert } from 'node:assert';
import type { NaptrData } from '../../src/dns';
import type { EnumService } from '../../src/enum';
import { selectNaptrRecords, type NaptrSelection } from '../../src/enum/naptr-selection';

const AUS = '+4790000001';

function naptr(order: number, preference: number, services: string, regexp: string, flags = 'u', replacement = ''): NaptrData {
  return { order, preference, flags, services, regexp, replacement };
}

interface Case {
  name: string;
  records: NaptrData[];
  service?: EnumService;
  expect: NaptrSelection;
  traceIncludes?: RegExp[];
}

const cases: Case[] = [
  {
    name: 'one terminal im record',
    records: [naptr(10, 100, 'E2U+im', '!^.*$!im:+4790000001@imsp-b.test!')],
    expect: { kind: 'terminal', order: 10, uris: ['im:+4790000001@imsp-b.test'] },
    traceIncludes: [/^record order 10 pref 100 E2U\+im: !\^\.\*\$!im:\+4790000001@imsp-b\.test! → im:\+4790000001@imsp-b\.test$/],
  },
  {
    name: 'URIs of the lowest order group by preference, never mixing orders',
    records: [
      naptr(20, 10, 'E2U+im', '!^.*$!im:c@other.test!'),
      naptr(10, 200, 'E2U+im', '!^.*$!im:b@imsp-b.test!'),
      naptr(10, 100, 'E2U+im', '!^.*$!im:a@imsp-b.test!'),
    ],
    expect: { kind: 'terminal', order: 10, uris: ['im:a@imsp-b.test', 'im:b@imsp-b.test'] },
    traceIncludes: [/records with order > 10 not considered/],
  },
  {
    name: 'an order group without a usable record gives way to the next group',
    records: [naptr(10, 100, 'E2U+sip', '!^.*$!sip:a@b.test!'), naptr(20, 100, 'E2U+im', '!^.*$!im:a@b.test!')],
    expect: { kind: 'terminal', order: 20, uris: ['im:a@b.test'] },
    traceIncludes: [/^skipped record order 10 pref 100 E2U\+sip: .*: does not serve im$/],
  },
  {
    name: 'E2U+sip+im serves im; E2U+sip:im does not',
    records: [naptr(10, 100, 'E2U+sip:im', '!^.*$!im:wrong@b.test!'), naptr(10, 200, 'E2U+sip+im', '!^.*$!im:right@b.test!')],
    expect: { kind: 'terminal', order: 10, uris: ['im:right@b.test'] },
  },
  {
    name: 'pstn:tel serves tel: URIs',
    service: 'pstn:tel',
    records: [naptr(10, 100, 'E2U+pstn:tel', '!^(.*)$!tel:\\1;npdi;rn=+4791000000!')],
    expect: { kind: 'terminal', order: 10, uris: ['tel:+4790000001;npdi;rn=+4791000000'] },
  },
  {
    name: 'one bad record never spoils the others',
    records: [
      naptr(10, 10, 'E2U+im', '!^.*$!im:x@b.test!', 'x'),
      naptr(10, 20, 'E2U+im', '!^(.*$!im:x@b.test!'),
      naptr(10, 30, 'E2U+im', '!^.*$!im:x@b.test!', 'u', 'also.set.test'),
      naptr(10, 40, 'E2U+im', '!^.*$!sip:x@b.test!'),
      naptr(10, 50, 'E2U+im', '!^(.*)$!im:\\2@b.test!'),
      naptr(10, 60, 'E2U+im', '!^.*$!im:good@b.test!'),
    ],
    expect: { kind: 'terminal', order: 10, uris: ['im:good@b.test'] },
    traceIncludes: [
      /^ignored record order 10 pref 10 flags "x" E2U\+im: .*: unknown flag 'x'$/,
      /^ignored record order 10 pref 20 .*unbalanced/,
      /^ignored record order 10 pref 30 .*both regexp and replacement/,
      /^ignored record order 10 pref 40 .*is not a URI for im/,
      /^ignored record order 10 pref 50 .*back-reference/,
    ],
  },
  {
    name: 'a regexp that does not match the AUS is skipped',
    records: [naptr(10, 100, 'E2U+im', '!^\\+46(.*)$!im:\\1@se.test!'), naptr(10, 200, 'E2U+im', '!^\\+47(.*)$!im:\\1@no.test!')],
    expect: { kind: 'terminal', order: 10, uris: ['im:90000001@no.test'] },
    traceIncludes: [/^skipped .*regexp does not match \+4790000001$/],
  },
  {
    name: 'non-terminal records are followed when their group has no terminal one',
    records: [naptr(10, 200, '', '', '', 'second.test'), naptr(10, 100, 'E2U', '', '', 'First.Test.')],
    expect: { kind: 'nonterminal', order: 10, next: ['first.test', 'second.test'] },
    traceIncludes: [/non-terminal, continue at first\.test$/],
  },
  {
    name: 'a non-terminal record may build its next name with a regexp',
    records: [naptr(10, 100, '', '!^\\+47(.*)$!\\1.numbers.test!', '')],
    expect: { kind: 'nonterminal', order: 10, next: ['90000001.numbers.test'] },
  },
  {
    name: 'terminal records win over non-terminal ones of the same order',
    records: [naptr(10, 50, '', '', '', 'elsewhere.test'), naptr(10, 100, 'E2U+im', '!^.*$!im:a@b.test!')],
    expect: { kind: 'terminal', order: 10, uris: ['im:a@b.test'] },
  },
  {
    name: 'a non-terminal record for another service is skipped',
    records: [naptr(10, 100, 'E2U+sip', '', '', 'elsewhere.test')],
    expect: { kind: 'none' },
  },
  {
    name: 'a non-terminal next name that is no domain name is ignored',
    records: [naptr(10, 100, '', '!^.*$!not a name!', '')],
    expect: { kind: 'none' },
    traceIncludes: [/is not a domain name/],
  },
  { name: 'no records', records: [], expect: { kind: 'none' } },
];

describe('naptr-selection', () => {
  for (const testCase of cases) {
    it(testCase.name, () => {
      const trace: string[] = [];
      assert.deepEqual(selectNaptrRecords(testCase.records, AUS, testCase.service ?? 'im', trace), testCase.expect);
      for (const pattern of testCase.traceIncludes ?? []) {
        assert.ok(trace.some((line) => pattern.test(line)), `trace has no line like ${pattern}:\n${trace.join('\n')}`);
      }
    });
  }

  it('applies the regexp to the original AUS, whatever name the records sit at', () => {
    const trace: string[] = [];
    const selection = selectNaptrRecords([naptr(10, 100, 'E2U+im', '!^(.*)$!im:\\1@b.test!')], '+4612345', 'im', trace);
    assert.deepEqual(selection, { kind: 'terminal', order: 10, uris: ['im:+4612345@b.test'] });
  });
});
