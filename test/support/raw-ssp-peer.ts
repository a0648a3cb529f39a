// A hand-driven SSP peer for hostile-input tests: raw POSTs out, every POST it receives decoded and recorded.
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeSspMessage, encodeSspMessage, type SspMessage } from '../../src/ssp';

export const SSP_TYPE = 'application/vnd.wv.ssp+xml';

export class RawSspPeer extends EventEmitter<{ message: [SspMessage] }> {
  readonly received: SspMessage[] = [];
  private server: Server | undefined;

  /** Listen on `port` (0 = any) and record every SSP message posted to us. */
  async listen(port = 0): Promise<number> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        res.end();
        const message = decodeSspMessage(Buffer.concat(chunks));
        this.received.push(message);
        this.emit('message', message);
      });
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export async function postRaw(url: string, body: string | Buffer, contentType = SSP_TYPE): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': contentType } });
  return { status: response.status, text: await response.text() };
}

export async function postMessage(url: string, message: SspMessage): Promise<{ status: number; answer: SspMessage | null }> {
  const { status, text } = await postRaw(url, encodeSspMessage(message));
  return { status, answer: text.trim() ? decodeSspMessage(text) : null };
}
