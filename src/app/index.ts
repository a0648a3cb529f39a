export { startGateway, type GatewayDeps, type RunningGateway } from './gateway';
export { startSink, type RunningSink, type SinkOptions, type SinkRecord } from './sink';
export { printableBody } from './printable-body';
export { buildRouting, type RoutingComponents } from './build-routing';
