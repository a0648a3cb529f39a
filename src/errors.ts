// Typed failures: every error carries a stable code, the IMPS status to answer with, and whether a retry may help.

/** Stable, module-prefixed error codes. Operators grep logs and metrics for these; never rename one. */
export type GatewayErrorCode =
  | 'SSP_MALFORMED'
  | 'SSP_TOO_LARGE'
  | 'SSP_UNSUPPORTED_MEDIA'
  | 'SSP_BAD_PARAMETER'
  | 'SSP_NOT_IMPLEMENTED'
  | 'SSP_UNKNOWN_SESSION'
  | 'SSP_FOREIGN_SENDER'
  | 'SSP_SETUP_FAILED'
  | 'SSP_SERVICE_NOT_AGREED'
  | 'SSP_DOMAIN_NOT_SUPPORTED'
  | 'SSP_TIMEOUT'
  | 'ENUM_REJECTED'
  | 'ENUM_TIMEOUT'
  | 'ENUM_SERVFAIL'
  | 'ENUM_UNAVAILABLE'
  | 'DNS_TIMEOUT'
  | 'DNS_SERVFAIL'
  | 'DNS_MALFORMED'
  | 'PEER_UNREACHABLE'
  | 'PEER_REJECTED'
  | 'PEER_BUSY'
  | 'SMS_TOO_LONG'
  | 'SMS_BAD_ADDRESS'
  | 'SMS_THROTTLED'
  | 'SMS_SMSC_DOWN'
  | 'SMS_TIMEOUT'
  | 'SMS_REJECTED'
  | 'SMS_UNSUPPORTED_CONTENT'
  | 'STORE_WRITE_FAILED'
  | 'CONFIG_INVALID'
  | 'CLI_USAGE'
  | 'INTERNAL';

export interface GatewayErrorOptions {
  /** IMPS status code to answer with (HTTP-like, see ssp/status-codes). */
  impsStatus?: number;
  /** True when the same operation may succeed later (timeouts, overload, peer down). */
  transient?: boolean;
  cause?: unknown;
}

/** The one error type of the gateway; `message` is the human description sent as StatusDescription. */
export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly impsStatus: number;
  readonly transient: boolean;

  constructor(code: GatewayErrorCode, description: string, options: GatewayErrorOptions = {}) {
    super(description, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.impsStatus = options.impsStatus ?? 500;
    this.transient = options.transient ?? false;
  }
}

/** Narrow an unknown caught value to a GatewayError, wrapping anything else as INTERNAL/500. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const description = error instanceof Error ? error.message : String(error);
  return new GatewayError('INTERNAL', `internal error: ${description}`, { impsStatus: 500, cause: error });
}
