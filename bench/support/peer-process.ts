// The parent's side of bench/support/peer-process-main: typed calls to a process hosting FastSspPeers.
import path from 'node:path';
import { spawnRpcChild, type RpcChild } from './child-rpc';
import type { FastSspPeerOptions } from './fast-ssp-peer';
import type { ClosedLoopOptions, ClosedLoopResult, OpenLoopOptions, OpenLoopResult } from './load-driver';

/** Which transactions a load run sends: recipients `wv:+<first + (offset + i) mod count>` from one sender. */
export interface Traffic {
  sender: string;
  first: number;
  count: number;
  offset: number;
  /** When set, message ids are `<prefix><offset + i>` (so a sink can tell exactly which ones arrived). */
  messagePrefix?: string;
}

/** How to start one peer inside the process. */
export interface PeerStart extends FastSspPeerOptions {
  name: string;
}

/** A peer's counts plus, when asked, how many expected message ids never arrived. */
export interface PeerReport {
  requestsIn: number;
  answersIn: number;
  fullPath: number;
  postErrors: number;
  refusals: number;
  postsOut: number;
  lastRefusal: string;
  firstRequestAtMs: number;
  lastNewRequestAtMs: number;
  distinct: number;
  duplicates: number;
  missing: number;
}

/** A helper process with named peers in it. */
export class PeerProcess {
  private constructor(private readonly child: RpcChild) {}

  /** Spawn the process, pinned to `cpu` when given (see GATEWAY_CPU in bench-gateway-config). */
  static spawn(options: { cpu?: number } = {}): PeerProcess {
    return new PeerProcess(spawnRpcChild(path.join(__dirname, 'peer-process-main.js'), options));
  }

  get pid(): number {
    return this.child.pid;
  }

  /** Start a peer; resolves with its SSP URL. */
  async start(options: PeerStart): Promise<string> {
    return (await this.child.call<{ url: string }>('start', { ...options })).url;
  }

  connect(name: string, remoteUrl: string, remoteDomain: string): Promise<void> {
    return this.child.call('connect', { name, remoteUrl, remoteDomain });
  }

  /** Set the SSP session up before load (ssp-profile §4). */
  async establish(name: string): Promise<string> {
    return (await this.child.call<{ sessionID: string }>('establish', { name })).sessionID;
  }

  closed(name: string, traffic: Traffic, loop: ClosedLoopOptions): Promise<ClosedLoopResult> {
    return this.child.call('closed', { name, traffic, ...loop });
  }

  open(name: string, traffic: Traffic, loop: OpenLoopOptions): Promise<OpenLoopResult> {
    return this.child.call('open', { name, traffic, ...loop });
  }

  counters(name: string, expect?: { prefix: string; count: number }): Promise<PeerReport> {
    return this.child.call('counters', { name, ...(expect ? { expect } : {}) });
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
