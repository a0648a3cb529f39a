// Outbound SSP over HTTP/1.1 POST (ssp-profile §1): keep-alive connection pools per peer origin (undici).
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { GatewayError } from '../errors';

export const SSP_CONTENT_TYPE = 'application/vnd.wv.ssp+xml';

export interface PostOptions {
  transactionID?: string;
  sessionID?: string;
  /** Host header when `url` names an address but the peer knows itself by a host name (SRV target). */
  hostHeader?: string;
  /** Client certificate to present to this peer (mutual TLS, configured per peer). */
  tls?: ClientTls;
  signal?: AbortSignal;
}

export interface ClientTls {
  certFile: string;
  keyFile: string;
  caFile?: string;
}

export interface PostResult {
  httpStatus: number;
  /** The response body; a peer may put an SSP answer here (we accept it, the deployed peer never does). */
  body: string;
}

/** Sends one SSP document to one peer URL. Rejects with PEER_UNREACHABLE / PEER_REJECTED. */
export interface PeerClient {
  post(url: string, xml: string, options?: PostOptions): Promise<PostResult>;
  close(): Promise<void>;
}

export interface UndiciPeerClientOptions {
  connectionsPerOrigin: number;
  timeoutMs: number;
}

export class UndiciPeerClient implements PeerClient {
  private readonly agent: Agent;
  /** One agent per client certificate, built on first use (certificates are few and fixed by config). */
  private readonly tlsAgents = new Map<string, Agent>();

  constructor(private readonly options: UndiciPeerClientOptions) {
    this.agent = this.createAgent();
  }

  private createAgent(tls?: ClientTls): Agent {
    return new Agent({
      connections: this.options.connectionsPerOrigin,
      keepAliveTimeout: 30_000,
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
      connect: {
        timeout: this.options.timeoutMs,
        ...(tls ? { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile), ...(tls.caFile ? { ca: readFileSync(tls.caFile) } : {}) } : {}),
      },
    });
  }

  private agentFor(tls?: ClientTls): Agent {
    if (!tls) return this.agent;
    const key = `${tls.certFile}\0${tls.keyFile}\0${tls.caFile ?? ''}`;
    let agent = this.tlsAgents.get(key);
    if (!agent) {
      agent = this.createAgent(tls);
      this.tlsAgents.set(key, agent);
    }
    return agent;
  }

  async post(url: string, xml: string, options: PostOptions = {}): Promise<PostResult> {
    const headers: Record<string, string> = { 'content-type': SSP_CONTENT_TYPE };
    if (options.transactionID) headers['x-wv-transactionid'] = options.transactionID;
    if (options.sessionID) headers['x-wv-sessionid'] = options.sessionID;
    if (options.hostHeader) headers.host = options.hostHeader;
    let response;
    let body: string;
    try {
      response = await request(url, {
        method: 'POST',
        body: xml,
        headers,
        dispatcher: this.agentFor(options.tls),
        // The agent's connect/headers/body timeouts bound every request; a signal is only for callers that cancel.
        ...(options.signal ? { signal: options.signal } : {}),
      });
      // A connection lost while the body arrives is as transient as one lost before the headers.
      body = await response.body.text();
    } catch (error) {
      throw new GatewayError('PEER_UNREACHABLE', `peer ${url} unreachable: ${(error as Error).message}`, {
        impsStatus: 503,
        transient: true,
        cause: error,
      });
    }
    if (response.statusCode >= 300) {
      throw new GatewayError('PEER_REJECTED', `peer ${url} answered HTTP ${response.statusCode}`, {
        impsStatus: response.statusCode >= 500 ? 503 : 500,
        transient: response.statusCode >= 500,
      });
    }
    return { httpStatus: response.statusCode, body };
  }

  async close(): Promise<void> {
    await Promise.all([this.agent, ...this.tlsAgents.values()].map((agent) => agent.close()));
  }
}
