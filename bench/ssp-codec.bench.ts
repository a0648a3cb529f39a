// Benchmark: WV-SSP 1.3 codec decode+encode of a typical SendMessageRequest on one core (~8 s), vs fast-xml-parser alone.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { decodeSspMessage, encodeSspMessage } from '../src/ssp';
import type { BenchResult } from './bench-result';

const TARGET_PER_SECOND = 30_000;
const CAPTURE = resolve(__dirname, '..', '..', 'fixtures', 'ssp', 'baraza', '05-baraza-SendMessageRequest-Request.http');

export interface SspCodecBenchOptions {
  /** Time spent on the headline figure; the other figures get a third of it each. */
  durationMs?: number;
  /** Upper bound on iterations of any one figure. */
  maxIterations?: number;
}

/** The request body of the Baraza capture, framed by its Content-Length (a real peer's formatting, whitespace and all). */
function captureBody(): Buffer {
  const raw = readFileSync(CAPTURE);
  const end = raw.indexOf('\n\n');
  const length = Number(/content-length:\s*(\d+)/i.exec(raw.subarray(0, end).toString('latin1'))?.[1]);
  return raw.subarray(end + 2, end + 2 + length);
}

/** Calls per second of `operation`, after a warm-up, bounded by time and by count. */
function rate(operation: () => unknown, durationMs: number, maxIterations: number): number {
  for (let i = 0; i < 2_000; i++) operation();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(durationMs) * 1_000_000n;
  let done = 0;
  let now = started;
  while (now < deadline && done < maxIterations) {
    for (let i = 0; i < 500; i++) operation();
    done += 500;
    now = process.hrtime.bigint();
  }
  return done / (Number(now - started) / 1e9);
}

/**
 * Headline: decodeSspMessage + encodeSspMessage of the Baraza SendMessageRequest capture. Baseline in the same
 * run: fast-xml-parser's own generic round trip of the same body (XMLParser.parse with preserveOrder, then
 * XMLBuilder.build) — no typing, no hardening. Also reported: fast-xml-parser's parse alone (its default entity
 * handling; the codec's own entity decoder is a little cheaper) — about the ceiling of any decoder built on it —
 * and our template encoder against XMLBuilder.build of the same tree.
 */
export async function runSspCodecBench(options: SspCodecBenchOptions = {}): Promise<BenchResult> {
  const durationMs = options.durationMs ?? 3_000;
  const maxIterations = options.maxIterations ?? 200_000;
  const side = Math.ceil(durationMs / 3);
  const body = captureBody();
  const compact = Buffer.from(encodeSspMessage(decodeSspMessage(body)));
  const message = decodeSspMessage(body);
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, trimValues: true });
  const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', suppressEmptyNode: true });
  const tree: unknown = parser.parse(body);

  const roundTrip = rate(() => encodeSspMessage(decodeSspMessage(body)), durationMs, maxIterations);
  const baseline = rate(() => builder.build(parser.parse(body)), side, maxIterations);
  const figures = {
    roundTripsPerSecond: Math.round(roundTrip),
    compactRoundTripsPerSecond: Math.round(rate(() => encodeSspMessage(decodeSspMessage(compact)), side, maxIterations)),
    decodesPerSecond: Math.round(rate(() => decodeSspMessage(body), side, maxIterations)),
    encodesPerSecond: Math.round(rate(() => encodeSspMessage(message), side, maxIterations)),
    fxpParseOnlyPerSecond: Math.round(rate(() => parser.parse(body), side, maxIterations)),
    xmlBuilderBuildsPerSecond: Math.round(rate(() => builder.build(tree), side, maxIterations)),
    baselineRoundTripsPerSecond: Math.round(baseline),
    ratioToBaseline: Number((roundTrip / baseline).toFixed(2)),
    bodyBytes: body.length,
  };
  return {
    name: 'ssp-codec',
    figures,
    baseline: 'fast-xml-parser 5 generic round trip of the same body: XMLParser.parse (preserveOrder) + XMLBuilder.build',
    target: `≥ ${TARGET_PER_SECOND.toLocaleString('en')} decode+encode of a typical SendMessageRequest per second on one core`,
    pass: roundTrip >= TARGET_PER_SECOND,
  };
}

if (require.main === module) {
  void runSspCodecBench().then((result) => console.log(JSON.stringify(result)));
}
