#!/usr/bin/env -S node --max-semi-space-size=32 --single-threaded-gc
// `ssp-gateway` entry point: dispatches subcommands; GatewayErrors become clear messages and exit codes.
// V8 options (README § Node options, measured): a 32 MB young generation, not 16, because under load a transaction's
// objects live tens of milliseconds and a smaller one copies and promotes them before they die; no collector
// threads, because the gateway is sized per core and helper threads on that core cost more than they save.
import { GatewayError } from '../errors';
import { EXIT_FAILURE, EXIT_USAGE, processIo, type CliIo } from './cli-io';
import { runDemoCommand } from './demo-command';
import { runEnumCommand } from './enum-command';
import { runLocateCommand } from './locate-command';
import { runRouteCommand } from './route-command';
import { runSendCommand } from './send-command';
import { runServeCommand } from './serve-command';
import { runSinkCommand } from './sink-command';

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  serve: runServeCommand,
  send: runSendCommand,
  sink: runSinkCommand,
  enum: runEnumCommand,
  locate: runLocateCommand,
  demo: runDemoCommand,
  route: runRouteCommand,
};

const HELP = `usage: ssp-gateway <command> [options]
commands:
  serve   --config FILE                      run the gateway
  send    --to URL --domain D --listen H:P   send one SendMessageRequest as a peer or core, print the answer
  sink    --listen H:P --domain D            stand-in IMPS core: print every transaction as a JSON line
  enum    <number> [--service im|pres|sip|pstn:tel] [--json]   ENUM look-up
  locate  <domain> [--srv NAME] [--json]     SSP server of a domain (DNS SRV)
  route   <userID> [--service im|pres] [--config FILE] [--json]  explain the routing decision
  demo                                       two example domains exchange a message on loopback
run a command with wrong options to see its full usage.`;

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === 'help') {
    io.stdout(HELP);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`ssp-gateway: unknown command "${name}"\n${HELP}`);
    return EXIT_USAGE;
  }
  try {
    return await command(args, io);
  } catch (error) {
    if (error instanceof GatewayError && (error.code === 'CLI_USAGE' || error.code === 'CONFIG_INVALID')) {
      io.stderr(`ssp-gateway ${name}: ${error.message}`);
      return EXIT_USAGE;
    }
    io.stderr(`ssp-gateway ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILURE;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`ssp-gateway: ${String(error)}\n`);
      process.exit(EXIT_FAILURE);
    },
  );
}
