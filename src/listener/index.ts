export { SspNode, type InboundRequestHandler, type SspNodeOptions } from './ssp-node';
export { createSspEndpoint } from './ssp-endpoint';
export { createAdminEndpoint } from './admin-endpoint';
export { listen, splitHostPort, type BoundServer } from './listen';
export { ConfiguredPeerDirectory } from './configured-peer-directory';
export { FixedPeerDirectory } from './fixed-peer-directory';
export type { PeerDirectory, PeerEndpoint, PeerPolicy } from './peer-directory';
export type { SspSession } from './session-table';
