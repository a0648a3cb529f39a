// `ssp-gateway sink`: a stand-in IMPS core printing every transaction it receives as one JSON line.
import { startSink } from '../app';
import { EXIT_OK, type CliIo } from './cli-io';
import { parseCommandArgs, usageError } from './parse-command-args';

const USAGE = 'ssp-gateway sink --listen HOST:PORT --domain DOMAIN [--gateway URL]';

export async function runSinkCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { listen: { type: 'string' }, domain: { type: 'string' }, gateway: { type: 'string' } }, USAGE);
  if (!values.listen || !values.domain) throw usageError('--listen and --domain are required', USAGE);
  const sink = await startSink({ domain: values.domain.toLowerCase(), listen: values.listen, ...(values.gateway ? { gatewayUrl: values.gateway } : {}) });
  io.stderr(`sink for ${values.domain} listening on ${sink.url}`);
  sink.on('transaction', (record) => io.stdout(JSON.stringify(record)));
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await sink.stop();
  return EXIT_OK;
}
