export { UndiciPeerClient, SSP_CONTENT_TYPE, type ClientTls, type PeerClient, type PostOptions, type PostResult } from './peer-client';
export type { SspRequester } from './ssp-requester';
