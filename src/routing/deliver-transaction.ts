// One delivery round of a stored transaction: route each target, send per next hop, answer, queue or give up.
import { retryDelayMs, type RetrySchedule, type SspRequester } from '../delivery';
import { GatewayError, toGatewayError } from '../errors';
import type { Logger } from '../log';
import type { GatewayMetrics } from '../metrics';
import type { SmsTerminationTarget } from '../sms';
import { statusOf, type SendMessageRequest, type TransactionBody } from '../ssp';
import type { StoredTransaction, TransactionStore } from '../store';
import { answerForSmsOnly } from './answer-sms-only';
import { answerWithStatus, failuresOfPart, mergeAnswers, statusOfAnswer, type PartAnswer, type RefusedTarget } from './answers';
import { failureReportFor, reportedOriginOf } from './failure-report';
import { hopTransactions, uncertainGroupsAfter, type PlannedHopTransaction } from './hop-transactions';
import { outboundTransactionID } from './outbound-transaction-id';
import { presentOriginators } from './present-originators';
import type { RouteDecision, UserRouter } from './route-user';
import { partiesOf } from './transaction-parties';
import { parseUserId } from './user-id';
import { withTargets } from './with-targets';

export interface OriginDescription {
  isCore: boolean;
  /** How our domain-less `wv:+MSISDN` users are presented to this domain when we forward to it. */
  presentUsersAs: 'msisdn' | 'domain';
  /** The agreement lets this origin's IM reach SMS-only customers (our core always may). */
  allowsSms?: boolean;
  /** The SMS side itself (receipts, replies): reaches our users and peers, never SMS; nobody to answer. */
  isSms?: boolean;
}

export interface TransactionDeliveryOptions {
  domain: string;
  coreDomain: string;
  router: UserRouter;
  requester: SspRequester;
  store: TransactionStore;
  describeOrigin: (domain: string) => OriginDescription;
  retry: RetrySchedule;
  maxQueuePerTarget: number;
  /** Current queue depth of a next hop (kept by the redelivery scheduler). */
  queueDepth: (target: string) => number;
  /** StatusText of SMS-only users' presence. */
  smsOnlyStatusText: string;
  now: () => number;
  logger: Logger;
  metrics?: GatewayMetrics;
  random?: () => number;
  /** Sends IM to SMS-only recipients; without it such IM is answered 501. */
  smsTermination?: { terminate(target: SmsTerminationTarget): Promise<void> };
}

/** The next hop of recipients the gateway answers for itself: SMS-only users. */
const SMS_HOP = 'sms:';
/** Where recipients wait whose serving operator ENUM could not tell (server failure, timeout). */
const ENUM_HOP = 'enum:';

/**
 * `transactionID`: of an actual send to the hop (none for the ENUM wait or SMS); `replayOf`: that send went under
 * an uncertain group's transactionID, so the peer may answer for the recipients of the group's first send.
 */
type HopOutcome = ({ kind: 'answered'; answer: TransactionBody } | { kind: 'transient'; error: GatewayError }) & { hop: string; targets: string[]; transactionID?: string; replayOf?: readonly string[] };

/** Messages and their reports wait in the store while a peer is down; presence and search are answered now. */
const STORE_AND_FORWARD = new Set(['SendMessageRequest', 'DeliveryStatusReport']);

export class TransactionDelivery {
  constructor(private readonly options: TransactionDeliveryOptions) {}

  /** Run one delivery round for a stored transaction. Never throws: every outcome ends in the store. */
  async deliver(record: StoredTransaction): Promise<void> {
    const started = this.options.now();
    try {
      const reportedTo = reportedOriginOf(record);
      if (reportedTo !== undefined) return await this.deliverReport(record, reportedTo, started);
      if (started >= record.expiresAtMs) return await this.giveUp(record, 'the message validity expired before it could be delivered');
      const { hopOutcomes, refused } = await this.attempt(record);
      await this.settle(record, hopOutcomes, refused);
    } catch (error) {
      this.options.logger.error({ id: record.id, err: error }, 'delivery round failed');
    }
  }

  private async attempt(record: StoredTransaction): Promise<{ hopOutcomes: HopOutcome[]; refused: RefusedTarget[] }> {
    const parties = partiesOf(record.body);
    const origin = this.options.describeOrigin(record.originDomain);
    if (!parties || parties.targets.length === 0) {
      return { hopOutcomes: [await this.sendHop(record, this.options.coreDomain, record.body)], refused: [] };
    }
    const decisions = await Promise.all(parties.targets.map((target) => this.options.router.route(target, parties.service)));
    const { hops, refused, unresolved } = this.groupByHop(parties.targets, decisions, origin, parties.service, record.body.kind);
    const waitForEnum: HopOutcome[] = unresolved.length === 0 ? [] : [{ kind: 'transient', hop: ENUM_HOP, targets: unresolved, error: new GatewayError('ENUM_UNAVAILABLE', 'ENUM is unavailable: the serving operator is not known yet', { impsStatus: 503, transient: true }) }];
    // Narrowed unless one send takes every recipient (others may be refused, waiting for ENUM, or sent apart).
    const bodyFor = (sent: string[]) => (sent.length === parties.targets.length ? record.body : withTargets(record.body, sent));
    const hopOutcomes = await Promise.all(
      [...hops].map(([hop, targets]) => {
        if (hop === SMS_HOP) {
          const body = bodyFor(targets);
          return body.kind === 'SendMessageRequest' && this.options.smsTermination ? this.terminateSms(record, targets, body) : this.answerSmsOnly(record, targets, body);
        }
        return Promise.all(
          hopTransactions(record.id, hop, targets, record.uncertainGroups).map((planned) => {
            const body = bodyFor(planned.targets);
            // Our core's users and SMS customers speak as our domain's users: presented as the peer expects.
            const presented = hop === this.options.coreDomain || !(origin.isCore || origin.isSms) ? body : presentOriginators(body, this.options.describeOrigin(hop).presentUsersAs, this.options.domain);
            return this.sendHop(record, hop, presented, planned);
          }),
        );
      }),
    );
    return { hopOutcomes: [...hopOutcomes.flat(), ...waitForEnum], refused };
  }

  /** Peers reach only our users (no open relay), SMS only when agreed; our core reaches only other domains. */
  private groupByHop(targets: string[], decisions: RouteDecision[], origin: OriginDescription, service: string, kind: string) {
    const fromCore = origin.isCore;
    const hops = new Map<string, string[]>();
    const refused: RefusedTarget[] = [];
    const unresolved: string[] = [];
    decisions.forEach((decision, index) => {
      const target = targets[index] as string;
      this.options.metrics?.routeDecisions.inc({ service, decision: decision.kind, rule: decision.rule });
      // A message waits for ENUM to come back as it waits for a peer; presence and search are answered now.
      if (decision.kind === 'reject' && decision.rule === 'enum_unavailable' && STORE_AND_FORWARD.has(kind)) return void unresolved.push(target);
      if (decision.kind === 'reject') return void refused.push({ target, status: decision.status, reason: decision.reason });
      if (decision.kind === 'sms' && kind === 'SendMessageRequest' && !fromCore && !origin.allowsSms) {
        return void refused.push({ target, status: 506, reason: `termination as SMS is not agreed for this origin` });
      }
      if (decision.kind === 'peer' && !fromCore && !origin.isSms) return void refused.push({ target, status: 506, reason: `relay to ${decision.domain} is not agreed: peers may only reach users of ${this.options.domain}` });
      if (decision.kind === 'local' && fromCore) return void refused.push({ target, status: 402, reason: `${target} is served by our own core` });
      const hop = decision.kind === 'peer' ? decision.domain : decision.kind === 'sms' ? SMS_HOP : this.options.coreDomain;
      hops.set(hop, [...(hops.get(hop) ?? []), target]);
    });
    return { hops, refused, unresolved };
  }

  private async answerSmsOnly(record: StoredTransaction, targets: string[], body: TransactionBody): Promise<HopOutcome> {
    const { answer, notification } = answerForSmsOnly(body, targets, this.options.smsOnlyStatusText, this.options.domain);
    if (notification) {
      void this.options.requester.request(record.originDomain, notification).catch((error: unknown) => {
        this.options.logger.warn({ origin: record.originDomain, err: error }, 'sms-only presence notification failed');
      });
    }
    return { kind: 'answered', hop: SMS_HOP, targets, answer };
  }

  /** One SMS per recipient, each its own outcome: a transient failure keeps only that recipient queued. */
  private terminateSms(record: StoredTransaction, targets: string[], body: SendMessageRequest): Promise<HopOutcome[]> {
    const termination = this.options.smsTermination as NonNullable<TransactionDeliveryOptions['smsTermination']>;
    return Promise.all(
      targets.map(async (recipient): Promise<HopOutcome> => {
        const msisdn = parseUserId(recipient)?.msisdn ?? recipient;
        try {
          await termination.terminate({ recordId: record.id, originDomain: record.originDomain, recipient, msisdn, request: body });
          return { kind: 'answered', hop: SMS_HOP, targets: [recipient], answer: answerWithStatus(body, statusOf(200)) };
        } catch (error) {
          const failure = toGatewayError(error);
          if (failure.transient) return { kind: 'transient', hop: SMS_HOP, targets: [recipient], error: failure };
          return { kind: 'answered', hop: SMS_HOP, targets: [recipient], answer: answerWithStatus(body, statusOf(failure.impsStatus, failure.message)) };
        }
      }),
    );
  }

  /** `send`: the recipients and transactionID of this send; a report or a targetless request goes under the record's own. */
  private async sendHop(record: StoredTransaction, hop: string, body: TransactionBody, send: PlannedHopTransaction = { targets: [], transactionID: outboundTransactionID(record.id, hop, []) }): Promise<HopOutcome> {
    const { transactionID, targets } = send;
    const sent = { hop, targets, transactionID, ...(send.replayOf ? { replayOf: send.replayOf } : {}) };
    try {
      const answer = await this.options.requester.request(hop, body, { transactionID });
      const status = statusOfAnswer(answer);
      // A busy peer (503, e.g. its rate limit) takes a stored message later under the same transactionID; 507
      // (queue full) is final, as such a peer keeps that answer for the transactionID. Presence and search
      // get the peer's own answer, TryAgainTimeout and all.
      if (status.code === 503 && STORE_AND_FORWARD.has(body.kind)) {
        const error = new GatewayError('PEER_BUSY', `${hop} answered 503: ${status.description ?? 'try again later'}`, { impsStatus: 503, transient: true });
        return { kind: 'transient', ...sent, error };
      }
      return { kind: 'answered', ...sent, answer };
    } catch (error) {
      const failure = toGatewayError(error);
      if (failure.transient) return { kind: 'transient', ...sent, error: failure };
      return { kind: 'answered', ...sent, answer: answerWithStatus(body, statusOf(failure.impsStatus, failure.message)) };
    }
  }

  private async settle(record: StoredTransaction, outcomes: HopOutcome[], refused: RefusedTarget[]): Promise<void> {
    const answered: PartAnswer[] = outcomes.flatMap((o) => (o.kind === 'answered' ? [{ targets: o.targets, answer: o.answer, ...(o.replayOf ? { replayOf: o.replayOf } : {}) }] : []));
    const transient = outcomes.flatMap((o) => (o.kind === 'transient' ? [o] : []));
    // The bound holds new arrivals back; a record already waiting (for this hop, another one, or ENUM) keeps its place.
    const hasRoom = (t: HopOutcome) => record.targets.length > 0 || this.options.queueDepth(t.hop) < this.options.maxQueuePerTarget;
    const queueable = STORE_AND_FORWARD.has(record.body.kind) ? transient.filter(hasRoom) : [];
    const failedNow: PartAnswer[] = transient
      .filter((t) => !queueable.includes(t))
      .map((t) => ({ targets: t.targets, answer: answerWithStatus(record.body, unqueuedStatus(record, t)) }));
    const queued: PartAnswer[] = queueable.map((t) => ({ targets: t.targets, answer: answerWithStatus(record.body, statusOf(200, `accepted; queued while ${t.hop} is unreachable`)) }));
    // The origin's answer (first round only) is stored in the same write as the delivery state.
    const answer = record.answer === null ? mergeAnswers(record.body, [...answered, ...queued, ...failedNow], refused) : undefined;
    const finalFailures = [...refused, ...[...answered, ...failedNow].flatMap(failuresOfPart)];
    // Stored before this record's own write: a crash in between repeats the round, and the report is idempotent.
    if (!answer && finalFailures.length > 0) await this.storeFailureReport(record, finalFailures);
    if (queueable.length > 0) {
      const attempts = record.attempts + 1;
      const remaining = queueable.flatMap((t) => t.targets);
      // The peer may have taken what timed out: later rounds send those recipients under the same transactionID.
      const sends = outcomes.flatMap((o) => (o.transactionID === undefined ? [] : [{ ...o, transactionID: o.transactionID, uncertain: o.kind === 'transient' && queueable.includes(o) }]));
      const uncertainGroups = uncertainGroupsAfter(record.uncertainGroups, sends);
      await this.options.store.reschedule(record.id, {
        ...(remaining.length > 0 ? { body: withTargets(record.body, remaining) } : {}),
        ...(answer ? { answer } : {}),
        ...(uncertainGroups !== record.uncertainGroups ? { uncertainGroups } : {}),
        targets: [...new Set(queueable.map((t) => t.hop))],
        attempts,
        // Never later than the validity: the originator learns of the expiry when it happens.
        nextAttemptAtMs: Math.min(this.options.now() + retryDelayMs(this.options.retry, attempts, this.options.random), record.expiresAtMs),
      });
    } else {
      await this.options.store.complete(record.id, answer);
    }
    if (answer) await this.answerOrigin(record, answer);
  }

  private async giveUp(record: StoredTransaction, reason: string): Promise<void> {
    const targets = partiesOf(record.body)?.targets ?? [];
    const failures = targets.map((target) => ({ target, status: 542, reason }));
    const answer = record.answer === null ? mergeAnswers(record.body, [], failures) : undefined;
    if (!answer) await this.storeFailureReport(record, failures);
    await this.options.store.complete(record.id, answer);
    if (answer) await this.answerOrigin(record, answer);
  }

  /** A failure report owed to an originator: one attempt per round, retried until taken or expired. */
  private async deliverReport(record: StoredTransaction, origin: string, started: number): Promise<void> {
    if (started >= record.expiresAtMs) {
      this.options.logger.warn({ origin, id: record.id, attempts: record.attempts }, 'failure report given up: the originator did not take it in time');
      return this.options.store.complete(record.id);
    }
    const outcome = await this.sendHop(record, origin, record.body);
    if (outcome.kind === 'answered') return this.options.store.complete(record.id);
    const attempts = record.attempts + 1;
    const nextAttemptAtMs = Math.min(started + retryDelayMs(this.options.retry, attempts, this.options.random), record.expiresAtMs);
    await this.options.store.reschedule(record.id, { targets: [origin], attempts, nextAttemptAtMs });
  }

  /** Send the origin its (already stored) answer. */
  private async answerOrigin(record: StoredTransaction, answer: TransactionBody): Promise<void> {
    if (this.options.describeOrigin(record.originDomain).isSms) return this.logSmsOrigin(record, answer);
    this.options.logger.info(
      { origin: record.originDomain, transactionID: record.originTransactionID, type: record.body.kind, status: statusOfAnswer(answer).code, attempts: record.attempts },
      'transaction answered',
    );
    await this.options.requester.respond(record.originDomain, record.originTransactionID, answer).catch((error: unknown) => {
      this.options.logger.warn({ origin: record.originDomain, transactionID: record.originTransactionID, err: error }, 'answer to origin failed');
    });
  }

  /** Nobody waits for an answer on the SMS side: the outcome of a reply or a report is logged. */
  private logSmsOrigin(record: StoredTransaction, answer: TransactionBody): void {
    const status = statusOfAnswer(answer);
    const fields = { id: record.id, type: record.body.kind, status: status.code, description: status.description, attempts: record.attempts };
    if (status.code >= 200 && status.code < 300) this.options.logger.info(fields, 'sms-originated transaction answered');
    else this.options.logger.warn(fields, 'sms-originated transaction failed');
  }

  /** A queued message that finally failed: its originator is owed a DeliveryStatusReport (failure-report). */
  private async storeFailureReport(record: StoredTransaction, failures: RefusedTarget[]): Promise<void> {
    if (record.body.kind !== 'SendMessageRequest') return;
    if (this.options.describeOrigin(record.originDomain).isSms) return this.logSmsOrigin(record, answerWithStatus(record.body, statusOf(failures[0]?.status ?? 503, failures[0]?.reason)));
    await this.options.store.accept(failureReportFor(record, record.body, failures, this.options.domain, this.options.now()));
  }
}

/** A transient failure that is not queued: the queue is full (507), or the kind is not stored and forwarded (503). */
function unqueuedStatus(record: StoredTransaction, outcome: { hop: string; error: GatewayError }) {
  if (STORE_AND_FORWARD.has(record.body.kind)) return statusOf(507, `queue for ${outcome.hop} is full`, { tryAgainTimeoutSeconds: 60 });
  return statusOf(503, `${outcome.hop} is unreachable: ${outcome.error.message}`, { tryAgainTimeoutSeconds: 30 });
}
