// Child process (entry point) hosting FastSspPeers — IMPS cores and peer domains under load — driven over IPC.
import { serveRpc } from './child-rpc';
import { FastSspPeer } from './fast-ssp-peer';
import { runClosedLoop, runOpenLoop, type SendOne } from './load-driver';
import type { PeerReport, PeerStart, Traffic } from './peer-process';

const peers = new Map<string, FastSspPeer>();

function peerNamed(payload: Record<string, unknown>): FastSspPeer {
  const peer = peers.get(String(payload.name));
  if (!peer) throw new Error(`no peer named ${String(payload.name)}`);
  return peer;
}

function sender(peer: FastSspPeer, traffic: Traffic): SendOne {
  return (index, done) => {
    const n = traffic.offset + index;
    peer.originate(`wv:+${traffic.first + (n % traffic.count)}`, traffic.sender, done, traffic.messagePrefix === undefined ? undefined : `${traffic.messagePrefix}${n}`);
  };
}

function report(peer: FastSspPeer, expect?: { prefix: string; count: number }): PeerReport {
  let duplicates = 0;
  for (const times of peer.messageCounts.values()) duplicates += times - 1;
  let missing = 0;
  if (expect) for (let n = 0; n < expect.count; n += 1) if (!peer.messageCounts.has(`${expect.prefix}${n}`)) missing += 1;
  return { ...peer.counters, lastRefusal: peer.lastRefusal, distinct: peer.messageCounts.size, duplicates, missing };
}

serveRpc({
  start: async (payload) => {
    const options = payload as unknown as PeerStart;
    const peer = await FastSspPeer.start(options);
    peers.set(options.name, peer);
    return { url: peer.url };
  },
  connect: (payload) => peerNamed(payload).connect(String(payload.remoteUrl), String(payload.remoteDomain)),
  establish: async (payload) => ({ sessionID: await peerNamed(payload).establish() }),
  closed: (payload) =>
    runClosedLoop(sender(peerNamed(payload), payload.traffic as Traffic), {
      concurrency: Number(payload.concurrency),
      warmupMs: Number(payload.warmupMs),
      durationMs: Number(payload.durationMs),
      ...(payload.maxSends !== undefined ? { maxSends: Number(payload.maxSends) } : {}),
    }),
  open: (payload) =>
    runOpenLoop(sender(peerNamed(payload), payload.traffic as Traffic), {
      ratePerSecond: Number(payload.ratePerSecond),
      durationMs: Number(payload.durationMs),
      maxOutstanding: Number(payload.maxOutstanding ?? 20_000),
    }),
  counters: (payload) => report(peerNamed(payload), payload.expect as { prefix: string; count: number } | undefined),
});
