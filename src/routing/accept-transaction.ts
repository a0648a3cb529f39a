// Admission of a verified request: policy checks, rate limits, durable write, duplicate detection — before HTTP 200.
import { LRUCache } from 'lru-cache';
import { TokenBucket, type SspRequester } from '../delivery';
import type { Logger } from '../log';
import type { GatewayMetrics } from '../metrics';
import { statusOf, type Transaction, type TransactionBody } from '../ssp';
import { recordIds, type StoredTransaction, type TransactionStore } from '../store';
import { answerWithStatus, statusOfAnswer } from './answers';
import { findForeignOriginator, type OriginPolicy } from './check-originator';
import { partiesOf } from './transaction-parties';

export interface AdmittedOrigin {
  isCore: boolean;
  /** Bounded metrics label: the configured domain, `core`, or `other` (open federation adds no label per domain). */
  label: string;
  policy: OriginPolicy;
  /** Transaction kinds the agreement with this origin allows. */
  transactions: ReadonlySet<string>;
  rateLimit?: { transactionsPerSecond: number; burst: number };
}

export interface TransactionAdmissionOptions {
  store: TransactionStore;
  requester: SspRequester;
  describeOrigin: (domain: string) => AdmittedOrigin;
  /** Hands an accepted record to delivery (not awaited: the origin's HTTP 200 only waits for the store). */
  startDelivery: (record: StoredTransaction) => void;
  limits: { global: { transactionsPerSecond: number; burst: number }; perPeer: { transactionsPerSecond: number; burst: number } };
  defaultValiditySeconds: number;
  /** If a first delivery round has not finished by then (a crash), the scheduler takes the record up again. */
  leaseMs: number;
  /** Most peers whose rate-limit buckets are kept (default 10,000); the least recently seen is forgotten. */
  maxPeerBuckets?: number;
  now: () => number;
  logger: Logger;
  metrics?: GatewayMetrics;
}

const DEFAULT_MAX_PEER_BUCKETS = 10_000;

export class TransactionAdmission {
  private readonly globalBucket: TokenBucket;
  // Bounded: under open federation any verified domain gets a bucket. A forgotten bucket is one that has been
  // idle longest, and an idle peer's bucket would have refilled anyway; the global bucket still caps the total.
  private readonly peerBuckets: LRUCache<string, TokenBucket>;

  constructor(private readonly options: TransactionAdmissionOptions) {
    this.globalBucket = new TokenBucket({ ...options.limits.global, now: options.now });
    this.peerBuckets = new LRUCache({ max: options.maxPeerBuckets ?? DEFAULT_MAX_PEER_BUCKETS });
  }

  async onRequest(origin: { peerDomain: string }, transaction: Transaction): Promise<void> {
    const domain = origin.peerDomain;
    const refusal = this.refusalFor(domain, transaction.body) ?? this.rateLimitRefusal(domain, transaction.body);
    if (refusal) {
      this.options.logger.info({ origin: domain, transactionID: transaction.transactionID, type: transaction.body.kind, status: statusOfAnswer(refusal).code }, 'transaction refused');
      return this.respond(domain, transaction.transactionID, refusal);
    }
    const acceptedAtMs = this.options.now();
    const outcome = await this.options.store.accept({
      id: recordIds.next(),
      originDomain: domain,
      originTransactionID: transaction.transactionID,
      body: transaction.body,
      acceptedAtMs,
      expiresAtMs: acceptedAtMs + this.validitySecondsOf(transaction.body) * 1000,
      nextAttemptAtMs: acceptedAtMs + this.options.leaseMs,
    });
    if (outcome.kind === 'accepted') return this.options.startDelivery(outcome.record);
    this.options.metrics?.duplicates.inc({ peer: this.options.describeOrigin(domain).label });
    this.options.logger.info({ origin: domain, transactionID: transaction.transactionID, answered: outcome.record.answer !== null }, 'retransmission recognised');
    if (outcome.record.answer) return this.respond(domain, transaction.transactionID, outcome.record.answer);
  }

  private refusalFor(domain: string, body: TransactionBody): TransactionBody | null {
    const parties = partiesOf(body);
    if (!parties) return answerWithStatus(body, statusOf(405, `${body.kind} is not a request this gateway forwards`));
    const origin = this.options.describeOrigin(domain);
    if (!origin.transactions.has(body.kind)) return answerWithStatus(body, statusOf(506, `${body.kind} is not covered by the agreement with ${domain}`));
    const foreign = findForeignOriginator(parties, origin.policy);
    if (foreign) return answerWithStatus(body, statusOf(901, foreign));
    if (parties.groups.length > 0) return answerWithStatus(body, statusOf(405, 'group recipients are not routed between domains (IM-0020)'));
    if (parties.targets.length === 0 && origin.isCore) return answerWithStatus(body, statusOf(402, `${body.kind} names no recipient this gateway can route`));
    return null;
  }

  /** Excess is refused at once with TryAgainTimeout (seed 003 PP2-17/18), never queued without bound. */
  private rateLimitRefusal(domain: string, body: TransactionBody): TransactionBody | null {
    const bucket = this.peerBucket(domain);
    // A peer over its own limit is refused before it can spend the global tokens that other peers share.
    const scope = !bucket.take() ? 'peer' : !this.globalBucket.take() ? 'global' : null;
    if (!scope) return null;
    const wait = scope === 'global' ? this.globalBucket.secondsUntilNext() : bucket.secondsUntilNext();
    this.options.metrics?.rateLimited.inc({ scope, peer: this.options.describeOrigin(domain).label });
    return answerWithStatus(body, statusOf(503, `rate limit exceeded (${scope}): try again in ${wait} s`, { tryAgainTimeoutSeconds: wait }));
  }

  private peerBucket(domain: string): TokenBucket {
    let bucket = this.peerBuckets.get(domain);
    if (!bucket) {
      bucket = new TokenBucket({ ...(this.options.describeOrigin(domain).rateLimit ?? this.options.limits.perPeer), now: this.options.now });
      this.peerBuckets.set(domain, bucket);
    }
    return bucket;
  }

  private validitySecondsOf(body: TransactionBody): number {
    if (body.kind === 'SendMessageRequest') return body.messageInfo.validitySeconds ?? this.options.defaultValiditySeconds;
    if (body.kind === 'DeliveryStatusReport') return this.options.defaultValiditySeconds;
    return Math.ceil((this.options.leaseMs * 2) / 1000);
  }

  private async respond(domain: string, transactionID: string, answer: TransactionBody): Promise<void> {
    void this.options.requester.respond(domain, transactionID, answer).catch((error: unknown) => {
      this.options.logger.warn({ origin: domain, transactionID, err: error }, 'answer to origin failed');
    });
  }
}
