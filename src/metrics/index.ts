export { GatewayMetrics } from './gateway-metrics';
