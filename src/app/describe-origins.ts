// What the gateway knows of a domain it takes transactions from: its agreement, read once per domain.
import { LRUCache } from 'lru-cache';
import type { GatewayConfig } from '../config';
import type { PeerDirectory } from '../listener';
import type { AdmittedOrigin, OriginDescription } from '../routing';
import { SMS_ORIGIN } from '../sms';

/** Most domains described at once: open federation lets any verified domain in. */
const MAX_DESCRIBED_ORIGINS = 10_000;

export type DescribedOrigin = AdmittedOrigin & OriginDescription;

/**
 * Policies are fixed by config: each origin is described once, not per transaction. Only agreed domains are
 * kept (bounded, least recently used first out); any other is described anew each time.
 */
export function createOriginDescriber(config: GatewayConfig, directory: PeerDirectory): (domain: string) => DescribedOrigin {
  const ownDomains = new Set([config.domain, ...config.routing.domainAliases]);
  const smsPeers = new Set(config.peers.filter((peer) => peer.allowSms).map((peer) => peer.domain));
  const described = new LRUCache<string, DescribedOrigin>({ max: MAX_DESCRIBED_ORIGINS });
  const describeOnce = (domain: string): DescribedOrigin => {
    const policy = directory.policyFor(domain);
    return {
      isCore: policy.isCore,
      label: policy.label,
      presentUsersAs: policy.presentUsersAs,
      allowsSms: smsPeers.has(domain),
      isSms: domain === SMS_ORIGIN,
      transactions: policy.transactions,
      ...(policy.rateLimit ? { rateLimit: policy.rateLimit } : {}),
      policy: { domain, userDomains: policy.isCore ? ownDomains : new Set([domain]), acceptsBareMsisdn: policy.isCore || policy.presentUsersAs === 'msisdn' },
    };
  };
  return (domain) => {
    let origin = described.get(domain);
    if (!origin) {
      origin = describeOnce(domain);
      if (directory.policyFor(domain).agreed) described.set(domain, origin);
    }
    return origin;
  };
}
