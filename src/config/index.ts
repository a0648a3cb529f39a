export { FORWARDABLE_TRANSACTIONS, configSchema, type GatewayConfig, type PeerConfig } from './schema';
export { loadConfigFile, parseConfig } from './load-config';
