// CPU time and memory of another process from Linux /proc (proc(5)): "one core" and "RSS under load" figures.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A reading of one process. */
export interface ProcessStats {
  /** User + system CPU time of all its threads so far, in seconds. */
  cpuSeconds: number;
  rssMb: number;
  /** Highest RSS since the process started (VmHWM). */
  peakRssMb: number;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  ticksPerSecond ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  return ticksPerSecond;
}

/** Read /proc/PID/stat (utime, stime: fields 14 and 15) and /proc/PID/status (VmRSS, VmHWM). */
export function readProcessStats(pid: number): ProcessStats {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name, which may itself contain spaces: field 3 is index 0.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { cpuSeconds: ticks / clockTicks(), rssMb: round1(kb('VmRSS') / 1024), peakRssMb: round1(kb('VmHWM') / 1024) };
}

/** CPU time all processes of the machine used so far (the first line of /proc/stat), in seconds. */
export function readMachineBusySeconds(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …: everything except idle and iowait is busy.
  const busy = fields.reduce((sum, value, index) => (index === 3 || index === 4 ? sum : sum + value), 0);
  return busy / clockTicks();
}

/** CPU cores a process used between two readings `seconds` apart (1.0 = one core busy all the time). */
export function coresUsed(before: ProcessStats, after: ProcessStats, seconds: number): number {
  return Math.round(((after.cpuSeconds - before.cpuSeconds) / seconds) * 100) / 100;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
