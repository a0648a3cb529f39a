// The SMS half of the composition root (issue 5): transport, correlation, termination, receipts and replies.
import type { Logger } from '../log';
import type { GatewayMetrics } from '../metrics';
import { purgeInSteps, type SmsStore } from '../store';
import { ConversationCorrelator } from './conversation-correlator';
import { KannelTransport } from './kannel-transport';
import { startKannelCallbackServer, type RunningKannelCallbackServer } from './kannel-callback-server';
import { MoReplyRouter } from './mo-reply-router';
import { ReceiptReporter } from './receipt-reporter';
import type { SmsServiceConfig } from './sms-service-config';
import type { AdmitSmsTransaction } from './sms-origin';
import { SmsTermination } from './sms-termination';
import type { SmsTransport } from './sms-transport';
import { SmppTransport } from './smpp-transport';

/** How often idle conversations and old submissions are dropped from the SmsStore: a minute's worth, in steps. */
const PURGE_INTERVAL_MS = 60_000;
/** Steps per purge (see purgeInSteps): 100,000 rows of each kind a minute, far above SMS rates. */
const PURGE_STEPS = 200;

export interface SmsServiceDeps {
  store: SmsStore;
  admit: AdmitSmsTransaction;
  domain: string;
  now: () => number;
  logger: Logger;
  metrics?: GatewayMetrics;
}

/** Running SMS termination: `termination` for delivery, started transport and inbound handling. */
export interface SmsService {
  transport: SmsTransport;
  termination: SmsTermination;
  stop(): Promise<void>;
}

/** Build and start everything SMS from the `sms` config section; the SMSC may still be down afterwards. */
export async function startSmsService(config: SmsServiceConfig, deps: SmsServiceDeps): Promise<SmsService> {
  const transportDeps = { logger: deps.logger, now: () => new Date(deps.now()) };
  const transport: SmsTransport = config.transport.kind === 'smpp' ? new SmppTransport(config.transport, transportDeps) : new KannelTransport(config.transport, transportDeps);
  const correlator = new ConversationCorrelator({ store: deps.store, sender: config.sender, idleExpirySeconds: config.replies.idleExpirySeconds, now: deps.now });
  const metricsDep = deps.metrics ? { metrics: deps.metrics } : {};
  const reporter = new ReceiptReporter({ store: deps.store, admit: deps.admit, domain: deps.domain, logger: deps.logger, ...metricsDep });
  const replies = new MoReplyRouter({ transport, correlator, store: deps.store, admit: deps.admit, replies: config.replies, now: deps.now, logger: deps.logger, ...metricsDep });
  // Parts that waited before a restart are back in the reassembler before the first MO can arrive.
  await replies.start();
  transport.setInboundHandler({ receipt: (receipt) => reporter.onReceipt(receipt), mobileOriginated: (sms) => replies.onMobileOriginated(sms) });
  const connected = deps.metrics?.smscConnection.labels({ transport: transport.kind });
  connected?.set(0);
  const stopObserving = transport.onStateChange((state) => connected?.set(state === 'connected' ? 1 : 0));
  let callbacks: RunningKannelCallbackServer | undefined;
  if (transport instanceof KannelTransport && config.kannelCallbackListen) callbacks = await startKannelCallbackServer(config.kannelCallbackListen, transport.handleCallback);
  await transport.start();
  connected?.set(transport.state === 'connected' ? 1 : 0);
  const purge = setInterval(() => {
    const beforeMs = deps.now() - config.replies.idleExpirySeconds * 1000;
    purgeInSteps((limit) => deps.store.purge(beforeMs, limit), PURGE_STEPS).catch((error: unknown) => deps.logger.warn({ err: error }, 'sms store purge failed'));
  }, PURGE_INTERVAL_MS);
  purge.unref();
  const termination = new SmsTermination({ transport, store: deps.store, correlator, text: config.text, now: deps.now, logger: deps.logger, ...metricsDep });
  return {
    transport,
    termination,
    stop: async () => {
      clearInterval(purge);
      replies.stop();
      stopObserving();
      await transport.stop();
      await callbacks?.close();
    },
  };
}
