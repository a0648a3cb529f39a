// Composition root: builds every component of one gateway from its config, starts and stops them.
import type { GatewayConfig } from '../config';
import { BreakingPeerClient, UndiciPeerClient, type RedeliveryScheduler } from '../delivery';
import type { EnumResolver } from '../enum';
import { createLogger, type Logger } from '../log';
import { SspNode, createAdminEndpoint, createSspEndpoint, listen, type BoundServer } from '../listener';
import { GatewayMetrics } from '../metrics';
import type { RouteService, UserRouter } from '../routing';
import type { SmsService } from '../sms';
import { SqliteSmsStore, SqliteTransactionStore, type SmsStore, type TransactionStore } from '../store';
import { buildDelivery } from './build-delivery';
import { buildRouting, type RoutingComponents } from './build-routing';
import { createOriginDescriber } from './describe-origins';
import { startSms } from './start-sms';

/** Keep-alive connections per peer origin, and so the Session POSTs outstanding per peer at once. */
const CONNECTIONS_PER_PEER = 16;

export interface RunningGateway {
  /** Where the SSP listener really listens (port 0 resolved). */
  sspUrl: string;
  adminUrl: string;
  node: SspNode;
  router: UserRouter;
  enumResolver: EnumResolver;
  routing: RoutingComponents;
  store: TransactionStore;
  metrics: GatewayMetrics;
  /** Present when `sms` is configured. */
  sms?: SmsService;
  stop(): Promise<void>;
}

export interface GatewayDeps {
  logger?: Logger;
  metrics?: GatewayMetrics;
  store?: TransactionStore;
  smsStore?: SmsStore;
  now?: () => number;
}

export async function startGateway(config: GatewayConfig, deps: GatewayDeps = {}): Promise<RunningGateway> {
  const logger = deps.logger ?? createLogger(config.log.level, { domain: config.domain });
  const metrics = deps.metrics ?? new GatewayMetrics();
  const now = deps.now ?? Date.now;
  const store = deps.store ?? new SqliteTransactionStore(config.store.path);
  const smsStore = deps.smsStore ?? (config.sms ? new SqliteSmsStore(config.store.path) : undefined);
  const routing = buildRouting(config, metrics);
  const { directory, router, enumResolver } = routing;
  const peerClient = new BreakingPeerClient(new UndiciPeerClient({ connectionsPerOrigin: CONNECTIONS_PER_PEER, timeoutMs: config.ssp.answerTimeoutMs }), { ...config.delivery.circuit, now, metrics });
  const node = new SspNode({
    domain: config.domain,
    timeToLiveSeconds: config.ssp.sessionTimeToLiveSeconds,
    answerTimeoutMs: config.ssp.answerTimeoutMs,
    directory,
    peerClient,
    maxTransactionsPerPost: config.ssp.maxTransactionsPerPost,
    maxPostsInFlight: CONNECTIONS_PER_PEER,
    logger,
    metrics,
    now,
  });
  const describeOrigin = createOriginDescriber(config, directory);
  let scheduler: RedeliveryScheduler | undefined;
  const leaseMs = config.ssp.answerTimeoutMs + 1000;
  const closeResources = async (): Promise<void> => {
    await peerClient.close();
    await routing.dns.close();
    await store.close();
    await smsStore?.close();
  };
  let sms: Awaited<ReturnType<typeof startSms>>;
  // Before the scheduler exists a stored SMS record waits for its lease; the scheduler's poll takes it up.
  try {
    sms = smsStore && (await startSms(config, { store, smsStore, run: (record) => scheduler?.run(record), leaseMs, now, logger, metrics }));
  } catch (error) {
    await closeResources();
    throw error;
  }
  const { admission, scheduler: activeScheduler } = buildDelivery(config, { node, router, store, describeOrigin, sms, leaseMs, now, logger, metrics });
  scheduler = activeScheduler;
  node.setHandler(admission);

  const servers: BoundServer[] = [];
  let ready = false;
  try {
    const ssp = await listen(config.ssp.listen, createSspEndpoint({ node, maxBodyBytes: config.ssp.maxBodyBytes, logger, metrics }), config.ssp.tls);
    servers.push(ssp);
    const admin = await listen(config.admin.listen, createAdminEndpoint({ metrics, isReady: () => ready, routes: [explainRoutes(routing)] }).callback());
    servers.push(admin);
    node.start();
    activeScheduler.start();
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
      routing,
      store,
      metrics,
      ...(sms ? { sms } : {}),
      stop: async () => {
        // Refuse new work, let deliveries in progress finish (their answers still arrive), then close.
        ready = false;
        node.drain();
        await activeScheduler.stop();
        await sms?.stop();
        await Promise.all(servers.map((server) => server.close()));
        node.stop();
        await closeResources();
        logger.info({}, 'gateway stopped');
      },
    };
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()));
    await sms?.stop();
    await closeResources();
    throw error;
  }
}

/** Admin `GET /routes/<userID>?service=im|pres`: the route explanation as JSON. */
function explainRoutes(routing: RoutingComponents) {
  return {
    prefix: '/routes/',
    handle: async (user: string, query: URLSearchParams) => {
      const service = query.get('service') ?? 'im';
      if (service !== 'im' && service !== 'pres') return { status: 400, body: { error: 'service must be im or pres' } };
      return { status: 200, body: await routing.explain(user, service as RouteService) };
    },
  };
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
