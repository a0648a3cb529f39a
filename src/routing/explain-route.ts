// Route explanation for operators (`ssp-gateway route`, admin GET /routes/<userID>): the decision and why.
import type { RouteService, UserRouter } from './route-user';

export interface ExplainedTarget {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export interface RouteExplanation {
  user: string;
  service: RouteService;
  decision: 'local' | 'peer' | 'sms' | 'reject';
  peer: string | null;
  targets: ExplainedTarget[];
  /** The IMPS status a reject is answered with; null otherwise. */
  status: number | null;
  reason: string;
  trace: string[];
}

/** Where a peer's SSP server is: configured URL or DNS SRV, in failover order, with the steps taken. */
export type PeerLocator = (domain: string) => Promise<{ targets: ExplainedTarget[]; trace: string[] }>;

export async function explainRoute(user: string, service: RouteService, router: UserRouter, locatePeer: PeerLocator): Promise<RouteExplanation> {
  const decision = await router.route(user, service, { explain: true });
  if (decision.kind === 'reject') {
    return { user, service, decision: 'reject', peer: null, targets: [], status: decision.status, reason: decision.reason, trace: decision.trace };
  }
  if (decision.kind === 'sms') {
    return { user, service, decision: 'sms', peer: null, targets: [], status: null, reason: decision.reason, trace: decision.trace };
  }
  if (decision.kind === 'local') {
    return { user, service, decision: 'local', peer: null, targets: [], status: null, reason: decision.reason, trace: decision.trace };
  }
  const located = await locatePeer(decision.domain);
  return { user, service, decision: 'peer', peer: decision.domain, targets: located.targets, status: null, reason: decision.reason, trace: [...decision.trace, ...located.trace] };
}
