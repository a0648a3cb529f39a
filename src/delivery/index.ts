export { UndiciPeerClient, SSP_CONTENT_TYPE, type ClientTls, type PeerClient, type PostOptions, type PostResult } from './peer-client';
export type { SspRequester } from './ssp-requester';
export { retryDelayMs, type RetrySchedule } from './retry-schedule';
export { CircuitBreakers, type CircuitBreakerOptions, type CircuitState } from './circuit-breaker';
export { TokenBucket, type TokenBucketOptions } from './token-bucket';
export { RedeliveryScheduler, type RedeliverySchedulerOptions } from './redelivery-scheduler';
export { BreakingPeerClient } from './breaking-peer-client';
