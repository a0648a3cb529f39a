// The delivery half of the composition root: admission of requests, delivery rounds, and the scheduler between.
import type { GatewayConfig } from '../config';
import { RedeliveryScheduler } from '../delivery';
import type { SspNode } from '../listener';
import type { Logger } from '../log';
import type { GatewayMetrics } from '../metrics';
import { TransactionAdmission, TransactionDelivery, type UserRouter } from '../routing';
import type { SmsService } from '../sms';
import type { TransactionStore } from '../store';
import type { DescribedOrigin } from './describe-origins';

export interface DeliveryParts {
  node: SspNode;
  router: UserRouter;
  store: TransactionStore;
  describeOrigin: (domain: string) => DescribedOrigin;
  sms: SmsService | undefined;
  /** How long a first delivery round may take before the scheduler takes its record up again. */
  leaseMs: number;
  now: () => number;
  logger: Logger;
  metrics: GatewayMetrics;
}

export interface DeliveryComponents {
  admission: TransactionAdmission;
  scheduler: RedeliveryScheduler;
}

export function buildDelivery(config: GatewayConfig, parts: DeliveryParts): DeliveryComponents {
  const { node, router, store, describeOrigin, sms, now, logger, metrics } = parts;
  const delivery: TransactionDelivery = new TransactionDelivery({
    domain: config.domain,
    coreDomain: config.core.domain ?? config.domain,
    router,
    requester: node,
    store,
    describeOrigin,
    retry: config.delivery.retry,
    maxQueuePerTarget: config.delivery.maxQueuePerTarget,
    smsOnlyStatusText: config.routing.smsOnly.statusText,
    queueDepth: (target) => scheduler.queueDepth(target),
    now,
    logger,
    metrics,
    ...(sms ? { smsTermination: sms.termination } : {}),
  });
  const scheduler = new RedeliveryScheduler({
    store,
    deliver: (record) => delivery.deliver(record),
    now,
    pollMs: 100,
    batchSize: 200,
    concurrency: 1000,
    dedupRetentionMs: config.delivery.dedupRetentionSeconds * 1000,
    leaseMs: config.ssp.answerTimeoutMs * 2 + 1000,
    logger,
    metrics,
  });
  const admission = new TransactionAdmission({
    store,
    requester: node,
    describeOrigin,
    startDelivery: (record) => scheduler.run(record),
    limits: config.limits,
    defaultValiditySeconds: config.delivery.defaultValiditySeconds,
    leaseMs: parts.leaseMs,
    now,
    logger,
    metrics,
  });
  return { admission, scheduler };
}
