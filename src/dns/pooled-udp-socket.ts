// One connected UDP socket carrying many outstanding DNS queries, matched by id and question (RFC 5452 §9.1).
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { acceptResponse, type DnsServerAddress, type ExchangeOutcome, type ExpectedResponse } from './dns-exchange';
import { randomUint16 } from './random-uint16';

/** Told the outcome of one exchange, exactly once. */
export type ExchangeDone = (outcome: ExchangeOutcome) => void;

/** An outstanding query: what its response must echo, when it expires, and whom to tell. */
interface PendingQuery extends ExpectedResponse {
  /** The datagram, until it is sent. */
  query: Buffer | undefined;
  readonly deadlineMs: number;
  readonly done: ExchangeDone;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** Most queries one socket may carry: ids are never reused on a socket, so half the 16-bit id space. */
export const MAX_QUERIES_PER_SOCKET = 0x8000;

const TIMED_OUT: ExchangeOutcome = { ok: false, kind: 'timeout', detail: 'no response before the deadline' };
const CANCELLED: ExchangeOutcome = { ok: false, kind: 'timeout', detail: 'cancelled by the caller' };
const CLOSED: ExchangeOutcome = { ok: false, kind: 'network', detail: 'DNS client closed' };

/**
 * A UDP socket bound by the OS to a random ephemeral port (port 0) and connected to one server, so the kernel
 * drops datagrams from any other source. Each query gets a random id never used before on this socket, so a
 * late answer to a query that timed out matches nothing and is dropped. Responses are accepted only with the
 * query's id and question. One timer per socket expires queries: the timeout is constant, so the pending
 * map's insertion order is deadline order. The socket keeps the process alive only while queries are pending.
 *
 * Datagrams go out together at the end of the event-loop turn that made them (setImmediate), not one by one
 * as each response's callbacks ask the next query: on a busy loop that is one burst per turn instead of a
 * send between every two receives, so the server is woken once per burst rather than once per query (on
 * loopback the sender's system call pays for that wake-up: ~5 µs per query measured with bench/enum-cold).
 */
export class PooledUdpSocket {
  /** When the socket was opened, on the pool's clock, for rotation. */
  readonly openedAtMs: number;
  private readonly socket: Socket;
  private sentCount = 0;
  /** The server as the kernel reports the connected peer (IPv6 text may differ from the configured one). */
  private peer: { address: string; port: number } | undefined;
  private readonly pending = new Map<number, PendingQuery>();
  /** One bit per query id ever used on this socket. */
  private readonly usedIds = new Uint8Array(0x10000 / 8);
  /** Queries whose datagrams wait for the end of this turn (or for `connect` to complete). */
  private outbox: PendingQuery[] = [];
  private connected = false;
  private flushScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private retired = false;
  private closing: Promise<void> | undefined;

  /**
   * @param server where every datagram goes and the only source answers are taken from
   * @param timeoutMs deadline of each query, from when it is handed over
   * @param openedAtMs the pool's clock now
   * @param onClosed told once the socket is closed, so the pool can forget it
   */
  constructor(
    server: DnsServerAddress,
    private readonly timeoutMs: number,
    openedAtMs: number,
    private readonly onClosed: (socket: PooledUdpSocket) => void,
  ) {
    this.openedAtMs = openedAtMs;
    this.socket = createSocket(server.family === 6 ? 'udp6' : 'udp4');
    this.socket.unref();
    this.socket.on('message', (message, remote) => this.onMessage(message, remote));
    this.socket.on('error', (error) => this.fail({ ok: false, kind: 'network', detail: error.message }));
    this.socket.once('connect', () => this.onConnect());
    // connect() binds to port 0 first: the OS picks a random ephemeral port (RFC 5452 §9.2, RFC 6056).
    this.socket.connect(server.port, server.host);
  }

  /** Queries sent (or queued) on this socket, for rotation. */
  get sent(): number {
    return this.sentCount;
  }

  /** False once retired (rotation, socket error, close) or out of ids: the pool must open a new socket. */
  get usable(): boolean {
    return !this.retired && this.sentCount < MAX_QUERIES_PER_SOCKET;
  }

  /**
   * Send `query` (its first two octets are overwritten with a fresh random id) and tell `done` the response with
   * that id and the question `name`/`typeCode`, or the deadline, or that `signal` aborted (kind 'timeout').
   * A callback rather than a promise: the caller's promise is the only one a query needs. `done` is called
   * synchronously when the socket is no longer usable or the signal has already aborted.
   */
  exchange(query: Buffer, name: string, typeCode: number, signal: AbortSignal | undefined, done: ExchangeDone): void {
    if (!this.usable) return done(CLOSED);
    if (signal?.aborted) return done(CANCELLED);
    const id = this.allocateId();
    this.sentCount += 1;
    query[0] = id >>> 8;
    query[1] = id & 0xff;
    const entry: PendingQuery = { id, name, typeCode, query, deadlineMs: performance.now() + this.timeoutMs, done, signal, onAbort: undefined };
    if (signal !== undefined) {
      entry.onAbort = () => this.settle(entry, CANCELLED);
      signal.addEventListener('abort', entry.onAbort, { once: true });
    }
    // Referenced only while something waits for an answer: an idle pool never holds the process open.
    if (this.pending.size === 0) this.socket.ref();
    this.pending.set(id, entry);
    this.timer ??= this.arm(entry.deadlineMs);
    this.outbox.push(entry);
    if (this.connected && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  }

  /** Take no new queries; close as soon as the outstanding ones are answered or expire. */
  retire(): void {
    this.retired = true;
    if (this.pending.size === 0) void this.close();
  }

  /** Close now: outstanding queries fail with kind 'network'. Resolves once the socket is closed. */
  close(): Promise<void> {
    this.retired = true;
    for (const entry of this.pending.values()) this.settle(entry, CLOSED);
    if (this.closing === undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.closing = new Promise<void>((resolve) => this.socket.close(() => resolve())).then(() => this.onClosed(this));
    }
    return this.closing;
  }

  /** A random id not used before on this socket (RFC 5452 §9.2: ids from a cryptographic generator). */
  private allocateId(): number {
    for (;;) {
      const id = randomUint16();
      const mask = 1 << (id & 7);
      const byte = this.usedIds[id >> 3] as number;
      if ((byte & mask) !== 0) continue;
      this.usedIds[id >> 3] = byte | mask;
      return id;
    }
  }

  private onMessage(message: Buffer, remote: RemoteInfo): void {
    // The connected socket already filters by source; the check costs nothing and guards the contract.
    const { peer } = this;
    if (peer === undefined || remote.port !== peer.port || remote.address !== peer.address || message.length < 2) return;
    // An unknown id is a late answer to an expired or cancelled query, or a forgery: drop it.
    const entry = this.pending.get(message.readUInt16BE(0));
    if (entry === undefined) return;
    const outcome = acceptResponse(message, entry, true);
    if (outcome !== undefined) this.settle(entry, outcome);
  }

  private settle(entry: PendingQuery, outcome: ExchangeOutcome): void {
    if (this.pending.get(entry.id) !== entry) return;
    this.pending.delete(entry.id);
    if (entry.onAbort !== undefined) entry.signal?.removeEventListener('abort', entry.onAbort);
    if (this.pending.size === 0) this.idle();
    entry.done(outcome);
  }

  private idle(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.retired) void this.close();
    else this.socket.unref();
  }

  private arm(deadlineMs: number): NodeJS.Timeout {
    return setTimeout(() => this.expire(), Math.max(0, Math.ceil(deadlineMs - performance.now()))).unref();
  }

  /**
   * Expire every query past its deadline; the first one still pending sets the next wake-up. A retry that a
   * settled caller starts at once on this socket arms a timer of its own meanwhile: that one is replaced, not
   * left running beside the next.
   */
  private expire(): void {
    this.timer = undefined;
    const now = performance.now();
    for (const entry of this.pending.values()) {
      if (entry.deadlineMs > now) {
        if (this.timer !== undefined) clearTimeout(this.timer);
        this.timer = this.arm(entry.deadlineMs);
        return;
      }
      this.settle(entry, TIMED_OUT);
    }
  }

  private onConnect(): void {
    const { address, port } = this.socket.remoteAddress();
    this.peer = { address, port };
    this.connected = true;
    this.flush();
  }

  /** Send the queued datagrams of queries still pending (a settled one was cancelled, expired or closed). */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const outbox = this.outbox;
    this.outbox = [];
    for (const entry of outbox) {
      if (this.pending.get(entry.id) === entry) this.socket.send(entry.query as Buffer);
      entry.query = undefined;
    }
  };

  /** A socket error (e.g. ICMP port unreachable on a connected socket) ends this socket and its queries. */
  private fail(outcome: ExchangeOutcome): void {
    this.retired = true;
    for (const entry of this.pending.values()) this.settle(entry, outcome);
    void this.close();
  }
}
