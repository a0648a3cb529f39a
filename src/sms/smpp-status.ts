// SMPP 3.4 command_status values (§5.1.3) the gateway acts on, and what a submit_sm_resp status means for us.
import { GatewayError } from '../errors';

/** SMPP 3.4 §5.1.3 / Table 5-2 error codes used here, by their spec names. */
export const SMPP_STATUS = {
  ESME_ROK: 0x00,
  ESME_RINVCMDID: 0x03,
  ESME_RINVBNDSTS: 0x04,
  ESME_RSYSERR: 0x08,
  ESME_RINVSRCADR: 0x0a,
  ESME_RINVDSTADR: 0x0b,
  ESME_RINVMSGID: 0x0c,
  ESME_RBINDFAIL: 0x0d,
  ESME_RMSGQFUL: 0x14,
  ESME_RINVESMCLASS: 0x43,
  ESME_RINVSRCTON: 0x48,
  ESME_RINVSRCNPI: 0x49,
  ESME_RINVDSTTON: 0x50,
  ESME_RINVDSTNPI: 0x51,
  ESME_RTHROTTLED: 0x58,
  ESME_RX_T_APPN: 0x64,
  ESME_RX_P_APPN: 0x65,
  ESME_RINVDCS: 0x104,
} as const;

const NAMES = new Map<number, string>(Object.entries(SMPP_STATUS).map(([name, value]) => [value, name]));

/** `ESME_RTHROTTLED (0x00000058)`: the name when known, always the number. */
export function describeSmppStatus(status: number): string {
  const hex = `0x${status.toString(16).padStart(8, '0')}`;
  const name = NAMES.get(status);
  return name ? `${name} (${hex})` : hex;
}

/** What a non-zero submit_sm_resp status asks of us. */
export type SubmitFailure = { kind: 'throttled' } | { kind: 'link-down' } | { kind: 'failed'; error: GatewayError };

/** Congestion: pause the link and resubmit (SMPP 3.4 §5.1.3: throttling error, message queue full). */
const THROTTLING: ReadonlySet<number> = new Set([SMPP_STATUS.ESME_RTHROTTLED, SMPP_STATUS.ESME_RMSGQFUL]);
/** Temporary on the SMSC side; the caller keeps the SMS and retries (as Kannel's SMPP client does). */
const TEMPORARY: ReadonlySet<number> = new Set([SMPP_STATUS.ESME_RSYSERR, SMPP_STATUS.ESME_RX_T_APPN]);
/** The address is wrong: IMPS 402, the MSISDN is a bad parameter. */
const BAD_ADDRESS: ReadonlySet<number> = new Set([
  SMPP_STATUS.ESME_RINVSRCADR,
  SMPP_STATUS.ESME_RINVDSTADR,
  SMPP_STATUS.ESME_RINVSRCTON,
  SMPP_STATUS.ESME_RINVSRCNPI,
  SMPP_STATUS.ESME_RINVDSTTON,
  SMPP_STATUS.ESME_RINVDSTNPI,
]);

/** Classify a failed submit_sm_resp: throttle the link, rebind, or fail the message (transient or not). */
export function submitFailureOf(status: number): SubmitFailure {
  if (THROTTLING.has(status)) return { kind: 'throttled' };
  if (status === SMPP_STATUS.ESME_RINVBNDSTS) return { kind: 'link-down' };
  const text = `SMSC refused submit_sm: ${describeSmppStatus(status)}`;
  if (TEMPORARY.has(status)) return { kind: 'failed', error: new GatewayError('SMS_REJECTED', text, { impsStatus: 503, transient: true }) };
  if (BAD_ADDRESS.has(status)) return { kind: 'failed', error: new GatewayError('SMS_BAD_ADDRESS', text, { impsStatus: 402 }) };
  return { kind: 'failed', error: new GatewayError('SMS_REJECTED', text, { impsStatus: 500 }) };
}
