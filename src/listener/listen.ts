// Bind an HTTP(S) server to HOST:PORT (port 0 = the OS chooses) and report the address it really got.
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  caFile?: string;
  requestClientCert?: boolean;
}

export interface BoundServer {
  server: Server;
  host: string;
  port: number;
  /** Stop accepting; requests in progress get `graceMs` to finish. */
  close(graceMs?: number): Promise<void>;
}

export function splitHostPort(hostPort: string): { host: string; port: number } {
  const colon = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(hostPort.slice(colon + 1)) };
}

export async function listen(hostPort: string, handler: RequestListener, tls?: TlsFiles): Promise<BoundServer> {
  const { host, port } = splitHostPort(hostPort);
  const server: Server = tls
    ? createHttpsServer(
        {
          cert: readFileSync(tls.certFile),
          key: readFileSync(tls.keyFile),
          ...(tls.caFile ? { ca: readFileSync(tls.caFile) } : {}),
          requestCert: tls.requestClientCert ?? false,
          rejectUnauthorized: tls.requestClientCert ?? false,
        },
        handler,
      )
    : createHttpServer(handler);
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    host,
    port: address.port,
    close: (graceMs = 5000) =>
      new Promise<void>((resolve) => {
        // Keep-alive connections become idle as their last response goes out: close them as they do; requests
        // still in progress get a grace period to finish, then their connections are cut.
        const idleSweep = setInterval(() => server.closeIdleConnections(), 25);
        const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearInterval(idleSweep);
          clearTimeout(deadline);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
