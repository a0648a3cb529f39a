// Every metric of the gateway, defined once; the only module that imports prom-client.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const NONCONFORMING_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** Label values must stay bounded: never an MSISDN, user id or message id. */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly sspTransactions = new Counter({
    name: 'ssp_transactions_total',
    help: 'SSP transactions by direction (in = received, out = sent), transaction type and IMPS status',
    labelNames: ['direction', 'type', 'status'] as const,
    registers: [this.registry],
  });

  readonly sspTransactionDuration = new Histogram({
    name: 'ssp_transaction_duration_seconds',
    help: 'Time from sending an SSP request to receiving its answer, by transaction type',
    labelNames: ['type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly sspSessions = new Gauge({
    name: 'ssp_sessions',
    help: 'SSP sessions by peer (configured domain, "core" or "other") and state',
    labelNames: ['peer', 'state'] as const,
    registers: [this.registry],
  });

  readonly sspSetups = new Counter({
    name: 'ssp_session_setups_total',
    help: 'SSP session set-up attempts by our role and outcome',
    labelNames: ['role', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly sspRejectedRequests = new Counter({
    name: 'ssp_rejected_requests_total',
    help: 'HTTP requests to the SSP endpoint refused before any transaction was read, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  /** Counts a hot path keeps in plain numbers (ENUM result-cache hits); prom-client runs `collect` before each read. */
  private readonly enumLookupFlushes: Array<() => void> = [];

  readonly routeDecisions = new Counter({
    name: 'route_decisions_total',
    help: 'Routing decisions per recipient by service (im, pres), decision (local, peer, sms, reject) and the rule that decided',
    labelNames: ['service', 'decision', 'rule'] as const,
    registers: [this.registry],
  });

  readonly peerRequests = new Counter({
    name: 'peer_requests_total',
    help: 'Requests sent to a peer (or our core) by peer and the IMPS status of the answer (or timeout/unreachable)',
    labelNames: ['peer', 'status'] as const,
    registers: [this.registry],
  });

  readonly peerLatency = new Histogram({
    name: 'peer_request_duration_seconds',
    help: 'Time from sending a request to a peer to its answer, by peer',
    labelNames: ['peer'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly transactionsPerPost = new Histogram({
    name: 'ssp_transactions_per_post',
    help: 'Transactions carried by each Session POST we sent, by peer (coalescing under load)',
    labelNames: ['peer'] as const,
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'delivery_queue_depth',
    help: 'Transactions waiting for delivery, by next hop',
    labelNames: ['target'] as const,
    registers: [this.registry],
  });

  readonly queueOldestAge = new Gauge({
    name: 'delivery_queue_oldest_age_seconds',
    help: 'Age of the oldest transaction waiting for delivery, by next hop',
    labelNames: ['target'] as const,
    registers: [this.registry],
  });

  readonly circuitState = new Gauge({
    name: 'delivery_circuit_state',
    help: 'Circuit breaker state per peer endpoint: 0 closed, 1 half-open, 2 open',
    labelNames: ['target'] as const,
    registers: [this.registry],
  });

  readonly duplicates = new Counter({
    name: 'ssp_duplicate_transactions_total',
    help: 'Retransmitted requests recognised by (peer, transactionID) and answered without delivering again',
    labelNames: ['peer'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'ssp_rate_limited_total',
    help: 'Requests answered 503 because a rate limit was exceeded, by scope (global, peer)',
    labelNames: ['scope', 'peer'] as const,
    registers: [this.registry],
  });

  readonly enumLookups = new Counter({
    name: 'enum_lookups_total',
    help: 'ENUM look-ups by enumservice, result status and answer source (cache, dns, stale, zone)',
    labelNames: ['service', 'status', 'source'] as const,
    registers: [this.registry],
    collect: () => {
      for (const flush of this.enumLookupFlushes) flush();
    },
  });

  /**
   * Register a function that adds pending counts to `enumLookups`; it runs before every read of the metric.
   * Why: a labelled `inc()` costs ~350 ns in prom-client 15, a third of a cache-hit ENUM resolution.
   */
  addEnumLookupsFlush(flush: () => void): void {
    this.enumLookupFlushes.push(flush);
  }

  readonly dnsCacheEntries = new Gauge({
    name: 'dns_cache_entries',
    help: 'Entries held by the DNS answer cache',
    registers: [this.registry],
  });

  readonly dnsQueryDuration = new Histogram({
    name: 'dns_query_duration_seconds',
    help: 'DNS queries sent on the network, by server and record type',
    labelNames: ['server', 'type'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly dnsErrors = new Counter({
    name: 'dns_errors_total',
    help: 'DNS query failures by server and kind (timeout, servfail, refused, malformed, network)',
    labelNames: ['server', 'kind'] as const,
    registers: [this.registry],
  });

  readonly smsSubmitted = new Counter({
    name: 'sms_submitted_total',
    help: 'SMS accepted by the SMSC, by transport (smpp, kannel), encoding (gsm7, ucs2) and number of parts',
    labelNames: ['transport', 'encoding', 'parts'] as const,
    registers: [this.registry],
  });

  readonly smsSubmitErrors = new Counter({
    name: 'sms_submit_errors_total',
    help: 'SMS submissions that failed, by error code (SMS_THROTTLED, SMS_SMSC_DOWN, SMS_TOO_LONG, ...)',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly smsReceipts = new Counter({
    name: 'sms_receipts_total',
    help: 'Delivery receipts received from the SMSC, by receipt state',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly smsMobileOriginated = new Counter({
    name: 'sms_mo_total',
    help: 'SMS from legacy customers, by outcome (matched a conversation, last-correspondent fallback, unmatched)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly smscConnection = new Gauge({
    name: 'sms_smsc_connected',
    help: 'SMSC link state by transport: 1 connected (bound / smsbox answering), 0 disconnected',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (!(options.processMetrics ?? true)) return;
    collectDefaultMetrics({ register: this.registry });
    // prom-client names these gauges `_total`, which promtool rejects; `nodejs_active_handles` etc. stay.
    for (const name of NONCONFORMING_DEFAULT_METRICS) this.registry.removeSingleMetric(name);
  }

  /** Prometheus text exposition of all metrics. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
