// Benchmark: submit_sm throughput through SmppTransport (window 10) to the loopback SMSC simulator, vs window 1 (~7 s).
import { composeSms, smppTransportSchema, SmppTransport, type SmsTextPolicy } from '../src/sms';
import { SmscSimulator } from '../test/support/smsc-simulator';
import type { BenchResult } from './bench-result';

const TARGET_PER_SECOND = 1_000;
const POLICY: SmsTextPolicy = { oversize: 'reject', maxParts: 1, prefix: 'IM from {sender}: ', suffix: '' };

export interface SmsSubmitBenchOptions {
  /** Messages per run (each run: one window size). */
  messages?: number;
  windowSize?: number;
  /** Upper bound on each run; a run that hits it reports what it completed. */
  runTimeoutMs?: number;
  /** Distinct destinations, round robin (the window orders per destination, so one destination = window 1). */
  destinations?: number;
  /** Messages per run of the second comparison, where the simulator answers after `smscDelayMs`. */
  delayedMessages?: number;
  smscDelayMs?: number;
}

interface RunFigures {
  perSecond: number;
  completed: number;
  seconds: number;
}

/** Submit `messages` one-part GSM SMS (composed per message, as the gateway does) and time them. */
async function run(port: number, windowSize: number, messages: number, destinations: number, runTimeoutMs: number): Promise<RunFigures> {
  const config = smppTransportSchema.parse({ port, systemId: 'gw', password: 'secret', windowSize, maxPendingMessages: messages });
  const transport = new SmppTransport(config);
  await transport.start();
  const started = process.hrtime.bigint();
  const deadline = Date.now() + runTimeoutMs;
  let next = 0;
  let completed = 0;
  // Callers keep a few windows' worth in flight, as a store drainer with bounded concurrency would.
  const worker = async () => {
    while (next < messages && Date.now() < deadline) {
      const index = next++;
      const sms = composeSms({ text: `Hello from the IM side, message ${index}`, sender: 'alice' }, POLICY);
      const to = `+47900${String(index % destinations).padStart(5, '0')}`;
      await transport.submit({ reference: `bench-${index}`, from: '+4790000000', to, sms, requestReceipt: false });
      completed++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(4, windowSize * 4) }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await transport.stop();
  return { perSecond: Math.round(completed / seconds), completed, seconds: Number(seconds.toFixed(3)) };
}

/**
 * Headline: SMS per second through SmppTransport with a window of outstanding submit_sm (default 10) to the
 * node-smpp SMSC simulator on loopback, both in this one process (one core). Baseline in the same run: the
 * same count with window 1 (stop-and-wait, one submit_sm at a time). Second comparison: the same two runs
 * with the simulator answering each submit_sm after `smscDelayMs` (default 2 ms), as a remote SMSC would.
 */
export async function runSmsSubmitBench(options: SmsSubmitBenchOptions = {}): Promise<BenchResult> {
  const messages = options.messages ?? 10_000;
  const windowSize = options.windowSize ?? 10;
  const destinations = options.destinations ?? 1_000;
  const runTimeoutMs = options.runTimeoutMs ?? 60_000;
  const simulator = new SmscSimulator();
  const port = await simulator.start();
  try {
    const windowed = await run(port, windowSize, messages, destinations, runTimeoutMs);
    const baseline = await run(port, 1, messages, destinations, runTimeoutMs);
    // Loopback answers in microseconds; a real SMSC takes milliseconds, which is what the window hides.
    simulator.responseDelayMs = options.smscDelayMs ?? 2;
    const delayedMessages = options.delayedMessages ?? 2_000;
    const delayed = await run(port, windowSize, delayedMessages, destinations, runTimeoutMs);
    const delayedBaseline = await run(port, 1, delayedMessages, destinations, runTimeoutMs);
    const figures = {
      messages,
      windowSize,
      destinations,
      submitsPerSecond: windowed.perSecond,
      completed: windowed.completed,
      seconds: windowed.seconds,
      baselineSubmitsPerSecond: baseline.perSecond,
      baselineCompleted: baseline.completed,
      baselineSeconds: baseline.seconds,
      ratioToBaseline: Number((windowed.perSecond / baseline.perSecond).toFixed(2)),
      smscDelayMs: simulator.responseDelayMs,
      delayedMessages,
      delayedSubmitsPerSecond: delayed.perSecond,
      delayedBaselineSubmitsPerSecond: delayedBaseline.perSecond,
      delayedRatioToBaseline: Number((delayed.perSecond / delayedBaseline.perSecond).toFixed(2)),
      acceptedBySimulator: simulator.accepted.length,
    };
    return {
      name: 'sms-submit',
      figures,
      baseline: 'the same SmppTransport and simulator with window 1 (one outstanding submit_sm)',
      target: `≥ ${TARGET_PER_SECOND.toLocaleString('en')} submit_sm accepted per second on one core (transport and simulator share it)`,
      pass: windowed.completed === messages && windowed.perSecond >= TARGET_PER_SECOND,
    };
  } finally {
    await simulator.stop();
  }
}

if (require.main === module) {
  void runSmsSubmitBench().then((result) => console.log(JSON.stringify(result)));
}
