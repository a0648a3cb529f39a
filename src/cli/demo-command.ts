// `ssp-gateway demo`: the two example domains on loopback, a message from A's user to B's core and back.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { printableBody, startGateway, startSink } from '../app';
import { loadConfigFile } from '../config';
import { createLogger } from '../log';
import { EXIT_FAILURE, EXIT_OK, type CliIo } from './cli-io';
import { parseCommandArgs } from './parse-command-args';

const USAGE = 'ssp-gateway demo [--examples DIR]';

export async function runDemoCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { examples: { type: 'string' } }, USAGE);
  const dir = values.examples ?? resolve(__dirname, '..', '..', '..', 'config', 'examples');
  const configs = ['imsp-a.test', 'imsp-b.test'].map((domain) => loadConfigFile(resolve(dir, `${domain}.yaml`)));
  const logger = createLogger('warn');
  // Gateways stop first (each drains its deliveries, which need the cores), then the cores.
  const gatewayStops: Array<() => Promise<void>> = [];
  const coreStops: Array<() => Promise<void>> = [];
  try {
    const sinks = [];
    for (const config of configs) {
      const core = new URL(config.core.url);
      const sink = await startSink({ domain: config.domain, listen: `${core.hostname}:${core.port}`, logger });
      sink.on('transaction', (record) => io.stdout(`core of ${config.domain} received ${record.type}: ${JSON.stringify(record.body)}`));
      const gateway = await startGateway(config, { logger });
      sink.setGatewayUrl(gateway.sspUrl);
      io.stdout(`gateway ${config.domain}: SSP ${gateway.sspUrl}, admin ${gateway.adminUrl}metrics; core (sink) ${sink.url}`);
      gatewayStops.push(() => gateway.stop());
      coreStops.push(() => sink.stop());
      sinks.push(sink);
    }
    const [sinkA] = sinks;
    if (!sinkA) return EXIT_FAILURE;
    const text = 'Hello Bob, this is Alice on imsp-a.test';
    io.stdout(`\nalice@imsp-a.test → bob@imsp-b.test: "${text}" (delivery report requested)`);
    const reported = new Promise((done) => sinkA.on('transaction', (record) => record.type === 'DeliveryStatusReport' && done(record)));
    const answer = await sinkA.request('imsp-a.test', {
      kind: 'SendMessageRequest',
      deliveryReport: true,
      metaInfo: { clientOriginated: true, requestorUserID: 'wv:alice@imsp-a.test' },
      messageInfo: { messageID: randomUUID(), contentType: 'text/plain', recipients: [{ kind: 'user', userID: 'wv:bob@imsp-b.test' }], senderUserID: 'wv:alice@imsp-a.test' },
      content: { contentType: 'text/plain', transferEncoding: 'base64', bytes: Buffer.from(text) },
    });
    io.stdout(`answer back at the core of imsp-a.test: ${JSON.stringify(printableBody(answer))}`);
    await reported;
    io.stdout('delivery report reached the core of imsp-a.test: demo complete');
    return EXIT_OK;
  } finally {
    for (const stop of [...gatewayStops, ...coreStops]) await stop();
  }
}
