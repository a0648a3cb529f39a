// A DNS server on a loopback port (dns2 UDP+TCP, RFC 1035 §4.2, RFC 6891) answering from any DnsClient.
import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import DNS from 'dns2';
import type { DnsAnswer, DnsClient, DnsRecord } from './dns-client';
import { Packet, canonicalName, createOptResource, recordTypeOf, toWireResource, type WirePacket } from './dns-wire';

/** Where answers come from; a ZoneDnsClient also says which names it serves and gives their SOA. */
export interface EmbeddedDnsSource extends DnsClient {
  isAuthoritativeFor?(name: string): boolean;
  soaFor?(name: string): DnsRecord | undefined;
}

/** Where answers come from and where to listen. */
export interface EmbeddedDnsServerOptions {
  source: EmbeddedDnsSource;
  /** Loopback address to bind; default 127.0.0.1. */
  host?: string;
  /** Port for both UDP and TCP; default 0 (the OS picks one free on both). */
  port?: number;
  /** Wait this long before each response (a slow-server or relay simulation for benchmarks and tests). */
  delayMs?: number;
}

type Transport = 'udp' | 'tcp';
type Send = (response: WirePacket) => Promise<unknown> | void;

const PORT_ATTEMPTS = 10;

/**
 * Answers every question from `source`: RRsets with AA set, NXDOMAIN/NODATA with the zone's SOA in the
 * authority section (RFC 2308 §3), REFUSED for names the source is not authoritative for, SERVFAIL when the
 * source fails, NOTIMP for types the gateway does not model. UDP responses larger than the requester's EDNS
 * payload (512 without EDNS) go out with TC=1 and no records (dns2's UDP server).
 */
export class EmbeddedDnsServer {
  /** Questions received, by transport. */
  readonly queries: Record<Transport, number> = { udp: 0, tcp: 0 };
  private readonly connections = new Set<Socket>();

  private constructor(
    private readonly udp: DNS.UDPServer,
    private readonly tcp: DNS.TCPServer,
    private readonly options: EmbeddedDnsServerOptions,
    readonly host: string,
    readonly port: number,
  ) {
    udp.on('request', (request: WirePacket, send: Send) => void this.respond(request, send, 'udp'));
    tcp.on('request', (request: WirePacket, send: Send) => void this.respond(request, send, 'tcp'));
    tcp.on('connection', (socket: Socket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
    });
  }

  /** Bind UDP and TCP on one port (retrying when a port 0 pick is taken on TCP) and start answering. */
  static async start(options: EmbeddedDnsServerOptions): Promise<EmbeddedDnsServer> {
    const host = options.host ?? '127.0.0.1';
    for (let attempt = 1; ; attempt += 1) {
      const udp = DNS.createUDPServer({ type: host.includes(':') ? 'udp6' : 'udp4' });
      udp.on('error', () => undefined);
      const port = await new Promise<number>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(options.port ?? 0, host, () => resolve(udp.address().port));
      });
      const tcp = DNS.createTCPServer();
      try {
        await new Promise<void>((resolve, reject) => {
          tcp.once('error', reject);
          tcp.listen(port, host, () => resolve());
        });
        return new EmbeddedDnsServer(udp, tcp, options, host, port);
      } catch (error) {
        udp.close();
        if ((options.port ?? 0) !== 0 || attempt >= PORT_ATTEMPTS) throw error;
      }
    }
  }

  /** `HOST:PORT`, as config `dns.servers` takes it. */
  get address(): string {
    return this.host.includes(':') ? `[${this.host}]:${this.port}` : `${this.host}:${this.port}`;
  }

  /** Questions received over both transports. */
  get queryCount(): number {
    return this.queries.udp + this.queries.tcp;
  }

  /** Stop listening and drop open TCP connections. */
  async close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    await Promise.all([
      new Promise<void>((resolve) => this.udp.close(() => resolve())),
      new Promise<void>((resolve) => this.tcp.close(() => resolve())),
    ]);
  }

  private async respond(request: WirePacket, send: Send, transport: Transport): Promise<void> {
    this.queries[transport] += 1;
    const response = Packet.createResponseFromRequest(request);
    response.header.aa = 1;
    // RFC 6891 §6.1.1: a responder includes an OPT record when the request had one.
    if (request.additionals.some((resource) => resource.type === Packet.TYPE.EDNS)) response.additionals.push(createOptResource());
    response.header.rcode = await this.fill(request, response);
    if (this.options.delayMs) await delay(this.options.delayMs);
    try {
      await send(response);
    } catch {
      // The client went away (closed TCP connection): nothing to answer to.
    }
  }

  /** Put the answer into `response`; returns the RCODE. */
  private async fill(request: WirePacket, response: WirePacket): Promise<number> {
    const question = request.questions[0];
    if (request.errors.length > 0 || request.questions.length !== 1 || question === undefined) return Packet.RCODE.FORMERR;
    const type = recordTypeOf(question.type);
    if (type === undefined || question.class !== Packet.CLASS.IN) return Packet.RCODE.NOTIMP;
    const name = canonicalName(question.name);
    const { source } = this.options;
    if (source.isAuthoritativeFor !== undefined && !source.isAuthoritativeFor(name)) return Packet.RCODE.REFUSED;
    let answer: DnsAnswer;
    try {
      answer = await source.query(name, type);
    } catch {
      return Packet.RCODE.SERVFAIL;
    }
    if (answer.kind === 'answer') {
      response.answers = answer.records.map(toWireResource);
      return Packet.RCODE.NOERROR;
    }
    response.authorities = [toWireResource(negativeSoa(source.soaFor?.(name), name, answer.negativeTtlSeconds))];
    return answer.kind === 'nxdomain' ? Packet.RCODE.NXDOMAIN : Packet.RCODE.NOERROR;
  }
}

/** RFC 2308 §3: the SOA of a negative response carries TTL = min(SOA TTL, MINIMUM); synthesized if unknown. */
function negativeSoa(soa: DnsRecord | undefined, name: string, negativeTtlSeconds: number): DnsRecord {
  if (soa !== undefined && soa.data.type === 'SOA') return { ...soa, ttlSeconds: negativeTtlSeconds };
  const data = { mname: 'invalid', rname: 'invalid', serial: 0, refresh: 0, retry: 0, expire: 0, minimum: negativeTtlSeconds };
  return { name, ttlSeconds: negativeTtlSeconds, data: { type: 'SOA', soa: data } };
}
