// Load shapes for the SSP benchmarks: closed loop (N outstanding, max throughput) and open loop (fixed rate, latency).
import { setTimeout as delay } from 'node:timers/promises';

/** Send the `index`-th transaction; call `done` with its SSP status code (0 = no answer could come). */
export type SendOne = (index: number, done: (statusCode: number) => void) => void;

/** Shape of a closed-loop run. */
export interface ClosedLoopOptions {
  concurrency: number;
  /** Run before counting (JIT, connection pools, caches). */
  warmupMs: number;
  durationMs: number;
  /** A fixed batch: send this many; the window then ends when the last is answered (or the time is up). */
  maxSends?: number;
  /** How long to wait for the last answers after the end. */
  drainTimeoutMs?: number;
}

/** What a closed-loop run measured. */
export interface ClosedLoopResult {
  /** Answers with status 200 per second inside the measured window. */
  perSecond: number;
  measured: number;
  seconds: number;
  sent: number;
  /** Answers by SSP status code over the whole run (warm-up included). */
  statusCounts: Record<string, number>;
  /** Sent but unanswered when the drain timeout ran out. */
  unanswered: number;
  /** Send-to-answer latency of the transactions answered inside the measured window, in ms. */
  p50Ms: number;
  p99Ms: number;
}

/** Shape of an open-loop run. */
export interface OpenLoopOptions {
  ratePerSecond: number;
  durationMs: number;
  /** Give up offering load beyond this many outstanding (the target cannot keep up). */
  maxOutstanding: number;
  drainTimeoutMs?: number;
}

/** What an open-loop run measured. */
export interface OpenLoopResult {
  offeredPerSecond: number;
  sent: number;
  answered: number;
  ok: number;
  unanswered: number;
  /** Latency from the scheduled send time (no coordinated omission) to the answer, in ms. */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** True when the outstanding bound was hit and sending stopped early. */
  overloaded: boolean;
  statusCounts: Record<string, number>;
}

const nowMs = (): number => performance.now();

function countStatus(counts: Record<string, number>, code: number): void {
  const key = String(code);
  counts[key] = (counts[key] ?? 0) + 1;
}

/** A promise and the function that resolves it (an event to wait on). */
function latch(): { done: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (open = resolve));
  return { done, open };
}

/** `promise`, or nothing after `timeoutMs`; the timer does not outlive the wait. */
async function within(promise: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
}

/**
 * Keep `concurrency` transactions outstanding; every answer starts the next one. With `maxSends` the
 * measured window ends when the last of them is answered (a fixed batch: 10,000 cold numbers, a fill).
 */
export async function runClosedLoop(send: SendOne, options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const statusCounts: Record<string, number> = {};
  const maxSends = options.maxSends ?? Number.POSITIVE_INFINITY;
  let sent = 0;
  let outstanding = 0;
  let measuring = false;
  let measured = 0;
  const latencies: number[] = [];
  let stopping = false;
  const batch = latch();
  const fire = (): void => {
    if (stopping || sent >= maxSends) {
      if (outstanding === 0) batch.open();
      return;
    }
    const index = sent;
    sent += 1;
    outstanding += 1;
    const sentAt = nowMs();
    send(index, (code) => {
      outstanding -= 1;
      countStatus(statusCounts, code);
      if (measuring) {
        latencies.push(nowMs() - sentAt);
        if (code === 200) measured += 1;
      }
      fire();
    });
  };
  for (let slot = 0; slot < options.concurrency; slot += 1) fire();
  await within(batch.done, options.warmupMs);
  measuring = true;
  const started = nowMs();
  await within(batch.done, options.durationMs);
  const seconds = (nowMs() - started) / 1000;
  const counted = measured;
  measuring = false;
  stopping = true;
  if (outstanding === 0) batch.open();
  await within(batch.done, options.drainTimeoutMs ?? 15_000);
  const { p50Ms, p99Ms } = percentiles(Float64Array.from(latencies));
  return { perSecond: counted / seconds, measured: counted, seconds, sent, statusCounts, unanswered: outstanding, p50Ms, p99Ms };
}

/** Offer `ratePerSecond` regardless of answers (an open system, like many independent users) and time each. */
export async function runOpenLoop(send: SendOne, options: OpenLoopOptions): Promise<OpenLoopResult> {
  const total = Math.max(1, Math.round((options.ratePerSecond * options.durationMs) / 1000));
  const latencies = new Float64Array(total);
  const statusCounts: Record<string, number> = {};
  let sent = 0;
  let answered = 0;
  let ok = 0;
  let overloaded = false;
  let sending = true;
  const allAnswered = latch();
  const started = nowMs();
  const intervalMs = 1000 / options.ratePerSecond;
  const sendDue = (): boolean => {
    const due = Math.min(total, Math.floor((nowMs() - started) / intervalMs) + 1);
    while (sent < due) {
      if (sent - answered >= options.maxOutstanding) return (overloaded = true);
      const index = sent;
      const scheduledAt = started + index * intervalMs;
      sent += 1;
      send(index, (code) => {
        latencies[answered] = nowMs() - scheduledAt;
        answered += 1;
        countStatus(statusCounts, code);
        if (code === 200) ok += 1;
        if (!sending && answered === sent) allAnswered.open();
      });
    }
    return sent >= total;
  };
  // A 1 ms tick sends whatever is due since the last one: at most a millisecond of burstiness.
  while (!sendDue()) await delay(1);
  sending = false;
  if (answered === sent) allAnswered.open();
  await within(allAnswered.done, options.drainTimeoutMs ?? 15_000);
  return { offeredPerSecond: options.ratePerSecond, sent, answered, ok, unanswered: sent - answered, ...percentiles(latencies.slice(0, answered)), overloaded, statusCounts };
}

/** Nearest-rank percentiles of latencies in ms (sorts `values` in place). */
function percentiles(values: Float64Array): { p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number } {
  const sorted = values.sort();
  const at = (q: number): number => round2(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN);
  return { p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: round2(sorted[sorted.length - 1] ?? Number.NaN) };
}

/** Answers other than 200 (0 = the request could not even be posted). */
export function errorCount(statusCounts: Record<string, number>): number {
  return Object.entries(statusCounts).reduce((sum, [code, count]) => sum + (code === '200' ? 0 : count), 0);
}

/** The middle value (the mean of the two middle ones for an even count): "median of 3" figures. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
