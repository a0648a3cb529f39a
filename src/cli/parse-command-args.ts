// Strict argv parsing for every subcommand (node:util parseArgs); misuse becomes a CLI_USAGE error (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GatewayError } from '../errors';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(args: string[], options: O, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new GatewayError('CLI_USAGE', `${(error as Error).message}\nusage: ${usage}`);
  }
}

export function usageError(message: string, usage: string): GatewayError {
  return new GatewayError('CLI_USAGE', `${message}\nusage: ${usage}`);
}
