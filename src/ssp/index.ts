// Public face of the WV-SSP 1.3 codec (ssp-profile.md): typed model, decode, encode, status codes; no I/O.

export * from './messages';
export { decodeSspMessage, DEFAULT_SSP_DECODE_LIMITS, type SspDecodeOptions } from './decode-ssp-message';
export { encodeSspMessage } from './encode-ssp-message';
export { SspDecodeError, type SspDecodeContext, type SspDecodeErrorCode, type SspDecodeErrorOptions } from './ssp-decode-error';
export { IMPS_STATUS_CODES, describeStatus, statusLabel, statusOf, type StatusExtra } from './status-codes';
export { md5Digest } from './md5-digest';
export { SSP_NAMESPACE, PRESENCE_NAMESPACE } from './namespaces';
