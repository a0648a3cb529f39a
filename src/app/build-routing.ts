// The routing half of the composition root: DNS, ENUM, peer directory and router from one config.
import type { GatewayConfig } from '../config';
import { createDnsClient, type ConfiguredDnsClient } from '../dns';
import { createEnumResolver, createSspServerLocator, type DnsEnumResolver } from '../enum';
import { ConfiguredPeerDirectory } from '../listener';
import type { GatewayMetrics } from '../metrics';
import { UserRouter, explainRoute, type RouteExplanation, type RouteService } from '../routing';

export interface RoutingComponents {
  dns: ConfiguredDnsClient;
  enumResolver: DnsEnumResolver;
  directory: ConfiguredPeerDirectory;
  router: UserRouter;
  explain(user: string, service: RouteService): Promise<RouteExplanation>;
  /** Re-read the zone files (embedded mode) and forget cached answers; the old data stays on error. */
  reloadZones(): Promise<void>;
}

export function buildRouting(config: GatewayConfig, metrics?: GatewayMetrics): RoutingComponents {
  const dns = createDnsClient(config.dns, metrics ? { metrics } : {});
  const enumResolver = createEnumResolver({
    dns,
    suffixes: config.enum.suffixes,
    maxNonTerminalHops: config.enum.maxNonTerminalHops,
    cacheMaxEntries: config.enum.cacheMaxEntries,
    ...(metrics ? { metrics } : {}),
  });
  const directory = new ConfiguredPeerDirectory(config, createSspServerLocator({ dns }));
  const router = new UserRouter({ domain: config.domain, ...config.routing, enumResolver, isAgreed: (domain) => directory.policyFor(domain).agreed });
  return {
    dns,
    enumResolver,
    directory,
    router,
    explain: (user, service) => explainRoute(user, service, router, (domain) => directory.describeLocation(domain)),
    reloadZones: async () => {
      await dns.reload();
      enumResolver.clear();
    },
  };
}
