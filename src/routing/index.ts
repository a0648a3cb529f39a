export { UserRouter, type RouteDecision, type RouteRule, type RouteService, type UserRouterOptions } from './route-user';
export { TransactionAdmission, type AdmittedOrigin, type TransactionAdmissionOptions } from './accept-transaction';
export { TransactionDelivery, type OriginDescription, type TransactionDeliveryOptions } from './deliver-transaction';
export { parseUserId, parseServiceId, serviceIdOf, type UserIdentity } from './user-id';
export { partiesOf, type Parties } from './transaction-parties';
export { explainRoute, type ExplainedTarget, type PeerLocator, type RouteExplanation } from './explain-route';
