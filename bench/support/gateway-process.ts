// A gateway under test in its own process (`ssp-gateway serve`), optionally pinned to one CPU and CPU-profiled.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../test/support/paths';
import { pinnedCommand } from './child-rpc';
import { readProcessStats, type ProcessStats } from './process-stats';

/** How to start a gateway process. */
export interface GatewayProcessOptions {
  /** The gateway config (ssp.listen / admin.listen may use port 0: the real URLs are read back). */
  config: Record<string, unknown>;
  /** Where the config, the log and any CPU profile go. */
  dir: string;
  /** Name of this start (config/log/profile file names), e.g. `gateway-1`. */
  name: string;
  /** Pin the process to this CPU (taskset), so that it has one core at most. */
  cpu?: number;
  /** Run with `node --cpu-prof`; the profile is written when the process exits after SIGTERM. */
  cpuProfile?: boolean;
  readyTimeoutMs?: number;
}

/** A running gateway process. */
export interface GatewayProcess {
  pid: number;
  sspUrl: string;
  adminUrl: string;
  stats(): ProcessStats;
  /** Admin GET /metrics (Prometheus text). */
  metrics(): Promise<string>;
  /** SIGTERM (graceful) or SIGKILL (crash), and wait for the exit; resolves with the CPU profile if any. */
  stop(signal?: NodeJS.Signals): Promise<string | undefined>;
}

const READY_LINE = /SSP (\S+) admin (\S+)/;
const MAIN_SCRIPT = path.join(repoRoot, 'dist/src/cli/main.js');

/** The Node options `ssp-gateway` starts with: its entry point's `#!/usr/bin/env -S node …` line. */
export function launcherNodeOptions(): string[] {
  const firstLine = readFileSync(MAIN_SCRIPT, 'utf8').split('\n', 1)[0] ?? '';
  const options = /^#!\/usr\/bin\/env -S node((?: \S+)*)$/.exec(firstLine);
  if (!options) throw new Error(`${MAIN_SCRIPT} does not start with '#!/usr/bin/env -S node …'`);
  return options[1]?.split(' ').filter(Boolean) ?? [];
}

/** Start `ssp-gateway serve` with its launcher's Node options and resolve once it prints its bound SSP and admin URLs (after start-up). */
export async function startGatewayProcess(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const configFile = path.join(options.dir, `${options.name}.json`);
  writeFileSync(configFile, JSON.stringify(options.config, null, 2));
  const profileDir = path.join(options.dir, `${options.name}-profile`);
  const nodeArgs = [...launcherNodeOptions(), ...(options.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  const { command, args } = pinnedCommand(options.cpu, process.execPath, [...nodeArgs, MAIN_SCRIPT, 'serve', '--config', configFile]);
  const log = openSync(path.join(options.dir, `${options.name}.log`), 'w');
  const child = spawn(command, args, { stdio: ['ignore', log, 'pipe'] });
  closeSync(log);
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const urls = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway not ready within ${options.readyTimeoutMs ?? 20_000} ms:\n${stderr}`)), options.readyTimeoutMs ?? 20_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = READY_LINE.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`gateway exited during start-up:\n${stderr}`));
    });
  });
  const pid = child.pid as number;
  const adminUrl = urls[2] as string;
  return {
    pid,
    sspUrl: urls[1] as string,
    adminUrl,
    stats: () => readProcessStats(pid),
    metrics: async () => (await fetch(new URL('metrics', adminUrl))).text(),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      if (!options.cpuProfile || !existsSync(profileDir)) return undefined;
      const profile = readdirSync(profileDir).find((file) => file.endsWith('.cpuprofile'));
      return profile === undefined ? undefined : path.join(profileDir, profile);
    },
  };
}
