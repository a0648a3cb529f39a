// Child process (entry point): a DNS server that adds a fixed delay to every answer — a slow ENUM backend.
import { EmbeddedDnsServer, NetworkDnsClient, ZoneDnsClient, type EmbeddedDnsSource } from '../../src/dns';
import { serveRpc } from './child-rpc';

/*
 * `zone`: answers from generated zone files in this process. `knot`: relays every question to an authoritative
 * server (knotd) through NetworkDnsClient, as a caching-free recursive hop in front of the ENUM tier would.
 * Either way each answer leaves `delayMs` after its question arrived (EmbeddedDnsServer's `delayMs`), like a
 * resolver a few milliseconds away; queries are served concurrently, so the delay adds latency, not a queue.
 */

let server: EmbeddedDnsServer | undefined;

function sourceOf(payload: Record<string, unknown>): EmbeddedDnsSource {
  if (payload.backend === 'zone') return new ZoneDnsClient(payload.zoneFiles as string[]);
  return new NetworkDnsClient({ servers: [String(payload.upstream)], timeoutMs: 2000, attempts: 2 });
}

serveRpc({
  start: async (payload) => {
    server = await EmbeddedDnsServer.start({ source: sourceOf(payload), delayMs: Number(payload.delayMs) });
    return { address: server.address };
  },
  counters: () => ({ queries: server?.queryCount ?? 0 }),
});
