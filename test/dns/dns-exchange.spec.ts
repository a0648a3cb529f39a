// NetworkDnsClient's wire discipline against a scripted server: RFC 5452 checks, EDNS0, TC handling, bad data.
import { strict as assert } from 'node:assert';
import { NetworkDnsClient, type DnsRecord } from '../../src/dns';
import { Packet } from '../../src/dns/dns-wire';
import { GatewayError } from '../../src/errors';
import { reply, startScriptedServer, type Script, type ScriptedDnsServer } from './scripted-dns-server';

const NAME = '1.0.0.0.0.0.0.9.7.4.e164.arpa';
const naptrRecord = (preference: number, name = NAME): DnsRecord => ({
  name,
  ttlSeconds: 60,
  data: { type: 'NAPTR', naptr: { order: 10, preference, flags: 'u', services: 'E2U+im', regexp: `!^.*$!im:+4790000001@imsp-${preference}.test!`, replacement: '' } },
});
const twenty = Array.from({ length: 20 }, (_, i) => naptrRecord(100 + i));
const preferences = (records: DnsRecord[]): number[] => records.map((r) => (r.data.type === 'NAPTR' ? r.data.naptr.preference : -1));

describe('NetworkDnsClient wire discipline', () => {
  const servers: ScriptedDnsServer[] = [];
  const start = async (script: Script): Promise<ScriptedDnsServer> => {
    const server = await startScriptedServer(script);
    servers.push(server);
    return server;
  };
  const clientFor = (...addresses: string[]): NetworkDnsClient => new NetworkDnsClient({ servers: addresses, timeoutMs: 2000, attempts: 1 });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('sends RD and an OPT record advertising 1232 octets, and a fresh random id per query', async () => {
    const server = await start((query) => [reply(query, [naptrRecord(100)])]);
    const client = clientFor(server.address);
    for (let i = 0; i < 5; i += 1) await client.query(NAME, 'NAPTR');
    const opt = server.queries[0]?.packet.additionals.find((r) => r.type === Packet.TYPE.EDNS);
    assert.equal(opt?.class, 1232);
    assert.equal(server.queries[0]?.packet.header.rd, 1);
    // Random 16-bit ids (never reused on one socket; across the pool's sockets allow one chance collision).
    assert.ok(new Set(server.queries.map((q) => q.packet.header.id)).size >= 4);
    await client.close();
  });

  it('sends every query from a random ephemeral port when each socket carries one query', async () => {
    const server = await start((query) => [reply(query, [naptrRecord(100)])]);
    const client = new NetworkDnsClient({ servers: [server.address], timeoutMs: 2000, attempts: 1, udpPool: { socketsPerServer: 1, maxQueriesPerSocket: 1 } });
    for (let i = 0; i < 5; i += 1) await client.query(NAME, 'NAPTR');
    // RFC 5452 §9.2 at its strictest: a new port per query (the OS may hand back a freed port by chance).
    assert.ok(new Set(server.queries.map((q) => q.sourcePort)).size >= 4);
    await client.close();
  });

  it('drops responses with a wrong id or a wrong question and takes the matching one', async () => {
    const server = await start((query) => [
      reply(query, [naptrRecord(1)], (r) => (r.header.id = (query.header.id + 1) & 0xffff)),
      reply(query, [naptrRecord(2)], (r) => (r.questions = [new Packet.Question('evil.test', 35, 1)])),
      reply(query, [naptrRecord(3)]),
    ]);
    const answer = await clientFor(server.address).query(NAME, 'NAPTR');
    assert.deepEqual(preferences(answer.kind === 'answer' ? answer.records : []), [3]);
  });

  it('ignores the partial answer of a truncated UDP response and takes the full one over TCP', async () => {
    // BIND's habit (real-peers.md §3): TC=1 with the first 5 of 20 records.
    const server = await start((query, transport) =>
      transport === 'udp' ? [reply(query, twenty.slice(0, 5), (r) => (r.header.tc = 1))] : [reply(query, twenty)],
    );
    const answer = await clientFor(server.address).query(NAME, 'NAPTR');
    assert.deepEqual(preferences(answer.kind === 'answer' ? answer.records : []), twenty.map((_, i) => 100 + i));
    assert.deepEqual(server.queries.map((q) => q.transport), ['udp', 'tcp']);
  });

  it('moves on after SERVFAIL and reports DNS_SERVFAIL when no server is left', async () => {
    const failing = await start((query) => [reply(query, [], (r) => (r.header.rcode = Packet.RCODE.SERVFAIL))]);
    const good = await start((query) => [reply(query, [naptrRecord(7)])]);
    const answer = await clientFor(failing.address, good.address).query(NAME, 'NAPTR');
    assert.equal(answer.server, good.address);
    await assert.rejects(clientFor(failing.address).query(NAME, 'NAPTR'), (error: unknown) => error instanceof GatewayError && error.code === 'DNS_SERVFAIL' && error.transient && /SERVFAIL/.test(error.message));
  });

  it('rejects malformed NAPTR RDATA with DNS_MALFORMED', async () => {
    const server = await start((query) => {
      const wire = reply(query, [naptrRecord(100)]);
      wire[wire.length - 1] = 0x07; // the REPLACEMENT root label becomes a label running past the RDATA
      return [wire];
    });
    await assert.rejects(clientFor(server.address).query(NAME, 'NAPTR'), (error: unknown) => error instanceof GatewayError && error.code === 'DNS_MALFORMED' && /NAPTR/.test(error.message));
  });

  it('treats a response cut short over TCP as malformed', async () => {
    const server = await start((query, transport) => (transport === 'udp' ? [reply(query, [], (r) => (r.header.tc = 1))] : [reply(query, twenty).subarray(0, 40)]));
    await assert.rejects(clientFor(server.address).query(NAME, 'NAPTR'), (error: unknown) => error instanceof GatewayError && error.code === 'DNS_MALFORMED');
  });

  it('gives NODATA when the answer section holds only other names', async () => {
    const server = await start((query) => [reply(query, [naptrRecord(1, 'other.test')])]);
    assert.equal((await clientFor(server.address).query(NAME, 'NAPTR')).kind, 'nodata');
  });
});
