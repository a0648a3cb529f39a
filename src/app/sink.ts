// A minimal SSP endpoint standing in for an IMPS core: accepts sessions, records and answers every request.
import { EventEmitter } from 'node:events';
import { UndiciPeerClient } from '../delivery';
import { createLogger, type Logger } from '../log';
import { FixedPeerDirectory, SspNode, createSspEndpoint, listen, type SspSession } from '../listener';
import { statusOf, type Transaction, type TransactionBody } from '../ssp';
import { printableBody } from './printable-body';

export interface SinkRecord {
  peer: string;
  transactionID: string;
  type: string;
  body: Record<string, unknown>;
}

export interface SinkOptions {
  domain: string;
  listen: string;
  /** Where the gateway listens; may be set later with `setGatewayUrl`. */
  gatewayUrl?: string;
  logger?: Logger;
  answerTimeoutMs?: number;
}

type SinkEvents = { transaction: [SinkRecord]; answer: [SinkRecord] };

export interface RunningSink extends EventEmitter<SinkEvents> {
  url: string;
  /** Requests received, in order. */
  received: SinkRecord[];
  /** Answers that arrived for requests this sink did not send through `request` (e.g. raw test posts). */
  strayAnswers: SinkRecord[];
  node: SspNode;
  setGatewayUrl(url: string): void;
  /** Originate a request as this core would; a fixed `transactionID` lets a test retransmit it. */
  request(domain: string, body: TransactionBody, options?: { transactionID?: string }): Promise<TransactionBody>;
  stop(): Promise<void>;
}

export async function startSink(options: SinkOptions): Promise<RunningSink> {
  const logger = options.logger ?? createLogger('warn', { sink: options.domain });
  const directory = new FixedPeerDirectory(options.gatewayUrl ?? 'http://127.0.0.1:1/');
  const peerClient = new UndiciPeerClient({ connectionsPerOrigin: 4, timeoutMs: options.answerTimeoutMs ?? 10_000 });
  const events = new EventEmitter<SinkEvents>();
  const received: SinkRecord[] = [];
  const strayAnswers: SinkRecord[] = [];
  const node = new SspNode({
    domain: options.domain,
    timeToLiveSeconds: 3600,
    answerTimeoutMs: options.answerTimeoutMs ?? 10_000,
    directory,
    peerClient,
    logger,
    onUnmatchedAnswer: (peer, transaction) => {
      const record = { peer, transactionID: transaction.transactionID, type: transaction.body.kind, body: printableBody(transaction.body) };
      strayAnswers.push(record);
      events.emit('answer', record);
    },
  });
  node.setHandler({
    onRequest(session: SspSession, transaction: Transaction) {
      const record = { peer: session.peerDomain, transactionID: transaction.transactionID, type: transaction.body.kind, body: printableBody(transaction.body) };
      received.push(record);
      events.emit('transaction', record);
      void answer(node, session.peerDomain, transaction, logger);
    },
  });
  const server = await listen(options.listen, createSspEndpoint({ node, maxBodyBytes: 1024 * 1024, logger }));
  node.start();
  return Object.assign(events, {
    url: `http://${server.host}:${server.port}/`,
    received,
    strayAnswers,
    node,
    setGatewayUrl: (url: string) => directory.setUrl(url),
    request: (domain: string, body: TransactionBody, requestOptions?: { transactionID?: string }) => node.request(domain, body, requestOptions),
    stop: async () => {
      await server.close();
      node.stop();
      await peerClient.close();
    },
  });
}

/** Answer as a core would: accept everything; a message that asked for a report gets a delivered one. */
async function answer(node: SspNode, peer: string, transaction: Transaction, logger: Logger): Promise<void> {
  const { body, transactionID } = transaction;
  try {
    if (body.kind === 'SendMessageRequest') {
      await node.respond(peer, transactionID, { kind: 'SendMessageResponse', messageID: body.messageInfo.messageID, status: statusOf(200) });
      if (!body.deliveryReport) return;
      const recipient = body.messageInfo.recipients.find((r) => r.kind === 'user');
      await node.request(peer, {
        kind: 'DeliveryStatusReport',
        ...(recipient?.kind === 'user' ? { metaInfo: { requestorUserID: recipient.userID } } : {}),
        result: statusOf(200),
        deliveryTime: new Date().toISOString(),
        messageInfo: body.messageInfo,
      });
      return;
    }
    if (body.kind === 'SearchRequest') {
      const users = body.pairs.filter((p) => p.element === 'USER_MOBILE_NUMBER').map((p) => ({ userID: `wv:${p.value.trim()}` }));
      await node.respond(peer, transactionID, { kind: 'SearchResponse', users, status: statusOf(users.length ? 200 : 531) });
      return;
    }
    if (body.kind === 'GetPresenceRequest') {
      await node.respond(peer, transactionID, { kind: 'GetPresenceResponse', presence: [], status: statusOf(200) });
      return;
    }
    await node.respond(peer, transactionID, { kind: 'Status', status: statusOf(200) });
  } catch (error) {
    logger.warn({ peer, transactionID, err: error }, 'sink answer failed');
  }
}
