// Benchmark: WV-SSP 1.3 codec decode+encode of a typical SendMessageRequest on one core (~11 s), vs fast-xml-parser's generic round trip.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { decodeSspMessage, encodeSspMessage } from '../src/ssp';
import type { BenchResult } from './bench-result';

const TARGET_PER_SECOND = 30_000;
const CAPTURE = resolve(__dirname, '..', '..', 'fixtures', 'ssp', 'baraza', '05-baraza-SendMessageRequest-Request.http');
const SLICE_MS = 100;
const BATCH = 100;

export interface SspCodecBenchOptions {
  /** Time spent on each figure, in slices of 100 ms taken in turn with the other figures'. */
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

/** Calls per second of `operation` over one slice of at most `sliceMs` and `maxCalls` calls. */
function sliceRate(operation: () => unknown, sliceMs: number, maxCalls: number): number {
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(sliceMs) * 1_000_000n;
  let done = 0;
  let now = started;
  while (now < deadline && done < maxCalls) {
    for (let i = 0; i < BATCH; i++) operation();
    done += BATCH;
    now = process.hrtime.bigint();
  }
  return done / (Number(now - started) / 1e9);
}

/**
 * Calls per second of each operation, after a warm-up: slices taken in turn, the median slice per operation.
 * On a shared machine, load from other processes then weighs on every figure alike and ratios stay meaningful.
 */
function rates<K extends string>(operations: Record<K, () => unknown>, durationMs: number, maxIterations: number): Record<K, number> {
  const entries = Object.entries(operations) as Array<[K, () => unknown]>;
  for (const [, operation] of entries) for (let i = 0; i < 2_000; i++) operation();
  const slices = Math.max(1, Math.ceil(durationMs / SLICE_MS));
  const samples = new Map<K, number[]>(entries.map(([name]) => [name, []]));
  for (let slice = 0; slice < slices; slice++) {
    for (const [name, operation] of entries) {
      samples.get(name)?.push(sliceRate(operation, Math.min(SLICE_MS, durationMs), Math.ceil(maxIterations / slices)));
    }
  }
  const result = {} as Record<K, number>;
  for (const [name, values] of samples) result[name] = Math.round(median(values));
  return result;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? 0;
}

/**
 * Headline: decodeSspMessage + encodeSspMessage of the Baraza SendMessageRequest capture (the decoder scans
 * and checks the XML in one pass of its own, ssp/scan-xml). Baseline in the same run: fast-xml-parser 5's own
 * generic round trip of the same body (XMLParser.parse with preserveOrder, then XMLBuilder.build) — no
 * typing, no hardening; its parse alone is reported too, the ceiling of any decoder built on it. Also: the
 * round trip of our own compact output, and each direction alone.
 */
export async function runSspCodecBench(options: SspCodecBenchOptions = {}): Promise<BenchResult> {
  const durationMs = options.durationMs ?? 1_500;
  const maxIterations = options.maxIterations ?? 200_000;
  const body = captureBody();
  const compact = Buffer.from(encodeSspMessage(decodeSspMessage(body)));
  const message = decodeSspMessage(body);
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, trimValues: true });
  const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', suppressEmptyNode: true });
  const tree: unknown = parser.parse(body);

  const measured = rates({
    roundTripsPerSecond: () => encodeSspMessage(decodeSspMessage(body)),
    baselineRoundTripsPerSecond: () => builder.build(parser.parse(body)),
    compactRoundTripsPerSecond: () => encodeSspMessage(decodeSspMessage(compact)),
    decodesPerSecond: () => decodeSspMessage(body),
    encodesPerSecond: () => encodeSspMessage(message),
    fxpParseOnlyPerSecond: () => parser.parse(body),
    xmlBuilderBuildsPerSecond: () => builder.build(tree),
  }, durationMs, maxIterations);
  return {
    name: 'ssp-codec',
    figures: {
      ...measured,
      ratioToBaseline: Number((measured.roundTripsPerSecond / measured.baselineRoundTripsPerSecond).toFixed(2)),
      bodyBytes: body.length,
    },
    baseline: 'fast-xml-parser 5 generic round trip of the same body: XMLParser.parse (preserveOrder) + XMLBuilder.build',
    target: `≥ ${TARGET_PER_SECOND.toLocaleString('en')} decode+encode of a typical SendMessageRequest per second on one core`,
    pass: measured.roundTripsPerSecond >= TARGET_PER_SECOND,
  };
}

if (require.main === module) {
  void runSspCodecBench().then((result) => console.log(JSON.stringify(result)));
}
