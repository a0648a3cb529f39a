// Long-lived connected UDP sockets per DNS server, rotated to keep source ports unpredictable (RFC 5452 §9.2).
import { GatewayError } from '../errors';
import type { DnsServerAddress, ExchangeOutcome } from './dns-exchange';
import { MAX_QUERIES_PER_SOCKET, PooledUdpSocket, type ExchangeDone } from './pooled-udp-socket';
import { randomUint16 } from './random-uint16';

/** How many sockets each server gets and when a socket is replaced by one on a new random port. */
export interface UdpSocketPoolOptions {
  /** Sockets per server; each query picks one at random. */
  socketsPerServer: number;
  /** A socket is replaced after this many queries (at most 32,768: ids are never reused on one socket). */
  maxQueriesPerSocket: number;
  /** A socket is replaced once it is this old, however few queries it carried. */
  maxSocketAgeMs: number;
}

/** Defaults: 4 sockets per server, each replaced after 1,000 queries or 30 s. */
export const DEFAULT_UDP_SOCKET_POOL: Readonly<UdpSocketPoolOptions> = Object.freeze({
  socketsPerServer: 4,
  maxQueriesPerSocket: 1000,
  maxSocketAgeMs: 30_000,
});

const CLOSED: ExchangeOutcome = { ok: false, kind: 'network', detail: 'DNS client closed' };

/**
 * Multiplexes queries over `socketsPerServer` connected sockets per server instead of opening one per query:
 * creating a socket per query costs more than everything else a cold look-up does.
 *
 * The trade-off against RFC 5452 §9.2 (a random source port per query): an off-path forger must still match
 * the 16-bit random id, the question and the source address, and guess the destination port among the ~28,000
 * ephemeral ports, but any of the server's open sockets will do, which takes log2(socketsPerServer) bits off
 * the port's entropy (2 bits with 4 sockets), and a port stays valid for up to `maxQueriesPerSocket` queries
 * or `maxSocketAgeMs` instead of one round trip. Ids are never reused on a socket, so a forged or late answer
 * can never match a later query. Rotation bounds how long a learned port is useful; fewer, longer-lived
 * sockets are faster, more and shorter-lived ones closer to the RFC's one port per query.
 */
export class UdpSocketPool {
  private readonly slots = new Map<DnsServerAddress, Array<PooledUdpSocket | undefined>>();
  private readonly open = new Set<PooledUdpSocket>();
  private closed = false;

  /**
   * @param timeoutMs deadline of each query
   * @param now monotonic clock in milliseconds for socket age (injected by rotation tests)
   * @throws GatewayError CONFIG_INVALID for a limit out of range
   */
  constructor(
    private readonly options: UdpSocketPoolOptions,
    private readonly timeoutMs: number,
    private readonly now: () => number,
  ) {
    const { socketsPerServer, maxQueriesPerSocket, maxSocketAgeMs } = options;
    if (!Number.isInteger(socketsPerServer) || socketsPerServer < 1 || socketsPerServer > 64) throw invalid('socketsPerServer must be an integer from 1 to 64');
    if (!Number.isInteger(maxQueriesPerSocket) || maxQueriesPerSocket < 1 || maxQueriesPerSocket > MAX_QUERIES_PER_SOCKET) {
      throw invalid(`maxQueriesPerSocket must be an integer from 1 to ${MAX_QUERIES_PER_SOCKET}`);
    }
    if (!(maxSocketAgeMs > 0)) throw invalid('maxSocketAgeMs must be positive');
  }

  /**
   * Send `query` to `server` on one of its sockets (the socket writes the id into the first two octets) and
   * tell `done` the matching response, the deadline, or `signal`. After close() every exchange fails at once
   * (`done` is then called synchronously).
   */
  exchange(server: DnsServerAddress, query: Buffer, name: string, typeCode: number, signal: AbortSignal | undefined, done: ExchangeDone): void {
    if (this.closed) return done(CLOSED);
    this.socketFor(server).exchange(query, name, typeCode, signal, done);
  }

  /** Fail outstanding queries, close every socket (rotated ones still draining too) and take no more queries. */
  async close(): Promise<void> {
    this.closed = true;
    this.slots.clear();
    await Promise.all([...this.open].map((socket) => socket.close()));
  }

  /** A random socket of the server's; a fresh one on a new port if that one is due for rotation. */
  private socketFor(server: DnsServerAddress): PooledUdpSocket {
    let slots = this.slots.get(server);
    if (slots === undefined) {
      slots = new Array<PooledUdpSocket | undefined>(this.options.socketsPerServer).fill(undefined);
      this.slots.set(server, slots);
    }
    // The modulo bias (at most 64 / 65,536) does not matter for spreading queries over sockets.
    const index = slots.length === 1 ? 0 : randomUint16() % slots.length;
    const current = slots[index];
    const now = this.now();
    if (current !== undefined && current.usable && current.sent < this.options.maxQueriesPerSocket && now - current.openedAtMs < this.options.maxSocketAgeMs) {
      return current;
    }
    // The old socket keeps its port until its outstanding queries are answered or expire.
    current?.retire();
    const fresh = new PooledUdpSocket(server, this.timeoutMs, now, (socket) => this.open.delete(socket));
    this.open.add(fresh);
    slots[index] = fresh;
    return fresh;
  }
}

function invalid(detail: string): GatewayError {
  return new GatewayError('CONFIG_INVALID', `dns UDP socket pool: ${detail}`, { impsStatus: 500 });
}
