// Composition root: builds every component of one gateway from its config, starts and stops them.
import type { GatewayConfig } from '../config';
import { UndiciPeerClient } from '../delivery';
import { createDnsClient } from '../dns';
import { createEnumResolver, createSspServerLocator, type EnumResolver } from '../enum';
import { createLogger, type Logger } from '../log';
import { ConfiguredPeerDirectory, SspNode, createAdminEndpoint, createSspEndpoint, listen, type BoundServer } from '../listener';
import { GatewayMetrics } from '../metrics';
import { TransactionForwarder, UserRouter } from '../routing';

export interface RunningGateway {
  /** Where the SSP listener really listens (port 0 resolved). */
  sspUrl: string;
  adminUrl: string;
  node: SspNode;
  router: UserRouter;
  enumResolver: EnumResolver;
  metrics: GatewayMetrics;
  stop(): Promise<void>;
}

export interface GatewayDeps {
  logger?: Logger;
  metrics?: GatewayMetrics;
}

export async function startGateway(config: GatewayConfig, deps: GatewayDeps = {}): Promise<RunningGateway> {
  const logger = deps.logger ?? createLogger(config.log.level, { domain: config.domain });
  const metrics = deps.metrics ?? new GatewayMetrics();
  const dns = createDnsClient(config.dns, { metrics });
  const enumResolver = createEnumResolver({ dns, suffixes: config.enum.suffixes, maxNonTerminalHops: config.enum.maxNonTerminalHops, metrics });
  const directory = new ConfiguredPeerDirectory(config, createSspServerLocator({ dns }));
  const peerClient = new UndiciPeerClient({ connectionsPerOrigin: 16, timeoutMs: config.ssp.answerTimeoutMs });
  const node = new SspNode({
    domain: config.domain,
    timeToLiveSeconds: config.ssp.sessionTimeToLiveSeconds,
    answerTimeoutMs: config.ssp.answerTimeoutMs,
    directory,
    peerClient,
    logger,
    metrics,
  });
  const router = new UserRouter({ domain: config.domain, ...config.routing, enumResolver });
  const coreDomain = config.core.domain ?? config.domain;
  const ownDomains = new Set([config.domain, ...config.routing.domainAliases]);
  node.setHandler(
    new TransactionForwarder({
      domain: config.domain,
      coreDomain,
      router,
      requester: node,
      logger,
      describeOrigin: (domain) => {
        const policy = directory.policyFor(domain);
        return {
          isCore: policy.isCore,
          presentUsersAs: policy.presentUsersAs,
          policy: {
            domain,
            userDomains: policy.isCore ? ownDomains : new Set([domain]),
            acceptsBareMsisdn: policy.isCore || policy.presentUsersAs === 'msisdn',
          },
        };
      },
    }),
  );

  const servers: BoundServer[] = [];
  let ready = false;
  try {
    const ssp = await listen(config.ssp.listen, createSspEndpoint({ node, maxBodyBytes: config.ssp.maxBodyBytes, logger, metrics }).callback(), config.ssp.tls);
    servers.push(ssp);
    const admin = await listen(config.admin.listen, createAdminEndpoint({ metrics, isReady: () => ready }).callback());
    servers.push(admin);
    node.start();
    ready = true;
    const scheme = config.ssp.tls ? 'https' : 'http';
    const sspUrl = config.ssp.url ?? `${scheme}://${urlHost(ssp.host)}:${ssp.port}/`;
    const adminUrl = `http://${urlHost(admin.host)}:${admin.port}/`;
    logger.info({ sspUrl, adminUrl }, 'gateway started');
    return {
      sspUrl,
      adminUrl,
      node,
      router,
      enumResolver,
      metrics,
      stop: async () => {
        ready = false;
        await Promise.all(servers.map((server) => server.close()));
        node.stop();
        await peerClient.close();
        logger.info({}, 'gateway stopped');
      },
    };
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()));
    await peerClient.close();
    throw error;
  }
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
