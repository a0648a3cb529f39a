// Generated ENUM zones (RFC 6116 §2, RFC 3403 NAPTR) for the routing/delivery benchmarks: one record per number.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { domainZone } from '../../test/support/domain-harness';

/** A range of E.164 numbers written as digits without `+` (e.g. 4791000000 … 4791009999). */
export interface NumberRange {
  first: number;
  count: number;
}

/**
 * Write `<dir>/<origin>zone` for the numbers of `range`, all under one origin built from `prefixDigits` (e.g.
 * `4791` → `1.9.7.4.e164.arpa.`), each with one terminal `E2U+im` NAPTR pointing at `domain` (number
 * portability: the serving domain is whatever ENUM says, seed 004). Returns the file path.
 */
export function writeEnumZone(dir: string, prefixDigits: string, range: NumberRange, domain: string, ttlSeconds: number): string {
  const origin = `${[...prefixDigits].reverse().join('.')}.e164.arpa.`;
  const lines = [
    `$ORIGIN ${origin}`,
    `$TTL ${ttlSeconds}`,
    '@ IN SOA ns1.imsp-a.test. hostmaster.imsp-a.test. 2026112301 3600 600 86400 60',
    '@ IN NS ns1.imsp-a.test.',
  ];
  for (let index = 0; index < range.count; index += 1) {
    const digits = String(range.first + index);
    if (!digits.startsWith(prefixDigits)) throw new Error(`number ${digits} is outside prefix ${prefixDigits}`);
    const owner = [...digits.slice(prefixDigits.length)].reverse().join('.');
    lines.push(`${owner} IN NAPTR 10 100 "u" "E2U+im" "!^.*$!im:+${digits}@${domain}!" .`);
  }
  const file = path.join(dir, `${origin}zone`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Write `<dir>/<domain>.zone` with `_imps-server._tcp` SRV to 127.0.0.1:`port` (how peers find an SSP server). */
export function writeSspDomainZone(dir: string, domain: string, port: number): string {
  const file = path.join(dir, `${domain}.zone`);
  writeFileSync(file, domainZone(domain, port));
  return file;
}
