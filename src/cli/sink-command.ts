// `ssp-gateway sink`: a stand-in IMPS core printing every transaction it receives as one JSON line.
import { startSink } from '../app';
import { EXIT_OK, type CliIo } from './cli-io';
import { domainArgument, hostPortArgument, httpUrlArgument, noPositionals } from './argument-checks';
import { parseCommandArgs, usageError } from './parse-command-args';

const USAGE = 'ssp-gateway sink --listen HOST:PORT --domain DOMAIN [--gateway URL]';

export async function runSinkCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { listen: { type: 'string' }, domain: { type: 'string' }, gateway: { type: 'string' } }, USAGE);
  noPositionals(positionals, USAGE);
  if (!values.listen || !values.domain) throw usageError('--listen and --domain are required', USAGE);
  const domain = domainArgument('domain', values.domain, USAGE);
  const listen = hostPortArgument('listen', values.listen, USAGE);
  const gatewayUrl = values.gateway === undefined ? undefined : httpUrlArgument('gateway', values.gateway, USAGE);
  const sink = await startSink({ domain, listen, ...(gatewayUrl ? { gatewayUrl } : {}) });
  io.stderr(`sink for ${domain} listening on ${sink.url}`);
  sink.on('transaction', (record) => io.stdout(JSON.stringify(record)));
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await sink.stop();
  return EXIT_OK;
}
