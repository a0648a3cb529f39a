// What a CLI command may touch: its arguments and two output streams, so tests can run commands in process.

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Exit codes shared by every subcommand: 0 done, 1 failed at run time, 2 bad usage or bad input. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};
