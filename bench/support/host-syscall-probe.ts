// How fast this host makes system calls right now: the benchmarks' figures swing with it (README § Benchmarks).
import { spawnSync } from 'node:child_process';
import type { BenchResult } from '../bench-result';
import { pinnedCommand } from './child-rpc';

// One second of 100-byte datagrams to a loopback socket of the same process, 200 per event-loop turn.
const PROBE = `
const dgram = require('node:dgram');
const sender = dgram.createSocket('udp4');
const receiver = dgram.createSocket('udp4');
receiver.bind(0, '127.0.0.1', () => {
  const port = receiver.address().port;
  const payload = Buffer.alloc(100);
  const end = Date.now() + 1000;
  let sent = 0;
  (function burst() {
    if (Date.now() >= end) { process.stdout.write(String(sent)); process.exit(0); }
    for (let i = 0; i < 200; i += 1) sender.send(payload, port, '127.0.0.1');
    sent += 200;
    setImmediate(burst);
  })();
});`;

/**
 * Loopback UDP sends per second on `cpu`, measured before a benchmark's rig starts. Measured on the build
 * machine: ≈ 175,000–180,000 when the gateway cost 141–159 µs per cold-ENUM message, ≈ 116,000 when it cost
 * 229–249, while a pure-ALU loop ran within 3 % in both: the slow phases are slow in the kernel.
 */
export function hostUdpSendsPerSecond(cpu?: number): number | null {
  const { command, args } = pinnedCommand(cpu, process.execPath, ['-e', PROBE]);
  const probe = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
  const sent = Number(probe.stdout);
  return probe.status === 0 && Number.isFinite(sent) ? sent : null;
}

/** `result` with the probe's reading among its figures. */
export function withHostUdpSends(result: BenchResult, sendsPerSecond: number | null): BenchResult {
  return { ...result, figures: { ...result.figures, hostUdpSendsPerSecond: sendsPerSecond ?? 'probe failed' } };
}
