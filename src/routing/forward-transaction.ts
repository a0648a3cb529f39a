// The forwarding use case: a verified request from a peer or our core → per-target routes → answer to the origin.
import type { SspRequester } from '../delivery';
import { toGatewayError } from '../errors';
import type { Logger } from '../log';
import { statusOf, type Transaction, type TransactionBody } from '../ssp';
import { answerWithStatus, mergeAnswers, statusOfAnswer, type PartAnswer, type RefusedTarget } from './answers';
import { findForeignOriginator, type OriginPolicy } from './check-originator';
import { presentOriginators } from './present-originators';
import type { RouteDecision, UserRouter } from './route-user';
import { partiesOf } from './transaction-parties';
import { withTargets } from './with-targets';

/** What routing needs to know about the origin of a request (the verified session's peer). */
export interface RequestOrigin {
  peerDomain: string;
}

export interface OriginDescription {
  isCore: boolean;
  policy: OriginPolicy;
  /** How to present our domain-less `wv:+MSISDN` users to this domain when we forward to it. */
  presentUsersAs: 'msisdn' | 'domain';
}

export interface TransactionForwarderOptions {
  domain: string;
  coreDomain: string;
  router: UserRouter;
  requester: SspRequester;
  describeOrigin: (domain: string) => OriginDescription;
  logger: Logger;
}

/** Forwards requests between peers and our core; every request gets exactly one answer and one log line. */
export class TransactionForwarder {
  constructor(private readonly options: TransactionForwarderOptions) {}

  onRequest(origin: RequestOrigin, transaction: Transaction): void {
    const started = performance.now();
    void this.answerFor(origin, transaction.body)
      .catch((error: unknown) => {
        const failure = toGatewayError(error);
        return answerWithStatus(transaction.body, statusOf(failure.impsStatus, failure.message));
      })
      .then(async (answer) => {
        const status = statusOfAnswer(answer).code;
        this.options.logger.info(
          { peer: origin.peerDomain, transactionID: transaction.transactionID, type: transaction.body.kind, status, durationMs: Math.round(performance.now() - started) },
          'transaction forwarded',
        );
        await this.options.requester.respond(origin.peerDomain, transaction.transactionID, answer);
      })
      .catch((error: unknown) => this.options.logger.warn({ peer: origin.peerDomain, transactionID: transaction.transactionID, err: error }, 'answer to origin failed'));
  }

  private async answerFor(origin: RequestOrigin, request: TransactionBody): Promise<TransactionBody> {
    const parties = partiesOf(request);
    if (!parties) return answerWithStatus(request, statusOf(405, `${request.kind} is not a request this gateway forwards`));
    const described = this.options.describeOrigin(origin.peerDomain);
    const foreign = findForeignOriginator(parties, described.policy);
    if (foreign) return answerWithStatus(request, statusOf(901, foreign));
    if (parties.groups.length > 0) return answerWithStatus(request, statusOf(405, 'group recipients are not routed between domains (IM-0020)'));
    if (parties.targets.length === 0) {
      if (described.isCore) return answerWithStatus(request, statusOf(402, `${request.kind} names no recipient this gateway can route`));
      return this.options.requester.request(this.options.coreDomain, request);
    }
    const decisions = await Promise.all(parties.targets.map((target) => this.options.router.route(target, parties.service)));
    const { hops, refused } = this.groupByHop(parties.targets, decisions, described.isCore);
    const hopEntries = [...hops.entries()];
    if (refused.length === 0 && hopEntries.length === 1) {
      const [hop] = hopEntries[0] as [string, string[]];
      return this.send(hop, request, described);
    }
    const parts: PartAnswer[] = await Promise.all(
      hopEntries.map(async ([hop, targets]) => ({ targets, answer: await this.send(hop, withTargets(request, targets), described).catch((error: unknown) => failedAnswer(request, error)) })),
    );
    return mergeAnswers(request, parts, refused);
  }

  /**
   * Peers reach only our users (no open relay to third domains); our core reaches only other domains.
   * Returns next hop domain → its targets, and the refused targets.
   */
  private groupByHop(targets: string[], decisions: RouteDecision[], fromCore: boolean) {
    const hops = new Map<string, string[]>();
    const refused: RefusedTarget[] = [];
    decisions.forEach((decision, index) => {
      const target = targets[index] as string;
      if (decision.kind === 'reject') return refused.push({ target, status: decision.status, reason: decision.reason });
      if (decision.kind === 'peer' && !fromCore) return refused.push({ target, status: 506, reason: `relay to ${decision.domain} is not agreed: peers may only reach users of ${this.options.domain}` });
      if (decision.kind === 'local' && fromCore) return refused.push({ target, status: 402, reason: `${target} is served by our own core` });
      const hop = decision.kind === 'peer' ? decision.domain : this.options.coreDomain;
      hops.set(hop, [...(hops.get(hop) ?? []), target]);
      return undefined;
    });
    return { hops, refused };
  }

  private send(hop: string, request: TransactionBody, origin: OriginDescription): Promise<TransactionBody> {
    if (hop === this.options.coreDomain || !origin.isCore) return this.options.requester.request(hop, request);
    const presentAs = this.options.describeOrigin(hop).presentUsersAs;
    return this.options.requester.request(hop, presentOriginators(request, presentAs, this.options.domain));
  }
}

function failedAnswer(request: TransactionBody, error: unknown): TransactionBody {
  const failure = toGatewayError(error);
  return answerWithStatus(request, statusOf(failure.impsStatus, failure.message));
}
