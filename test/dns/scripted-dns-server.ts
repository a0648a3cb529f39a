// A loopback DNS responder whose every reply a test scripts: spoofed ids, wrong questions, TC with partial data.
import { createSocket, type RemoteInfo } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import { Packet, toWireResource, type WirePacket } from '../../src/dns/dns-wire';
import type { DnsRecord } from '../../src/dns';

/** The transport a query arrived on. */
export type Transport = 'udp' | 'tcp';

/** A query as the scripted server saw it. */
export interface ReceivedQuery {
  packet: WirePacket;
  transport: Transport;
  sourcePort: number;
}

/** Replies to send for one query (in order; none = stay silent). */
export type Script = (query: WirePacket, transport: Transport) => Buffer[];

/** A running scripted server and the queries it received. */
export interface ScriptedDnsServer {
  address: string;
  port: number;
  queries: ReceivedQuery[];
  close(): Promise<void>;
}

/** Build a response to `query` with `records` in the answer section; `edit` adjusts it before encoding. */
export function reply(query: WirePacket, records: DnsRecord[], edit: (response: WirePacket) => void = () => undefined): Buffer {
  const response = Packet.createResponseFromRequest(query);
  response.header.aa = 1;
  response.answers = records.map(toWireResource);
  edit(response);
  return response.toBuffer();
}

/** Start UDP and TCP on one loopback port (port 0 → the OS picks; retried if TCP finds it taken). */
export async function startScriptedServer(script: Script): Promise<ScriptedDnsServer> {
  for (;;) {
    const udp = createSocket('udp4');
    const port = await new Promise<number>((resolve) => udp.bind(0, '127.0.0.1', () => resolve(udp.address().port)));
    const sockets = new Set<Socket>();
    const queries: ReceivedQuery[] = [];
    const tcp = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        if (buffered.length < 2 || buffered.length < 2 + buffered.readUInt16BE(0)) return;
        const packet = Packet.parse(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
        queries.push({ packet, transport: 'tcp', sourcePort: socket.remotePort ?? 0 });
        for (const out of script(packet, 'tcp')) socket.write(Buffer.concat([Buffer.from([out.length >> 8, out.length & 0xff]), out]));
      });
    });
    udp.on('message', (message: Buffer, remote: RemoteInfo) => {
      const packet = Packet.parse(message);
      queries.push({ packet, transport: 'udp', sourcePort: remote.port });
      for (const out of script(packet, 'udp')) udp.send(out, remote.port, remote.address);
    });
    const listening = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!listening) {
      udp.close();
      continue;
    }
    const close = async (): Promise<void> => {
      for (const socket of sockets) socket.destroy();
      await Promise.all([new Promise<void>((resolve) => udp.close(() => resolve())), new Promise<void>((resolve) => tcp.close(() => resolve()))]);
    };
    return { address: `127.0.0.1:${port}`, port, queries, close };
  }
}

/** A UDP port that receives and never answers: "a server that is down" without ICMP errors. */
export async function startSilentServer(): Promise<{ address: string; received: () => number; close(): Promise<void> }> {
  const udp = createSocket('udp4');
  let received = 0;
  udp.on('message', () => (received += 1));
  const port = await new Promise<number>((resolve) => udp.bind(0, '127.0.0.1', () => resolve(udp.address().port)));
  return { address: `127.0.0.1:${port}`, received: () => received, close: () => new Promise<void>((resolve) => udp.close(() => resolve())) };
}
