// UndiciPeerClient against a real loopback HTTP server that misbehaves mid-answer.
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UndiciPeerClient } from '../../src/delivery';
import { GatewayError } from '../../src/errors';

describe('UndiciPeerClient', () => {
  let server: Server;
  let url: string;
  before(async () => {
    // Promises 100 octets of answer, sends 10, then drops the connection.
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-length': 100 });
        response.write('<?xml ver');
        setTimeout(() => response.socket?.destroy(), 20);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reports a connection lost while the answer body arrives as a transient PEER_UNREACHABLE (retried, not failed)', async () => {
    const client = new UndiciPeerClient({ connectionsPerOrigin: 1, timeoutMs: 2000 });
    try {
      await assert.rejects(client.post(url, '<WV-CSP-Message/>'), (error: unknown) => error instanceof GatewayError && error.code === 'PEER_UNREACHABLE' && error.transient);
    } finally {
      await client.close();
    }
  });
});
