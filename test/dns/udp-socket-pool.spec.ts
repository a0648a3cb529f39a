// NetworkDnsClient's UDP socket pool against a scripted server: multiplexing by id, forgeries, rotation, close.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import path from 'node:path';
import { NetworkDnsClient, type DnsAnswer, type DnsRecord } from '../../src/dns';
import type { WirePacket } from '../../src/dns/dns-wire';
import { GatewayError } from '../../src/errors';
import { reply, startScriptedServer, type Script, type ScriptedDnsServer } from './scripted-dns-server';

/** One NAPTR whose preference tells which reply a client took. */
const naptr = (name: string, preference: number): DnsRecord => ({
  name,
  ttlSeconds: 60,
  data: { type: 'NAPTR', naptr: { order: 10, preference, flags: 'u', services: 'E2U+im', regexp: `!^.*$!im:${preference}@imsp-b.test!`, replacement: '' } },
});
const preferenceOf = (answer: DnsAnswer): number => {
  const data = answer.kind === 'answer' ? answer.records[0]?.data : undefined;
  return data?.type === 'NAPTR' ? data.naptr.preference : -1;
};
const nameOf = (query: WirePacket): string => query.questions[0]?.name ?? '';
/** Distinct ENUM-looking names: index 7 → 7.0.0.0.9.7.4.e164.arpa */
const enumName = (index: number): string => `${String(index).padStart(4, '0').split('').reverse().join('.')}.9.7.4.e164.arpa`;
const indexOf = (name: string): number => Number(name.split('.').slice(0, 4).reverse().join(''));
const isTimeout = (error: unknown): boolean => error instanceof GatewayError && error.code === 'DNS_TIMEOUT' && error.transient;

/** Bind a UDP socket to `port`: the error code if that port is still held, else undefined. */
async function bindError(port: number): Promise<string | undefined> {
  const socket = createSocket('udp4');
  const code = await new Promise<string | undefined>((resolve) => {
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    socket.bind(port, '127.0.0.1', () => resolve(undefined));
  });
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return code;
}

/** In a fresh node process: one query, then close() or not. Its exit code and output once it exits by itself (null: killed). */
async function runChild(server: string, close: boolean): Promise<{ code: number | null; lines: string[] }> {
  const dnsModule = path.resolve(__dirname, '..', '..', 'src', 'dns');
  const script = [
    `const { NetworkDnsClient } = require(${JSON.stringify(dnsModule)});`,
    `const client = new NetworkDnsClient({ servers: [${JSON.stringify(server)}], timeoutMs: 5000, attempts: 1 });`,
    `client.query(${JSON.stringify(enumName(1))}, 'NAPTR')`,
    `  .then((answer) => { console.log(answer.kind); return ${close ? 'client.close()' : 'undefined'}; })`,
    `  .then(() => ${close ? "console.log('closed')" : 'undefined'});`,
  ].join('\n');
  // The bound only stops a child that never exits (the failure this looks for) from outliving the test run.
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(errors, '');
  return { code, lines: output.trim().split('\n') };
}

describe('NetworkDnsClient UDP socket pool', () => {
  const servers: ScriptedDnsServer[] = [];
  const clients: NetworkDnsClient[] = [];
  const start = async (script: Script): Promise<ScriptedDnsServer> => {
    const server = await startScriptedServer(script);
    servers.push(server);
    return server;
  };
  const clientFor = (server: ScriptedDnsServer, udpPool: ConstructorParameters<typeof NetworkDnsClient>[0]['udpPool'], timeoutMs = 2000, now?: () => number): NetworkDnsClient => {
    const client = new NetworkDnsClient({ servers: [server.address], timeoutMs, attempts: 1, udpPool }, now ? { now } : {});
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('carries 200 concurrent queries on one socket, each with its own id, answered in reverse order', async () => {
    const held: WirePacket[] = [];
    const server = await start((query) => {
      held.push(query);
      // Hold every reply until the last query is in, then answer newest first.
      return held.length < 200 ? [] : held.reverse().map((q) => reply(q, [naptr(nameOf(q), indexOf(nameOf(q)))]));
    });
    const client = clientFor(server, { socketsPerServer: 1 });
    const answers = await Promise.all(Array.from({ length: 200 }, (_, index) => client.query(enumName(index), 'NAPTR')));
    assert.deepEqual(answers.map(preferenceOf), Array.from({ length: 200 }, (_, index) => index));
    assert.equal(new Set(server.queries.map((q) => q.sourcePort)).size, 1);
    assert.equal(new Set(server.queries.map((q) => q.packet.header.id)).size, 200);
  });

  it('ignores answers that carry another outstanding query id or question, and takes the matching ones', async () => {
    const held: WirePacket[] = [];
    const server = await start((query) => {
      held.push(query);
      if (held.length < 2) return [];
      const [a, b] = held as [WirePacket, WirePacket];
      const crossed = (to: WirePacket, from: WirePacket): Buffer => reply(to, [naptr(nameOf(from), 666)], (r) => (r.questions = from.questions));
      const wrongId = (to: WirePacket): Buffer => reply(to, [naptr(nameOf(to), 667)], (r) => (r.header.id = (to.header.id ^ 0x5555) & 0xffff));
      return [crossed(a, b), crossed(b, a), wrongId(a), wrongId(b), reply(a, [naptr(nameOf(a), 1)]), reply(b, [naptr(nameOf(b), 2)])];
    });
    const client = clientFor(server, { socketsPerServer: 1 });
    const answers = await Promise.all([client.query(enumName(1), 'NAPTR'), client.query(enumName(2), 'NAPTR')]);
    assert.deepEqual(answers.map(preferenceOf), [1, 2]);
  });

  it('drops the late answer of a timed-out query: the next query for the same name takes its own', async () => {
    let first: WirePacket | undefined;
    const server = await start((query) => {
      if (first === undefined) {
        first = query;
        return [];
      }
      return [reply(first, [naptr(nameOf(first), 1)]), reply(query, [naptr(nameOf(query), 2)])];
    });
    const client = clientFor(server, { socketsPerServer: 1 }, 150);
    await assert.rejects(client.query(enumName(5), 'NAPTR'), isTimeout);
    assert.equal(preferenceOf(await client.query(enumName(5), 'NAPTR')), 2);
    const [one, two] = server.queries;
    assert.equal(one?.sourcePort, two?.sourcePort);
    assert.notEqual(one?.packet.header.id, two?.packet.header.id);
  });

  it('keeps one expiry timer per socket while timed-out queries are retried on it at once', async () => {
    const server = await start(() => []);
    const client = new NetworkDnsClient({ servers: [server.address], timeoutMs: 40, attempts: 4, udpPool: { socketsPerServer: 1 } });
    clients.push(client);
    const live = new Set<unknown>();
    let mostLive = 0;
    const realSetTimeout = globalThis.setTimeout;
    const realClearTimeout = globalThis.clearTimeout;
    globalThis.setTimeout = ((callback: () => void, ms?: number) => {
      const timer = realSetTimeout(() => {
        live.delete(timer);
        callback();
      }, ms);
      live.add(timer);
      mostLive = Math.max(mostLive, live.size);
      return timer;
    }) as typeof setTimeout;
    globalThis.clearTimeout = ((timer: Parameters<typeof clearTimeout>[0]) => {
      live.delete(timer);
      realClearTimeout(timer);
    }) as typeof clearTimeout;
    try {
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, index) => client.query(enumName(index), 'NAPTR')));
      assert.ok(outcomes.every((outcome) => outcome.status === 'rejected' && isTimeout(outcome.reason)));
    } finally {
      globalThis.setTimeout = realSetTimeout;
      globalThis.clearTimeout = realClearTimeout;
    }
    assert.ok(mostLive <= 2, `at most 2 timers at once (expiry, and one being replaced), saw ${mostLive}`);
  });

  it('replaces a socket with one on a new port after maxQueriesPerSocket queries', async () => {
    const server = await start((query) => [reply(query, [naptr(nameOf(query), 1)])]);
    const client = clientFor(server, { socketsPerServer: 1, maxQueriesPerSocket: 3 });
    for (let index = 0; index < 9; index += 1) await client.query(enumName(index), 'NAPTR');
    const ports = server.queries.map((q) => q.sourcePort);
    assert.deepEqual(ports, [0, 0, 0, 3, 3, 3, 6, 6, 6].map((first) => ports[first]));
    // The OS picks each new port at random; both rotations landing on the port just freed is ~1 in 10^9.
    assert.ok(new Set(ports).size >= 2, `ports ${ports.join(', ')}`);
  });

  it('replaces a socket once it is maxSocketAgeMs old, on the injected clock', async () => {
    let nowMs = 0;
    const server = await start((query) => [reply(query, [naptr(nameOf(query), 1)])]);
    const client = clientFor(server, { socketsPerServer: 1, maxSocketAgeMs: 30_000 }, 2000, () => nowMs);
    for (const at of [0, 29_999, 30_000, 59_999]) {
      nowMs = at;
      await client.query(enumName(at % 10_000), 'NAPTR');
    }
    const ports = server.queries.map((q) => q.sourcePort);
    assert.equal(ports[0], ports[1]);
    assert.equal(ports[2], ports[3]);
    assert.notEqual(ports[1], ports[2]);
  });

  it('spreads queries over socketsPerServer sockets', async () => {
    const server = await start((query) => [reply(query, [naptr(nameOf(query), 1)])]);
    const client = clientFor(server, { socketsPerServer: 4 });
    await Promise.all(Array.from({ length: 100 }, (_, index) => client.query(enumName(index), 'NAPTR')));
    // A random choice per query: all four used unless 100 draws missed one (4 × 0.75^100 ≈ 10^-12).
    assert.equal(new Set(server.queries.map((q) => q.sourcePort)).size, 4);
  });

  it('close() fails outstanding queries, frees every port and refuses later queries', async () => {
    const server = await start((query) => (indexOf(nameOf(query)) < 50 ? [reply(query, [naptr(nameOf(query), 1)])] : []));
    const client = clientFor(server, { socketsPerServer: 4 });
    await Promise.all(Array.from({ length: 50 }, (_, index) => client.query(enumName(index), 'NAPTR')));
    const ports = [...new Set(server.queries.map((q) => q.sourcePort))];
    assert.equal(await bindError(ports[0] as number), 'EADDRINUSE');
    const outstanding = client.query(enumName(99), 'NAPTR');
    await client.close();
    await assert.rejects(outstanding, isTimeout);
    assert.deepEqual(await Promise.all(ports.map(bindError)), ports.map(() => undefined));
    await assert.rejects(client.query(enumName(1), 'NAPTR'), (error: unknown) => isTimeout(error) && /cancelled/.test((error as Error).message));
  });

  it('keeps the process alive while a query is outstanding and lets it exit after close()', async () => {
    const server = await start((query) => [reply(query, [naptr(nameOf(query), 1)])]);
    assert.deepEqual(await runChild(server.address, true), { code: 0, lines: ['answer', 'closed'] });
  });

  it('never holds the process open when idle, even without close() (CLIs, test helpers)', async () => {
    const server = await start((query) => [reply(query, [naptr(nameOf(query), 1)])]);
    assert.deepEqual(await runChild(server.address, false), { code: 0, lines: ['answer'] });
  });

  it('rejects pool limits out of range with CONFIG_INVALID', () => {
    for (const udpPool of [{ socketsPerServer: 0 }, { socketsPerServer: 1.5 }, { maxQueriesPerSocket: 40_000 }, { maxSocketAgeMs: 0 }]) {
      assert.throws(
        () => new NetworkDnsClient({ servers: ['127.0.0.1:53'], timeoutMs: 100, attempts: 1, udpPool }),
        (error: unknown) => error instanceof GatewayError && error.code === 'CONFIG_INVALID',
      );
    }
  });
});
