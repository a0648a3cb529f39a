// The SSP HTTP endpoint (ssp-profile §1): any path, POST only, content type and size checked before parsing.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
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

/**
 * Request listener for the SSP port. Answers: 200 (taken; answers follow as POSTs), 400, 405, 413, 415, and
 * 500 if handling fails. A plain node:http listener, not Koa as on the admin port: every peer POST passes
 * here, and Koa's per-request context cost half as much again as the HTTP exchange itself (measured).
 */
export function createSspEndpoint(options: SspEndpointOptions): RequestListener {
  return (req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      options.logger.error({ remote: remoteAddressOf(req), err: error }, 'ssp request failed');
      if (!res.headersSent) reply(res, 500, 'internal error');
      else res.destroy();
    });
  };
}

async function handle(options: SspEndpointOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const refuse = (status: number, reason: string, body: SspMessage | string) => {
    options.metrics?.sspRejectedRequests.inc({ reason });
    if (typeof body === 'string') reply(res, status, body);
    else replySsp(res, status, body);
  };
  if (req.method !== 'POST') return refuse(405, 'method', 'SSP accepts POST only');
  if (!isSspMediaType(req.headers['content-type'] ?? '')) return refuse(415, 'content_type', `content type must be ${SSP_MEDIA_TYPE}`);
  let raw: Buffer;
  try {
    raw = await getRawBody(req, { limit: options.maxBodyBytes, length: req.headers['content-length'] });
  } catch (error) {
    const status = (error as { status?: number }).status ?? 400;
    return refuse(status === 413 ? 413 : 400, status === 413 ? 'too_large' : 'unreadable_body', status === 413 ? `body exceeds ${options.maxBodyBytes} bytes` : 'request body could not be read');
  }
  let message: SspMessage;
  try {
    message = decodeSspMessage(raw, { maxBytes: options.maxBodyBytes });
  } catch (error) {
    if (!(error instanceof SspDecodeError)) throw error;
    options.logger.info({ remote: remoteAddressOf(req), err: error.message }, 'undecodable ssp request refused');
    return refuse(400, 'malformed', decodeRefusal(error));
  }
  const answer = await options.node.receive(message, remoteAddressOf(req));
  if (answer) replySsp(res, 200, answer);
  else reply(res, 200, ''); // "got it": an empty 200, the answer follows as its own POST (ssp-profile §1)
}

function reply(res: ServerResponse, status: number, text: string): void {
  if (text === '') {
    // Headers alone go out in one write; an empty body chunk would make it a writev of two.
    res.writeHead(status, { 'content-length': 0 }).end();
    return;
  }
  const body = Buffer.from(text);
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length }).end(body);
}

function replySsp(res: ServerResponse, status: number, message: SspMessage): void {
  const body = Buffer.from(encodeSspMessage(message));
  res.writeHead(status, { 'content-type': SSP_MEDIA_TYPE, 'content-length': body.length }).end(body);
}

function isSspMediaType(contentType: string): boolean {
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase() === SSP_MEDIA_TYPE;
}

function remoteAddressOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
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
