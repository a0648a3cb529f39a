// The Node options the gateway is tuned for (README § Node options), and which of them a process was started without.

/** What the entry point's `#!` line, `npm start` and the Docker image pass to Node. */
export const TUNED_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=32', '--single-threaded-gc'];

/** `--max_semi_space_size=8` → `max-semi-space-size`; `--no-single-threaded-gc` → `single-threaded-gc` (a choice made). */
function optionName(option: string): string {
  return (option.split('=')[0] ?? '').replace(/^--(no-)?/, '').replaceAll('_', '-');
}

/**
 * The tuned options given neither on Node's command line nor in NODE_OPTIONS. By name: an operator who set
 * another semi-space size, or turned an option off with `--no-…`, has chosen, and is not told again.
 */
export function missingNodeOptions(execArgv: readonly string[], nodeOptionsEnv = ''): string[] {
  const given = new Set([...execArgv, ...nodeOptionsEnv.split(/\s+/)].filter((option) => option.startsWith('--')).map(optionName));
  return TUNED_NODE_OPTIONS.filter((option) => !given.has(optionName(option)));
}
