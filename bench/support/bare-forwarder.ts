// The named baseline of gateway-throughput: a bare Node HTTP forwarder carrying SSP bodies (ssp-profile §1).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { SSP_CONTENT_TYPE } from '../../src/delivery';
import { serveRpc } from './child-rpc';

/*
 * What is fair. Per message the gateway makes four HTTP exchanges: core → gateway (request), gateway → peer
 * (request), peer → gateway (answer POST), gateway → core (answer POST); each is answered with an empty
 * "got it" 200 (ssp-profile §1: answers are asynchronous). This forwarder makes the same four with the same
 * bytes: a POST from the origin side is answered 200 and POSTed on to the sink; a POST whose body is an
 * answer (`mode="Response"`) is answered 200 and POSTed back to the origin. Same HTTP server (node:http, which
 * Koa sits on), same client (an undici Pool with the gateway's 16 connections per origin), same load peers.
 * It does none of the gateway's work: no XML decode/encode, no session check, no durable write, no routing,
 * no ENUM, no id mapping, no metrics, no logging. The ratio therefore prices exactly that work.
 */

let sinkPool: Pool | undefined;
let originPool: Pool | undefined;
let forwardErrors = 0;
const HEADERS = { 'content-type': SSP_CONTENT_TYPE };

function forward(pool: Pool, body: Buffer): void {
  pool.request({ path: '/', method: 'POST', headers: HEADERS, body }).then(
    (response) => response.body.dump(),
    () => (forwardErrors += 1),
  );
}

function onRequest(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    res.end();
    const isAnswer = body.includes('mode="Response"');
    forward((isAnswer ? originPool : sinkPool) as Pool, body);
  });
}

serveRpc({
  start: async (payload) => {
    const connections = Number(payload.connections ?? 16);
    sinkPool = new Pool(new URL(String(payload.sinkUrl)).origin, { connections, keepAliveTimeout: 30_000 });
    originPool = new Pool(new URL(String(payload.originUrl)).origin, { connections, keepAliveTimeout: 30_000 });
    const server = createServer(onRequest);
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
  },
  counters: () => ({ forwardErrors }),
});
