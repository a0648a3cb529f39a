import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TUNED_NODE_OPTIONS, missingNodeOptions } from '../../src/cli/node-options';
import { repoRoot } from '../support/paths';

const read = (file: string): string => readFileSync(path.join(repoRoot, file), 'utf8');

/** What follows `node` on the entry point's `#!/usr/bin/env -S node …` line. */
function entryPointNodeOptions(): string[] {
  const firstLine = read('src/cli/main.ts').split('\n', 1)[0] ?? '';
  const options = /^#!\/usr\/bin\/env -S node((?: \S+)*)$/.exec(firstLine);
  assert.ok(options, `src/cli/main.ts starts with "${firstLine}"`);
  return options[1]?.split(' ').filter(Boolean) ?? [];
}

describe('how ssp-gateway is launched', () => {
  it('gives V8 a 32 MB young generation and no garbage-collector threads, from its entry point', () => {
    assert.deepEqual(TUNED_NODE_OPTIONS, ['--max-semi-space-size=32', '--single-threaded-gc']);
    assert.deepEqual(entryPointNodeOptions(), TUNED_NODE_OPTIONS);
  });

  it('starts Node with the same options from npm start and from the Docker image', () => {
    const options = entryPointNodeOptions();
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start;
    assert.ok(start?.includes(['node', ...options, 'dist/src/cli/main.js serve'].join(' ')), `npm start: ${start}`);
    const entrypoint = /^ENTRYPOINT (.+)$/m.exec(read('Dockerfile'))?.[1];
    assert.deepEqual(JSON.parse(entrypoint ?? 'null'), ['node', ...options, 'dist/src/cli/main.js']);
  });

  it('runs the compiled entry point through its own first line', () => {
    const main = path.join(repoRoot, 'dist/src/cli/main.js');
    const firstLine = readFileSync(main, 'utf8').split('\n', 1)[0] ?? '';
    // As the kernel reads a `#!` line: the interpreter, then the rest of the line as one argument.
    const [, interpreter = '', argument = ''] = /^#!(\S+) (.*)$/.exec(firstLine) ?? [];
    const run = spawnSync(interpreter, [argument, main, 'help'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /usage: ssp-gateway <command>/);
  });

  describe('tells which tuned options a process was started without', () => {
    const cases: Array<[string, string[], string, string[]]> = [
      ['none given', [], '', ['--max-semi-space-size=32', '--single-threaded-gc']],
      ['both on the command line', ['--max-semi-space-size=32', '--single-threaded-gc'], '', []],
      ['one in NODE_OPTIONS', ['--single-threaded-gc'], '--max-semi-space-size=32 --enable-source-maps', []],
      ['another young generation size, in V8 spelling: a choice', ['--max_semi_space_size=8'], '', ['--single-threaded-gc']],
      ['collector threads turned on explicitly: a choice', ['--no-single-threaded-gc'], '', ['--max-semi-space-size=32']],
      ['options of other names only', ['--cpu-prof', '--inspect'], ' ', ['--max-semi-space-size=32', '--single-threaded-gc']],
    ];
    for (const [name, execArgv, env, missing] of cases) it(name, () => assert.deepEqual(missingNodeOptions(execArgv, env), missing));
  });
});
