// `ssp-gateway send`: act as a peer or a core — set up a session, send one SendMessageRequest, print the answer.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startSink, printableBody } from '../app';
import { decodeSspMessage, isFaulty, type SendMessageRequest, type SspMessage, type TransactionBody } from '../ssp';
import { domainArgument, hostPortArgument, httpUrlArgument, noPositionals, timeoutArgument, userIdArgument } from './argument-checks';
import { EXIT_FAILURE, EXIT_OK, type CliIo } from './cli-io';
import { parseCommandArgs, usageError } from './parse-command-args';

const USAGE =
  'ssp-gateway send --to URL --domain OUR_DOMAIN --listen HOST:PORT [--gateway-domain DOMAIN] ' +
  '(--file SSP.xml | --from wv:USER --recipient wv:USER... --text TEXT) [--delivery-report] [--timeout-ms N]';

const OPTIONS = {
  to: { type: 'string' },
  domain: { type: 'string' },
  listen: { type: 'string' },
  'gateway-domain': { type: 'string' },
  file: { type: 'string' },
  from: { type: 'string' },
  recipient: { type: 'string', multiple: true },
  text: { type: 'string' },
  'delivery-report': { type: 'boolean' },
  'timeout-ms': { type: 'string' },
} as const;

export async function runSendCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, USAGE);
  noPositionals(positionals, USAGE);
  if (!values.to || !values.domain || !values.listen) throw usageError('--to, --domain and --listen are required', USAGE);
  const gatewayUrl = httpUrlArgument('to', values.to, USAGE);
  const domain = domainArgument('domain', values.domain, USAGE);
  const listen = hostPortArgument('listen', values.listen, USAGE);
  const gatewayDomain = values['gateway-domain'] === undefined ? domain : domainArgument('gateway-domain', values['gateway-domain'], USAGE);
  const timeoutMs = values['timeout-ms'] === undefined ? 10_000 : timeoutArgument('timeout-ms', values['timeout-ms'], USAGE);
  const request = values.file ? requestFromFile(values.file) : requestFromFlags(values);
  const sink = await startSink({ domain, listen, gatewayUrl, answerTimeoutMs: timeoutMs });
  try {
    const answer = await sink.request(gatewayDomain, request);
    const reports = request.deliveryReport ? await waitForReport(sink, timeoutMs) : [];
    io.stdout(JSON.stringify({ answer: printableBody(answer), reports }));
    return answerOk(answer) ? EXIT_OK : EXIT_FAILURE;
  } finally {
    await sink.stop();
  }
}

function requestFromFlags(values: { from?: string; recipient?: string[]; text?: string; 'delivery-report'?: boolean }): SendMessageRequest {
  if (!values.from || !values.recipient?.length || values.text === undefined) throw usageError('give --file, or --from, --recipient and --text', USAGE);
  userIdArgument('from', values.from, USAGE);
  for (const recipient of values.recipient) userIdArgument('recipient', recipient, USAGE);
  const bytes = Buffer.from(values.text, 'utf8');
  return {
    kind: 'SendMessageRequest',
    deliveryReport: values['delivery-report'] ?? false,
    metaInfo: { clientOriginated: true, requestorUserID: values.from },
    messageInfo: {
      messageID: randomUUID(),
      contentType: 'text/plain',
      contentSize: bytes.length,
      recipients: values.recipient.map((userID) => ({ kind: 'user' as const, userID })),
      senderUserID: values.from,
      dateTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    content: { contentType: 'text/plain', transferEncoding: 'base64', bytes },
  };
}

function requestFromFile(path: string): SendMessageRequest {
  let message: SspMessage;
  try {
    message = decodeSspMessage(readFileSync(path));
  } catch (error) {
    throw usageError(`--file ${path}: ${(error as Error).message}`, USAGE);
  }
  const first = message.kind === 'session' ? message.transactions[0] : undefined;
  if (!first || isFaulty(first) || first.body.kind !== 'SendMessageRequest') {
    throw usageError(`${path} must hold a Session whose first Transaction is a SendMessageRequest`, USAGE);
  }
  return first.body;
}

function waitForReport(sink: Awaited<ReturnType<typeof startSink>>, timeoutMs: number): Promise<unknown[]> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve([]), timeoutMs);
    sink.on('transaction', (record) => {
      if (record.type !== 'DeliveryStatusReport') return;
      clearTimeout(timer);
      resolve([record]);
    });
  });
}

function answerOk(answer: TransactionBody): boolean {
  return 'status' in answer && answer.status !== undefined && answer.status.code >= 200 && answer.status.code < 300;
}
