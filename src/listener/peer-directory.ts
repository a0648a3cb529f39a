// Who a peer domain is to us (policy) and where its SSP server listens (static URL or DNS SRV).
import type { ClientTls } from '../delivery';

export interface PeerEndpoint {
  url: string;
  /** Host header to send when `url` carries an address instead of the SRV target's name. */
  hostHeader?: string;
  /** Client certificate to present (mutual TLS with this peer). */
  tls?: ClientTls;
}

export interface PeerPolicy {
  domain: string;
  /** Bounded metrics label: the configured domain, `core`, or `other`. */
  label: string;
  isCore: boolean;
  /** Pre-shared secret: the peer's SecretToken must equal it, and we send it as ours. */
  secret?: string;
  /** Source addresses allowed to open set-up for this domain; empty = any. */
  allowFrom: readonly string[];
  /** How to present our `wv:+MSISDN` users to this peer (ssp-profile §3). */
  presentUsersAs: 'msisdn' | 'domain';
  /** An interconnect agreement covers this domain (or federation is open). */
  agreed: boolean;
  /** Transaction kinds the agreement allows, in either direction. */
  transactions: ReadonlySet<string>;
  /** Transactions we put in one Session POST to this peer, when it differs from the gateway's default. */
  maxTransactionsPerPost?: number;
  /** This peer's own rate limit, if it has one. */
  rateLimit?: { transactionsPerSecond: number; burst: number };
}

export interface PeerDirectory {
  policyFor(domain: string): PeerPolicy;
  /** Ordered SSP endpoints of a domain (failover order); empty when the domain has no SSP service. */
  endpointsFor(domain: string, signal?: AbortSignal): Promise<PeerEndpoint[]>;
}
