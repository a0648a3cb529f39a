// The gateway's peer directory: our core and contracted peers from config, every other domain through DNS SRV.
import { FORWARDABLE_TRANSACTIONS, type GatewayConfig } from '../config';
import type { ClientTls } from '../delivery';
import type { SspServerLocator } from '../enum';
import type { PeerDirectory, PeerEndpoint, PeerPolicy } from './peer-directory';

export class ConfiguredPeerDirectory implements PeerDirectory {
  private readonly policies = new Map<string, PeerPolicy>();
  private readonly staticUrls = new Map<string, string>();
  private readonly clientTls = new Map<string, ClientTls>();
  private readonly openFederation: boolean;

  constructor(
    config: GatewayConfig,
    private readonly locator: SspServerLocator,
  ) {
    this.openFederation = !config.routing.requireAgreement;
    for (const peer of config.peers) {
      this.policies.set(peer.domain, {
        domain: peer.domain,
        label: peer.domain,
        isCore: false,
        ...(peer.secret ? { secret: peer.secret } : {}),
        allowFrom: peer.allowFrom,
        presentUsersAs: peer.presentUsersAs,
        agreed: true,
        transactions: new Set(peer.transactions),
        ...(peer.rateLimit ? { rateLimit: peer.rateLimit } : {}),
        ...(peer.maxTransactionsPerPost ? { maxTransactionsPerPost: peer.maxTransactionsPerPost } : {}),
      });
      if (peer.url) this.staticUrls.set(peer.domain, peer.url);
      if (peer.tls) this.clientTls.set(peer.domain, peer.tls);
    }
    const coreDomain = config.core.domain ?? config.domain;
    this.policies.set(coreDomain, {
      domain: coreDomain,
      label: 'core',
      isCore: true,
      ...(config.core.secret ? { secret: config.core.secret } : {}),
      allowFrom: config.core.allowFrom,
      presentUsersAs: 'msisdn',
      agreed: true,
      transactions: new Set(FORWARDABLE_TRANSACTIONS),
      ...(config.core.maxTransactionsPerPost ? { maxTransactionsPerPost: config.core.maxTransactionsPerPost } : {}),
    });
    this.staticUrls.set(coreDomain, config.core.url);
  }

  policyFor(domain: string): PeerPolicy {
    return (
      this.policies.get(domain) ?? {
        domain,
        label: 'other',
        isCore: false,
        allowFrom: [],
        presentUsersAs: 'domain',
        agreed: this.openFederation,
        transactions: new Set(this.openFederation ? FORWARDABLE_TRANSACTIONS : []),
      }
    );
  }

  /** Where a domain's SSP server is, for route explanations: static URL or SRV targets, with the steps. */
  async describeLocation(domain: string): Promise<{ targets: Array<{ priority: number; weight: number; port: number; target: string }>; trace: string[] }> {
    const url = this.staticUrls.get(domain);
    if (url) {
      const parsed = new URL(url);
      const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
      return { targets: [{ priority: 0, weight: 0, port, target: parsed.hostname }], trace: [`${domain} has a configured SSP URL ${url}`] };
    }
    let located;
    try {
      located = await this.locator.locate(domain);
    } catch (error) {
      return { targets: [], trace: [`SSP server of ${domain} could not be located: ${(error as Error).message}`] };
    }
    const targets = located.targets.map(({ priority, weight, port, target }) => ({ priority, weight, port, target }));
    return { targets, trace: [...located.trace, `SSP server of ${domain}: ${located.status}${targets.length ? `, try in order ${targets.map((t) => `${t.target}:${t.port}`).join(', ')}` : ''}`] };
  }

  async endpointsFor(domain: string, signal?: AbortSignal): Promise<PeerEndpoint[]> {
    const tls = this.clientTls.get(domain);
    const withTls = (endpoint: PeerEndpoint): PeerEndpoint => (tls ? { ...endpoint, tls } : endpoint);
    const url = this.staticUrls.get(domain);
    if (url) return [withTls({ url })];
    const located = await this.locator.locate(domain, signal);
    if (located.status !== 'OK') return [];
    // A peer with a client certificate is spoken to over https; others over plain http (ssp-profile §1).
    const scheme = tls ? 'https' : 'http';
    return located.targets.map((target) => {
      const address = target.addresses?.[0];
      if (!address) return withTls({ url: `${scheme}://${target.target}:${target.port}/` });
      const host = address.includes(':') ? `[${address}]` : address;
      return withTls({ url: `${scheme}://${host}:${target.port}/`, hostHeader: `${target.target}:${target.port}` });
    });
  }
}
