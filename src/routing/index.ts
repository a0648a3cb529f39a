export { UserRouter, type RouteDecision, type RouteService, type UserRouterOptions } from './route-user';
export { TransactionForwarder, type OriginDescription, type RequestOrigin } from './forward-transaction';
export { parseUserId, parseServiceId, serviceIdOf, type UserIdentity } from './user-id';
export { partiesOf, type Parties } from './transaction-parties';
