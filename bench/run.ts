// `npm run bench [-- NAME...]`: every benchmark in its own process, one after another, one JSON line each.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from './bench-result';

const filters = process.argv.slice(2);
const files = readdirSync(__dirname)
  .filter((file) => file.endsWith('.bench.js'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

const results: BenchResult[] = [];
for (const file of files) {
  process.stderr.write(`bench: ${file} …\n`);
  const run = spawnSync(process.execPath, ['--expose-gc', join(__dirname, file)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 10 * 60_000 });
  const line = run.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (run.status !== 0 || !line) {
    process.stdout.write(`${JSON.stringify({ name: file, error: `exit ${run.status ?? run.signal}` })}\n`);
    continue;
  }
  process.stdout.write(`${line}\n`);
  results.push(JSON.parse(line) as BenchResult);
}
process.stderr.write(`\n${results.map((r) => `${r.pass === false ? 'MISS' : r.pass ? 'PASS' : '----'}  ${r.name}  ${r.target ?? ''}`).join('\n')}\n`);
