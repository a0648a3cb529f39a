// The SMS part of the composition root (issue 5): SMS store, transport and the durable entry for SMS traffic.
import type { GatewayConfig } from '../config';
import type { Logger } from '../log';
import type { GatewayMetrics } from '../metrics';
import { SMS_ORIGIN, startSmsService, type SmsService } from '../sms';
import { recordIds, type SmsStore, type StoredTransaction, type TransactionStore } from '../store';

export interface StartSmsDeps {
  store: TransactionStore;
  smsStore: SmsStore;
  /** Hands a stored record to the redelivery scheduler. */
  run: (record: StoredTransaction) => void;
  /** If the first delivery round has not finished by then (a crash), the scheduler takes the record up again. */
  leaseMs: number;
  now: () => number;
  logger: Logger;
  metrics: GatewayMetrics;
}

/**
 * Receipts and replies become stored transactions from SMS_ORIGIN before the SMSC is acknowledged, so they
 * wait in the same queue as IM from peers when our core or a peer is down, and survive a restart.
 */
export function startSms(config: GatewayConfig, deps: StartSmsDeps): Promise<SmsService> | undefined {
  if (!config.sms) return undefined;
  const validityMs = config.delivery.defaultValiditySeconds * 1000;
  return startSmsService(config.sms, {
    store: deps.smsStore,
    domain: config.domain,
    now: deps.now,
    logger: deps.logger,
    metrics: deps.metrics,
    admit: async (originTransactionID, body) => {
      const acceptedAtMs = deps.now();
      const outcome = await deps.store.accept({
        id: recordIds.next(),
        originDomain: SMS_ORIGIN,
        originTransactionID,
        body,
        acceptedAtMs,
        expiresAtMs: acceptedAtMs + validityMs,
        nextAttemptAtMs: acceptedAtMs + deps.leaseMs,
      });
      if (outcome.kind === 'accepted') deps.run(outcome.record);
    },
  });
}
