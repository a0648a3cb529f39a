export { FORWARDABLE_TRANSACTIONS, configSchema, type GatewayConfig, type PeerConfig } from './schema';
export { checkServedFiles, loadConfigFile, parseConfig } from './load-config';
