// Standalone HTTP listener for Kannel callbacks (dlr-url, post-url) when the gateway does not mount the handler itself.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../errors';
import type { KannelCallbackHandler } from './kannel-callback-handler';

/** A listening callback server. */
export interface RunningKannelCallbackServer {
  /** Base URL to give KannelTransport as `callbackUrl` (and to smsbox's post-url, plus `/mo`). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listen on `listen` (HOST:PORT; port 0 = chosen by the OS) and serve `handler`. */
export async function startKannelCallbackServer(listen: string, handler: KannelCallbackHandler): Promise<RunningKannelCallbackServer> {
  const match = /^(.+):(\d{1,5})$/.exec(listen);
  if (!match) throw new GatewayError('CONFIG_INVALID', `callback listen address ${JSON.stringify(listen)} is not HOST:PORT`);
  const host = (match[1] ?? '').replace(/^\[(.*)\]$/, '$1');
  const server = createServer(handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(match[2]), host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
