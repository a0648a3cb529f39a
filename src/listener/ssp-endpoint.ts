// The SSP HTTP endpoint (ssp-profile §1): any path, POST only, content type and size checked before parsing.
import Koa from 'koa';
import getRawBody from 'raw-body';
import type { Logger } from '../log';
import type { GatewayMetrics } from '../metrics';
import { SspDecodeError, decodeSspMessage, encodeSspMessage, statusOf, type SspMessage } from '../ssp';
import type { SspNode } from './ssp-node';

const SSP_MEDIA_TYPE = 'application/vnd.wv.ssp+xml';

export interface SspEndpointOptions {
  node: SspNode;
  maxBodyBytes: number;
  logger: Logger;
  metrics?: GatewayMetrics;
}

/** Koa app for the SSP listener. Answers: 200 (taken; answers follow as POSTs), 400, 405, 413, 415. */
export function createSspEndpoint(options: SspEndpointOptions): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx) => {
    const refuse = (status: number, reason: string, body?: SspMessage | string) => {
      options.metrics?.sspRejectedRequests.inc({ reason });
      ctx.status = status;
      if (typeof body === 'string') ctx.body = body;
      else if (body) setSspBody(ctx, body);
    };
    if (ctx.method !== 'POST') return refuse(405, 'method', 'SSP accepts POST only');
    if (!isSspMediaType(ctx.get('content-type'))) return refuse(415, 'content_type', `content type must be ${SSP_MEDIA_TYPE}`);
    let raw: Buffer;
    try {
      raw = await getRawBody(ctx.req, { limit: options.maxBodyBytes, length: ctx.get('content-length') || undefined });
    } catch (error) {
      const status = (error as { status?: number }).status ?? 400;
      return refuse(status === 413 ? 413 : 400, status === 413 ? 'too_large' : 'unreadable_body', status === 413 ? `body exceeds ${options.maxBodyBytes} bytes` : 'request body could not be read');
    }
    let message: SspMessage;
    try {
      message = decodeSspMessage(raw, { maxBytes: options.maxBodyBytes });
    } catch (error) {
      if (!(error instanceof SspDecodeError)) throw error;
      options.logger.info({ remote: ctx.ip, err: error.message }, 'undecodable ssp request refused');
      return refuse(400, 'malformed', decodeRefusal(error));
    }
    const answer = await options.node.receive(message, remoteAddressOf(ctx));
    if (answer) setSspBody(ctx, answer);
    else ctx.body = ''; // "got it": an empty 200, the answer follows as its own POST (ssp-profile §1)
  });
  return app;
}

function isSspMediaType(contentType: string): boolean {
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase() === SSP_MEDIA_TYPE;
}

function setSspBody(ctx: Koa.Context, message: SspMessage): void {
  ctx.type = SSP_MEDIA_TYPE;
  ctx.body = encodeSspMessage(message);
}

function remoteAddressOf(ctx: Koa.Context): string {
  const address = ctx.req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** With a transactionID known, the refusal is an SSP Status the peer can tie to its request; else plain text. */
function decodeRefusal(error: SspDecodeError): SspMessage | string {
  const status = statusOf(error.impsStatus, error.message);
  if (error.transactionID === undefined) return error.message;
  if (error.sessionID !== undefined) {
    return { kind: 'session', sessionID: error.sessionID, transactions: [{ mode: 'Response', transactionID: error.transactionID, body: { kind: 'Status', status } }] };
  }
  return { kind: 'setup', mode: 'Response', transactionID: error.transactionID, body: { kind: 'Status', status } };
}
