// Master-file parser (RFC 1035 §5, RFC 2308 §4): each syntax feature, and errors located as file:line.
import { strict as assert } from 'node:assert';
import { parseZoneFile, readZoneFileSync, type DnsRecord, type RecordData } from '../../src/dns';
import { GatewayError } from '../../src/errors';
import { fixturePath } from '../support/paths';

const SOA = '@ 3600 IN SOA ns1 hostmaster 1 3600 600 86400 300\n';
const record = (name: string, ttlSeconds: number, data: RecordData): DnsRecord => ({ name, ttlSeconds, data });
const parse = (text: string): DnsRecord[] => parseZoneFile(text, 'test.zone').records.map(({ name, ttlSeconds, data }) => ({ name, ttlSeconds, data }));
const naptr = (order: number, preference: number, flags: string, services: string, regexp: string, replacement: string): RecordData => ({
  type: 'NAPTR',
  naptr: { order, preference, flags, services, regexp, replacement },
});

const cases: Array<{ title: string; text: string; expected: DnsRecord[] }> = [
  {
    title: '$ORIGIN, @, relative and absolute names',
    text: '$ORIGIN Example.TEST.\n@ 60 IN A 127.0.0.1\nwww 60 IN A 127.0.0.2\nmail.other.test. 60 IN A 127.0.0.3\n',
    expected: [
      record('example.test', 60, { type: 'A', address: '127.0.0.1' }),
      record('www.example.test', 60, { type: 'A', address: '127.0.0.2' }),
      record('mail.other.test', 60, { type: 'A', address: '127.0.0.3' }),
    ],
  },
  {
    title: '$TTL default, explicit TTL, BIND units, class before or after TTL, lowercase type and class',
    text: '$ORIGIN t.\n$TTL 1h\na IN A 127.0.0.1\nb 1h30m IN A 127.0.0.1\nc in 20 a 127.0.0.1\nd 2D in A 127.0.0.1\n',
    expected: [
      record('a.t', 3600, { type: 'A', address: '127.0.0.1' }),
      record('b.t', 5400, { type: 'A', address: '127.0.0.1' }),
      record('c.t', 20, { type: 'A', address: '127.0.0.1' }),
      record('d.t', 172_800, { type: 'A', address: '127.0.0.1' }),
    ],
  },
  {
    title: 'an omitted owner repeats the previous one; without $TTL the last explicit TTL applies',
    text: '$ORIGIN t.\nhost 120 IN A 127.0.0.1\n  IN A 127.0.0.2\n\tAAAA ::1\n',
    expected: [
      record('host.t', 120, { type: 'A', address: '127.0.0.1' }),
      record('host.t', 120, { type: 'A', address: '127.0.0.2' }),
      record('host.t', 120, { type: 'AAAA', address: '::1' }),
    ],
  },
  {
    title: 'parentheses across lines with comments (SOA), blank and comment lines',
    text: '; a zone\n\n$ORIGIN t.\n$TTL 300\n@ IN SOA ns1.t. hostmaster.t. ( ; opening\n  2026112301 ; serial\n  1h 10m      ; refresh, retry\n  1w\n  60 )\n',
    expected: [record('t', 300, { type: 'SOA', soa: { mname: 'ns1.t', rname: 'hostmaster.t', serial: 2026112301, refresh: 3600, retry: 600, expire: 604_800, minimum: 60 } })],
  },
  {
    title: 'NAPTR with escapes: \\\\ back-reference, \\" quote, ; inside quotes, \\DDD octets as UTF-8, unquoted flags',
    text:
      '$ORIGIN 7.4.e164.arpa.\n$TTL 60\n' +
      '1.0 NAPTR 10 100 "u" "E2U+sip" "!^(.*)$!sip:\\\\1@a.test;x=1!" .\n' +
      '  NAPTR 10 101 u E2U+im "!^.*$!im:\\"q\\"@a.test!" .\n' +
      '  NAPTR 10 102 "u" "E2U+im" "!^.*$!im:bj\\195\\184rn@a.test!" .\n' +
      '  NAPTR 20 100 "" "E2U+im" "" next.e164enum.net.\n',
    expected: [
      record('1.0.7.4.e164.arpa', 60, naptr(10, 100, 'u', 'E2U+sip', '!^(.*)$!sip:\\1@a.test;x=1!', '')),
      record('1.0.7.4.e164.arpa', 60, naptr(10, 101, 'u', 'E2U+im', '!^.*$!im:"q"@a.test!', '')),
      record('1.0.7.4.e164.arpa', 60, naptr(10, 102, 'u', 'E2U+im', '!^.*$!im:bjørn@a.test!', '')),
      record('1.0.7.4.e164.arpa', 60, naptr(20, 100, '', 'E2U+im', '', 'next.e164enum.net')),
    ],
  },
  {
    title: 'SRV with a relative target and the root target, CNAME and NS relative to $ORIGIN',
    text: '$ORIGIN imsp-a.test.\n$TTL 300\n_imps-server._tcp SRV 10 60 7001 gw1\n  SRV 0 0 0 .\nwww CNAME gw1\n@ NS ns1\n',
    expected: [
      record('_imps-server._tcp.imsp-a.test', 300, { type: 'SRV', srv: { priority: 10, weight: 60, port: 7001, target: 'gw1.imsp-a.test' } }),
      record('_imps-server._tcp.imsp-a.test', 300, { type: 'SRV', srv: { priority: 0, weight: 0, port: 0, target: '' } }),
      record('www.imsp-a.test', 300, { type: 'CNAME', host: 'gw1.imsp-a.test' }),
      record('imsp-a.test', 300, { type: 'NS', host: 'ns1.imsp-a.test' }),
    ],
  },
  {
    title: 'a relative $ORIGIN is relative to the current one; AAAA in canonical form; CRLF line ends',
    text: '$ORIGIN test.\r\n$ORIGIN Sub\r\n$TTL 5\r\nh AAAA 2001:DB8:0:0::1\r\n',
    expected: [record('h.sub.test', 5, { type: 'AAAA', address: '2001:db8::1' })],
  },
];

const errors: Array<{ title: string; text: string; line: number; reason: RegExp }> = [
  { title: 'unsupported type', text: '$ORIGIN t.\n$TTL 1\na TXT "x"\n', line: 3, reason: /record type "TXT" is not supported/ },
  { title: "')' without '('", text: '$ORIGIN t.\n$TTL 1\na A 127.0.0.1 )\n', line: 3, reason: /without a matching/ },
  { title: "'(' never closed", text: '$ORIGIN t.\n$TTL 1\n@ SOA a b (\n 1 2 3 4 5\n', line: 3, reason: /never closed/ },
  { title: 'unterminated quoted string', text: '$ORIGIN t.\n$TTL 1\n\na NAPTR 1 1 "u "E2U+im" "" .\n', line: 4, reason: /quoted string is not closed/ },
  { title: 'relative name without $ORIGIN', text: '$TTL 1\nhost A 127.0.0.1\n', line: 2, reason: /relative name with no \$ORIGIN/ },
  { title: 'no TTL at all', text: '$ORIGIN t.\na A 127.0.0.1\n', line: 2, reason: /no TTL/ },
  { title: 'omitted owner on the first record', text: '$ORIGIN t.\n$TTL 1\n  A 127.0.0.1\n', line: 3, reason: /no owner name/ },
  { title: 'bad IPv4 address', text: '$ORIGIN t.\n$TTL 1\na A 127.0.0.256\n', line: 3, reason: /not an IPv4 address/ },
  { title: 'template placeholder left in an SRV port', text: '$ORIGIN t.\n$TTL 1\n_x._tcp SRV 10 0 {{PORT_A1}} gw\n', line: 3, reason: /port "\{\{PORT_A1\}\}" is not a number/ },
  { title: 'too few NAPTR fields', text: '$ORIGIN t.\n$TTL 1\na NAPTR 10 100 "u" "E2U+im" "!x!y!"\n', line: 3, reason: /NAPTR needs 6 field/ },
  { title: 'too many fields', text: '$ORIGIN t.\n$TTL 1\na CNAME b c\n', line: 3, reason: /CNAME needs 1 field/ },
  { title: 'a field error inside parentheses names its own line', text: '$ORIGIN t.\n$TTL 1\n@ SOA a b (\n 1 2 3\n 4x 5 )\n', line: 5, reason: /"4x" is not a TTL/ },
  { title: 'class other than IN', text: '$ORIGIN t.\n$TTL 1\na CH A 127.0.0.1\n', line: 3, reason: /class CH is not supported/ },
  { title: '$INCLUDE', text: '$INCLUDE other.zone\n', line: 1, reason: /\$INCLUDE is not supported/ },
  { title: 'escape above 255', text: '$ORIGIN t.\n$TTL 1\na NAPTR 1 1 "\\999" "" "" .\n', line: 3, reason: /bad escape/ },
  { title: 'character-string over 255 octets', text: `$ORIGIN t.\n$TTL 1\na NAPTR 1 1 "u" "E2U+im" "${'x'.repeat(256)}" .\n`, line: 3, reason: /256 octets exceeds 255/ },
  { title: 'label over 63 characters', text: `$ORIGIN t.\n$TTL 1\n${'a'.repeat(64)} A 127.0.0.1\n`, line: 3, reason: /label over 63/ },
  { title: 'wildcard owner', text: '$ORIGIN t.\n$TTL 1\n* A 127.0.0.1\n', line: 3, reason: /wildcard/ },
  { title: 'TTL above 2^31-1', text: '$ORIGIN t.\n$TTL 2147483648\n', line: 2, reason: /RFC 2181/ },
  { title: 'SRV priority above 65535', text: '$ORIGIN t.\n$TTL 1\n_x._tcp SRV 65536 0 1 gw\n', line: 3, reason: /priority "65536"/ },
];

describe('parseZoneFile', () => {
  for (const { title, text, expected } of cases) {
    it(title, () => assert.deepEqual(parse(text), expected));
  }

  it('keeps the line each record starts on', () => {
    const lines = parseZoneFile(`$ORIGIN t.\n${SOA}\n; x\nwww 1 A 127.0.0.1\n`, 'test.zone').records.map((r) => r.line);
    assert.deepEqual(lines, [2, 5]);
  });

  for (const { title, text, line, reason } of errors) {
    it(`reports ${title} as CONFIG_INVALID at test.zone:${line}`, () => {
      assert.throws(
        () => parseZoneFile(text, 'test.zone'),
        (error: unknown) => error instanceof GatewayError && error.code === 'CONFIG_INVALID' && error.message.startsWith(`test.zone:${line}: `) && reason.test(error.message),
      );
    });
  }

  it('reads the fixture zones as a real authoritative server does', () => {
    const e164 = readZoneFileSync(fixturePath('zones', 'e164.arpa.zone')).records;
    const at = (name: string): DnsRecord[] => e164.filter((r) => r.name === `${name}.7.4.e164.arpa`);
    assert.equal(at('8.0.0.0.0.0.0.9').length, 8);
    assert.equal(at('0.2.0.0.0.0.0.9').length, 20);
    assert.deepEqual(at('1.0.0.0.0.0.0.9')[2]?.data, naptr(10, 102, 'u', 'E2U+sip', '!^(.*)$!sip:\\1@imsp-a.test!', ''));
  });

  it('reports a missing file as CONFIG_INVALID naming the file', () => {
    assert.throws(() => readZoneFileSync('/nonexistent/x.zone'), (error: unknown) => error instanceof GatewayError && error.code === 'CONFIG_INVALID' && /\/nonexistent\/x\.zone/.test(error.message));
  });
});
