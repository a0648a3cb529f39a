// A load-test SSP peer (ssp-profile §1, §4, §5): real session set-up, then pre-encoded messages on a fast path.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Pool } from 'undici';
import { SSP_CONTENT_TYPE, UndiciPeerClient } from '../../src/delivery';
import { createLogger } from '../../src/log';
import { FixedPeerDirectory, SspNode, listen, type BoundServer } from '../../src/listener';
import { decodeSspMessage, encodeSspMessage, statusOf } from '../../src/ssp';
import { createSspTemplates, scanSessionMessage, type ScannedTransaction } from './ssp-wire';

/** `ssp`: sessions are set up with the gateway as ssp-profile §4 says; `fixed`: no set-up (bare forwarder runs). */
export type SessionMode = 'ssp' | 'fixed';

/** How a load peer is set up. */
export interface FastSspPeerOptions {
  domain: string;
  /** HOST:PORT to listen on (port 0 = the OS chooses). */
  listen: string;
  sessions: SessionMode;
  /** HTTP/1.1 keep-alive connections toward the remote (the gateway's own client uses 16 per origin). */
  connections: number;
  /**
   * Send the requests originated in one event-loop turn in one Session POST (up to 32), as a core built on the
   * project's SspNode does under load; off = one transaction per POST, as the deployed peer sends.
   */
  coalesce?: boolean;
  /** Count every received SendMessageRequest by messageID (to prove nothing lost or duplicated). */
  trackMessageIds?: boolean;
  /** Connect before listening, so that a gateway that calls at once finds us ready for its set-up. */
  remote?: { url: string; domain: string };
}

/** What the peer saw; all counts since start. */
export interface PeerCounters {
  requestsIn: number;
  answersIn: number;
  fullPath: number;
  postErrors: number;
  refusals: number;
  firstRequestAtMs: number;
  lastNewRequestAtMs: number;
  /** Session POSTs sent: requests and answers. */
  postsOut: number;
}

const HEADERS = { 'content-type': SSP_CONTENT_TYPE };
const MAX_TRANSACTIONS_PER_POST = 32;

/**
 * Plays an IMPS core or a peer domain under load. Session set-up and anything unusual go through a real
 * SspNode (the project's own handshake and codec); the steady flow — SendMessageRequest out, its
 * SendMessageResponse in, or the reverse — uses pre-encoded templates and a scanner, so that the load
 * generator costs far less CPU than what it measures. The same peer drives the gateway and the bare forwarder.
 * It lives as long as its process (bench/support/peer-process-main), which ends when the benchmark does.
 */
export class FastSspPeer {
  readonly counters: PeerCounters = { requestsIn: 0, answersIn: 0, fullPath: 0, postErrors: 0, refusals: 0, firstRequestAtMs: 0, lastNewRequestAtMs: 0, postsOut: 0 };
  /** messageID → times received (only with `trackMessageIds`). */
  readonly messageCounts = new Map<string, number>();
  /** The last refusal the remote put in an HTTP response (status and body start), for diagnosis. */
  lastRefusal = '';
  private readonly templates = createSspTemplates();
  private readonly pending = new Map<string, (statusCode: number) => void>();
  private readonly transactionPrefix = `${randomBytes(3).toString('hex')}-`;
  private readonly directory = new FixedPeerDirectory('http://127.0.0.1:1/');
  private readonly nodeClient: UndiciPeerClient;
  private readonly node: SspNode;
  private server: BoundServer | undefined;
  private pool: Pool | undefined;
  private remoteDomain = '';
  private counter = 0;
  private originated: Array<{ transactionID: string; messageID: string; recipient: string; sender: string }> = [];

  private constructor(private readonly options: FastSspPeerOptions) {
    this.nodeClient = new UndiciPeerClient({ connectionsPerOrigin: 2, timeoutMs: 10_000 });
    this.node = new SspNode({
      domain: options.domain,
      timeToLiveSeconds: 3600,
      answerTimeoutMs: 10_000,
      directory: this.directory,
      peerClient: this.nodeClient,
      logger: createLogger('warn', { benchPeer: options.domain }),
    });
    // Requests that are not SendMessageRequest (none in these benches) still get a proper answer.
    this.node.setHandler({ onRequest: (session, transaction) => void this.node.respond(session.peerDomain, transaction.transactionID, { kind: 'Status', status: statusOf(200) }) });
  }

  static async start(options: FastSspPeerOptions): Promise<FastSspPeer> {
    const peer = new FastSspPeer(options);
    if (options.remote) peer.connect(options.remote.url, options.remote.domain);
    peer.server = await listen(options.listen, (req, res) => peer.onHttpRequest(req, res));
    peer.node.start();
    return peer;
  }

  get url(): string {
    return `http://${this.server?.host ?? '127.0.0.1'}:${this.server?.port ?? 0}/`;
  }

  /** Where to send (the gateway or the forwarder) and the domain our session is with. */
  connect(remoteUrl: string, remoteDomain: string): void {
    this.directory.setUrl(remoteUrl);
    this.remoteDomain = remoteDomain;
    void this.pool?.close();
    this.pool = new Pool(new URL(remoteUrl).origin, { connections: this.options.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  /** Set up the SSP session now (a KeepAlive through the full node), so no set-up falls inside a measurement. */
  async establish(): Promise<string> {
    if (this.options.sessions === 'fixed') return this.sessionID();
    const answer = await this.node.request(this.remoteDomain, { kind: 'KeepAliveRequest', timeToLiveSeconds: 3600 });
    if (answer.kind !== 'Status' || answer.status.code !== 200) throw new Error(`session set-up answered ${JSON.stringify(answer)}`);
    return this.sessionID();
  }

  /** Originate one SendMessageRequest; `onAnswer` gets the SSP status code, or 0 if the POST itself failed. */
  originate(recipient: string, sender: string, onAnswer: (statusCode: number) => void, messageID?: string): void {
    this.counter += 1;
    const transactionID = `${this.transactionPrefix}${this.counter}`;
    this.pending.set(transactionID, onAnswer);
    this.originated.push({ transactionID, messageID: messageID ?? `m${transactionID}`, recipient, sender });
    if (!this.options.coalesce) return this.sendOriginated();
    if (this.originated.length === 1) setImmediate(() => this.sendOriginated());
  }

  private sendOriginated(): void {
    while (this.originated.length > 0) {
      const batch = this.originated.splice(0, MAX_TRANSACTIONS_PER_POST);
      this.post(this.templates.sendMessageRequests(this.sessionID(), batch), () => {
        for (const { transactionID } of batch) {
          const onAnswer = this.pending.get(transactionID);
          if (this.pending.delete(transactionID)) onAnswer?.(0);
        }
      });
    }
  }

  private sessionID(): string {
    if (this.options.sessions === 'fixed') return `bench@${this.options.domain}`;
    return this.node.sessions.forDomain(this.remoteDomain)?.ourSessionID ?? `none@${this.options.domain}`;
  }

  private onHttpRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      const scanned = scanSessionMessage(raw.toString('latin1'));
      if (scanned && scanned.transactions.every((t) => this.isFast(t))) {
        res.end(); // "got it" (ssp-profile §1); answers follow as their own POST
        this.onFast(scanned.transactions);
        return;
      }
      void this.onFull(raw, req, res);
    });
  }

  private isFast(transaction: ScannedTransaction): boolean {
    if (transaction.mode === 'Response') return this.pending.has(transaction.transactionID);
    return transaction.kind === 'SendMessageRequest' && transaction.messageID !== undefined;
  }

  /** Answers settle our pending requests; the requests of one POST are answered together in one POST. */
  private onFast(transactions: ScannedTransaction[]): void {
    const answers: Array<{ transactionID: string; messageID: string }> = [];
    for (const transaction of transactions) {
      if (transaction.mode === 'Response') {
        this.counters.answersIn += 1;
        const settle = this.pending.get(transaction.transactionID);
        this.pending.delete(transaction.transactionID);
        settle?.(transaction.statusCode ?? 0);
        continue;
      }
      const messageID = transaction.messageID as string;
      this.countRequest(messageID);
      answers.push({ transactionID: transaction.transactionID, messageID });
    }
    if (answers.length === 0) return;
    const sessionID = this.sessionID();
    if (this.options.sessions === 'ssp' && sessionID.startsWith('none@')) {
      for (const { transactionID, messageID } of answers) {
        void this.node.respond(this.remoteDomain, transactionID, { kind: 'SendMessageResponse', messageID, status: statusOf(200) }).catch(() => (this.counters.postErrors += 1));
      }
      return;
    }
    this.post(this.templates.sendMessageAnswers(sessionID, answers));
  }

  private countRequest(messageID: string): void {
    const now = Date.now();
    this.counters.requestsIn += 1;
    if (this.counters.firstRequestAtMs === 0) this.counters.firstRequestAtMs = now;
    if (!this.options.trackMessageIds) return;
    const seen = this.messageCounts.get(messageID) ?? 0;
    this.messageCounts.set(messageID, seen + 1);
    if (seen === 0) this.counters.lastNewRequestAtMs = now;
  }

  /** Set-up messages and anything unexpected: the project's decoder and SspNode, as a real peer would. */
  private async onFull(raw: Buffer, req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counters.fullPath += 1;
    if (this.options.sessions === 'fixed') return void res.end();
    try {
      const answer = await this.node.receive(decodeSspMessage(raw), req.socket.remoteAddress ?? '');
      if (answer) res.writeHead(200, HEADERS).end(encodeSspMessage(answer));
      else res.end();
    } catch {
      res.writeHead(400).end();
    }
  }

  private post(xml: string, onFailure?: () => void): void {
    const pool = this.pool;
    if (!pool) throw new Error('connect() the peer before sending');
    this.counters.postsOut += 1;
    pool.request({ path: '/', method: 'POST', headers: HEADERS, body: xml }).then(
      async (response) => {
        const body = await response.body.text();
        if (response.statusCode < 300 && body === '') return;
        // The gateway refused in the HTTP response (e.g. unknown session): the message will get no answer POST.
        this.counters.refusals += 1;
        this.lastRefusal = `${response.statusCode} ${body.slice(0, 300)}`;
        onFailure?.();
      },
      () => {
        this.counters.postErrors += 1;
        onFailure?.();
      },
    );
  }
}
