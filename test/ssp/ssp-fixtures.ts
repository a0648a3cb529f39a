// Test helper: loads the SSP golden fixtures (fixtures/ssp) — HTTP captures, golden XML, expected typed values.
import { readFileSync, readdirSync } from 'node:fs';
import { fixturePath } from '../support/paths';
import type { SspMessage } from '../../src/ssp';

/** Buffers are written in expected JSON as `{ "$base64": "…" }`. */
const BASE64_KEY = '$base64';

/** Parse an expected-value JSON file, turning `{ "$base64": … }` back into Buffers. */
export function parseExpected(json: string): SspMessage {
  return JSON.parse(json, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && BASE64_KEY in value) {
      return Buffer.from(String((value as Record<string, unknown>)[BASE64_KEY]), 'base64');
    }
    return value;
  }) as SspMessage;
}

/** Split a verbatim HTTP request into lower-cased headers and the body framed by Content-Length (RFC 9112 §6.2). */
export function splitHttpRequest(raw: Buffer): { headers: Map<string, string>; body: Buffer } {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const [end, separator] = crlf !== -1 && (lf === -1 || crlf < lf) ? [crlf, 4] : [lf, 2];
  if (end === -1) throw new Error('capture has no header/body separator');
  const headers = new Map<string, string>();
  for (const line of raw.subarray(0, end).toString('latin1').split(/\r?\n/).slice(1)) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const length = Number(headers.get('content-length') ?? raw.length - end - separator);
  return { headers, body: raw.subarray(end + separator, end + separator + length) };
}

export interface GoldenCase {
  name: string;
  /** The wire text as a peer would send it. */
  body: Buffer;
  expected: SspMessage;
  /** Our encoder's exact output for `expected`, where the golden pins it. */
  encoded?: string;
}

/** The Baraza captures: fixtures/ssp/baraza/NN-….http with NN-….expected.json. */
export function barazaCases(): GoldenCase[] {
  const folder = fixturePath('ssp', 'baraza');
  return readdirSync(folder).filter((file) => file.endsWith('.http')).sort().map((file) => {
    const name = file.slice(0, -'.http'.length);
    return {
      name,
      body: splitHttpRequest(readFileSync(`${folder}/${file}`)).body,
      expected: parseExpected(readFileSync(`${folder}/${name}.expected.json`, 'utf8')),
    };
  });
}

/** The profile goldens: fixtures/ssp/golden/NAME.xml, NAME.expected.json and optionally NAME.encoded.xml. */
export function goldenCases(): GoldenCase[] {
  const folder = fixturePath('ssp', 'golden');
  const files = new Set(readdirSync(folder));
  return [...files].filter((file) => file.endsWith('.xml') && !file.endsWith('.encoded.xml')).sort().map((file) => {
    const name = file.slice(0, -'.xml'.length);
    const golden: GoldenCase = {
      name,
      body: readFileSync(`${folder}/${file}`),
      expected: parseExpected(readFileSync(`${folder}/${name}.expected.json`, 'utf8')),
    };
    if (files.has(`${name}.encoded.xml`)) golden.encoded = readFileSync(`${folder}/${name}.encoded.xml`, 'utf8');
    return golden;
  });
}
