// `ssp-gateway serve --config FILE`: run the gateway until SIGTERM/SIGINT, then shut down gracefully.
import { startGateway } from '../app';
import { checkServedFiles, loadConfigFile } from '../config';
import { createLogger } from '../log';
import { EXIT_OK, type CliIo } from './cli-io';
import { noPositionals } from './argument-checks';
import { missingNodeOptions } from './node-options';
import { parseCommandArgs, usageError } from './parse-command-args';

const USAGE = 'ssp-gateway serve --config FILE';

export async function runServeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { config: { type: 'string' } }, USAGE);
  noPositionals(positionals, USAGE);
  if (!values.config) throw usageError('--config is required', USAGE);
  const config = loadConfigFile(values.config);
  checkServedFiles(config);
  const logger = createLogger(config.log.level, { domain: config.domain });
  const missing = missingNodeOptions(process.execArgv, process.env.NODE_OPTIONS);
  if (missing.length > 0) logger.warn({ missing }, 'node started without the options the gateway is tuned for (README § Node options): more CPU per transaction');
  const gateway = await startGateway(config, { logger });
  io.stderr(`ssp-gateway ${config.domain}: SSP ${gateway.sspUrl} admin ${gateway.adminUrl}`);
  // SIGHUP re-reads the zone files without a restart (embedded mode); a bad file keeps the old data.
  const reload = () => {
    gateway.routing.reloadZones().then(
      () => logger.info({}, 'zone files reloaded'),
      (error: unknown) => logger.error({ err: error }, 'zone reload failed; previous data kept'),
    );
  };
  process.on('SIGHUP', reload);
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'shutdown requested');
      resolve();
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  });
  // Still handled while deliveries drain: SIGHUP's default action would end the process before the store closes.
  process.off('SIGHUP', reload);
  const ignoreReload = () => logger.warn({ signal: 'SIGHUP' }, 'zone reload ignored: shutting down');
  process.on('SIGHUP', ignoreReload);
  try {
    await gateway.stop();
  } finally {
    process.off('SIGHUP', ignoreReload);
  }
  return EXIT_OK;
}
