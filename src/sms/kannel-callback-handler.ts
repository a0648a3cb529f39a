// HTTP endpoint for Kannel callbacks: GET …/dlr (dlr-url) and POST …/mo (post-url); validates everything, never throws.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toGatewayError } from '../errors';
import type { Logger } from '../log';
import { decodeKannelDlr, decodeKannelMo, type KannelDecoded } from './decode-kannel-callback';
import type { SmsInboundHandler } from './sms-transport';

/** Settings of the Kannel callback endpoint. */
export interface KannelCallbackOptions {
  /** Required `token` query value when set. */
  token?: string;
  maxBodyBytes: number;
  now: () => Date;
  logger: Logger;
}

/** A Node request handler (mount it in Koa with `ctx.respond = false`, or run it with `startKannelCallbackServer`). */
export type KannelCallbackHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Answers: 200 once the consumer took the item; 400/413/415 with a reason for bad input; 403 for a wrong
 * token; 404/405 for other paths and methods; 503 when the consumer is missing or failed transiently (so
 * smsbox may retry), 422 when it refused the item for good.
 */
export function createKannelCallbackHandler(options: KannelCallbackOptions, inbound: () => SmsInboundHandler | undefined): KannelCallbackHandler {
  const expectedToken = options.token === undefined ? undefined : Buffer.from(options.token);
  return (req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://callback');
    } catch {
      return answer(res, 400, 'the request target is no URL');
    }
    const route = url.pathname.endsWith('/dlr') ? 'dlr' : url.pathname.endsWith('/mo') ? 'mo' : undefined;
    if (!route) return answer(res, 404, 'unknown callback path');
    if (expectedToken && !sameToken(url.searchParams.get('token') ?? '', expectedToken)) return answer(res, 403, 'bad token');
    if (route === 'dlr') {
      if (req.method !== 'GET') return answer(res, 405, 'dlr-url callbacks are GET');
      return void deliver(options, inbound, res, decodeKannelDlr(url.searchParams, options.now()), (handler, receipt) => handler.receipt(receipt));
    }
    if (req.method !== 'POST') return answer(res, 405, 'post-url callbacks are POST');
    readBody(req, options.maxBodyBytes).then(
      (body) => {
        if (!body) return answer(res, 413, `body over ${options.maxBodyBytes} bytes`);
        void deliver(options, inbound, res, decodeKannelMo(req.headers, body, options.now()), (handler, sms) => handler.mobileOriginated(sms));
      },
      () => answer(res, 400, 'request body could not be read'),
    );
  };
}

/** Hand a decoded item to the consumer and answer smsbox according to the outcome. */
async function deliver<T>(
  options: KannelCallbackOptions,
  inbound: () => SmsInboundHandler | undefined,
  res: ServerResponse,
  decoded: KannelDecoded<T>,
  take: (handler: SmsInboundHandler, value: T) => Promise<void>,
): Promise<void> {
  if (!decoded.ok) {
    options.logger.warn({ status: decoded.status, reason: decoded.reason }, 'kannel callback refused');
    return answer(res, decoded.status, decoded.reason);
  }
  const handler = inbound();
  if (!handler) return answer(res, 503, 'no consumer yet');
  try {
    await take(handler, decoded.value);
    answer(res, 200, 'ok');
  } catch (error) {
    const failure = toGatewayError(error);
    options.logger.warn({ code: failure.code, transient: failure.transient }, 'kannel callback not taken');
    answer(res, failure.transient ? 503 : 422, failure.message);
  }
}

function sameToken(given: string, expected: Buffer): boolean {
  const candidate = Buffer.from(given);
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

/** The whole body, or undefined once it exceeds `limit` bytes (the rest is not buffered). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        return resolve(undefined);
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: status === 413 ? 'close' : 'keep-alive' });
  res.end(text);
}
