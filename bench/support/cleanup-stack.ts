// Teardown of everything a benchmark started (processes, knotd, temp dirs), also when it fails or is interrupted.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Stops what was started, newest first. A benchmark that throws half-way, or is stopped with SIGINT/SIGTERM
 * (e.g. by bench/run.ts's timeout), must not leave a gateway or knotd running on a shared machine.
 */
export class CleanupStack {
  private readonly steps: Array<() => Promise<unknown> | unknown> = [];
  private running: Promise<void> | undefined;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    void this.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };

  constructor() {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  /** Register a teardown step; returns `value` so starts read as `const x = stack.add(await start(), stop)`. */
  add<T>(value: T, stop: (value: T) => Promise<unknown> | unknown): T {
    this.steps.push(() => stop(value));
    return value;
  }

  /** A new temp dir, removed at the end unless `keep` (e.g. to look at a CPU profile afterwards). */
  async tempDir(prefix: string, keep = false): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), prefix));
    return keep ? dir : this.add(dir, (d) => rm(d, { recursive: true, force: true }));
  }

  /** Run every step (newest first), once even if asked twice; a failing step does not stop the others. */
  run(): Promise<void> {
    this.running ??= this.runSteps();
    return this.running;
  }

  private async runSteps(): Promise<void> {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    while (this.steps.length > 0) {
      const step = this.steps.pop() as () => Promise<unknown> | unknown;
      try {
        await step();
      } catch (error) {
        process.stderr.write(`cleanup step failed: ${(error as Error).message}\n`);
      }
    }
  }
}
