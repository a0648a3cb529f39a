// Decode failures of WV-SSP 1.3 envelopes (ssp-profile.md §1–§2): the IMPS status to answer, and the ids read so far.

import { GatewayError, type GatewayErrorCode } from '../errors';

/** The error codes a decode failure can carry. */
export type SspDecodeErrorCode = Extract<
  GatewayErrorCode,
  'SSP_MALFORMED' | 'SSP_BAD_PARAMETER' | 'SSP_TOO_LARGE' | 'SSP_NOT_IMPLEMENTED'
>;

/** Where in the envelope the failure happened, when the ids were readable. */
export interface SspDecodeContext {
  transactionID?: string;
  sessionID?: string;
}

/** IMPS status (400 unless said), location and underlying cause of a decode failure. */
export interface SspDecodeErrorOptions extends SspDecodeContext {
  impsStatus?: number;
  cause?: unknown;
}

/**
 * A message (or one of its fields) that cannot be read. With `transactionID` known the listener answers with
 * an SSP Status (in a Session when `sessionID` is known too); without it, with a plain HTTP 400 (§1).
 */
export class SspDecodeError extends GatewayError {
  readonly transactionID?: string;
  readonly sessionID?: string;

  constructor(code: SspDecodeErrorCode, description: string, options: SspDecodeErrorOptions = {}) {
    super(code, description, { impsStatus: options.impsStatus ?? 400, transient: false, cause: options.cause });
    this.name = 'SspDecodeError';
    if (options.transactionID !== undefined) this.transactionID = options.transactionID;
    if (options.sessionID !== undefined) this.sessionID = options.sessionID;
  }

  /** The same failure, located in the envelope (ids already known are kept). */
  within(context: SspDecodeContext): SspDecodeError {
    return new SspDecodeError(this.code as SspDecodeErrorCode, this.message, {
      impsStatus: this.impsStatus,
      transactionID: this.transactionID ?? context.transactionID,
      sessionID: this.sessionID ?? context.sessionID,
      cause: this.cause,
    });
  }
}

/** 400: the XML or a required element/attribute is missing or unreadable. */
export function malformed(description: string, cause?: unknown): SspDecodeError {
  return new SspDecodeError('SSP_MALFORMED', description, { impsStatus: 400, cause });
}

/** 402: a value is present but not acceptable (non-numeric code, bad Yes/No, bad base64). */
export function badParameter(description: string): SspDecodeError {
  return new SspDecodeError('SSP_BAD_PARAMETER', description, { impsStatus: 402 });
}
