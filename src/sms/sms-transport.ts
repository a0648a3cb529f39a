// SmsTransport role (seed 000 use cases 2 and 4): submit MT SMS, hand receipts and MO SMS to one consumer.
import type { Logger } from '../log';
import type { EncodedSms } from './encoded-sms';
import type { ReceiptState } from './receipt-state';

/** Link state, for metrics and health: `connected` = bound to the SMSC / smsbox answering. */
export type SmsTransportState = 'connected' | 'disconnected';

/** One logical SMS to send. The encoding was decided by `composeSms`; transports never re-decide it. */
export interface OutboundSms {
  /** Our id for this SMS (the durable store's key); receipts carry it back when the transport can. */
  reference: string;
  /** `+` and digits (E.164), or an alphanumeric sender of up to 11 characters. */
  from: string;
  /** `+` and digits (E.164). */
  to: string;
  sms: EncodedSms;
  requestReceipt: boolean;
}

/** The SMSC took every part of the SMS. */
export interface SubmitResult {
  reference: string;
  /**
   * Normalised SMSC message id per part, in part order (see `normaliseSmscMessageId`). Empty when the
   * transport only learns ids from receipts (Kannel's sendsms answers "Accepted" without an id).
   */
  smscMessageIds: string[];
  submittedAt: Date;
}

/** A delivery report about one submitted SMS (or one part of it, with SMPP). */
export interface DeliveryReceipt {
  transport: 'smpp' | 'kannel';
  /** Normalised SMSC message id (same form as in SubmitResult), when the receipt names one. */
  smscMessageId?: string;
  /** Our reference, when the transport can tell (Kannel: always; SMPP: while the submission is remembered). */
  reference?: string;
  /** Which part of a concatenated SMS this receipt is about (0-based), when known. */
  partIndex?: number;
  state: ReceiptState;
  /** No further receipt will follow for this message (part). */
  final: boolean;
  delivered: boolean;
  /** SMSC / network error code as reported (`err:` field, Kannel's answer), when not a success. */
  errorCode?: string;
  /** The receipt as received (SMPP short_message text, Kannel `%A` answer) for logs and support. */
  rawStatus: string;
  /** The handset the SMS went to, when reported. */
  recipient?: string;
  /** When the SMSC says the message reached its final state (`done date:`), when reported. */
  doneAt?: Date;
  receivedAt: Date;
}

/** Concatenation info of an MO part handed over separately (TS 23.040 §9.2.3.24.1 / SMPP sar_* TLVs). */
export interface ConcatenationInfo {
  reference: number;
  total: number;
  /** 1-based. */
  sequence: number;
}

/** An SMS from a handset (a legacy customer's reply, seed 000 use case 4). */
export interface MobileOriginatedSms {
  transport: 'smpp' | 'kannel';
  /** Sender handset: `+digits` when the SMSC gives an international number, else as given. */
  from: string;
  /** The number the handset sent to (our short code / long number). */
  to: string;
  text: string;
  /** Present when this is one part of a concatenated SMS; join parts with `ConcatReassembler`. */
  concatenation?: ConcatenationInfo;
  /** SMSC name (Kannel `X-Kannel-SMSC`), when known. */
  smsc?: string;
  receivedAt: Date;
}

/**
 * The one consumer of inbound traffic. The transport acknowledges a receipt or MO to the SMSC only after
 * the promise resolves, so the consumer can store it durably first; a rejection with a transient
 * GatewayError asks the SMSC to retry later, any other rejection refuses the PDU/request for good.
 */
export interface SmsInboundHandler {
  receipt(receipt: DeliveryReceipt): Promise<void>;
  mobileOriginated(sms: MobileOriginatedSms): Promise<void>;
}

/** An SMS bearer: SMPP (`SmppTransport`) or Kannel's HTTP interfaces (`KannelTransport`). */
export interface SmsTransport {
  readonly kind: 'smpp' | 'kannel';
  readonly state: SmsTransportState;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Submit one logical SMS (all its parts). Rejects with a GatewayError: transient (SMS_THROTTLED,
   * SMS_SMSC_DOWN, SMS_TIMEOUT) means keep it and retry later; permanent (SMS_REJECTED, SMS_BAD_ADDRESS) not.
   */
  submit(sms: OutboundSms, signal?: AbortSignal): Promise<SubmitResult>;
  /** Set the consumer of receipts and MO; until one is set, inbound traffic is refused as temporary. */
  setInboundHandler(handler: SmsInboundHandler): void;
  /** Observe state changes (metrics, logs, tests); returns the function that stops observing. */
  onStateChange(listener: (state: SmsTransportState) => void): () => void;
}

/** What a transport gets from the composition root besides its config. */
export interface SmsTransportDeps {
  logger?: Logger;
  /** Wall clock for receivedAt / submittedAt (injected for tests). */
  now?: () => Date;
  /** Source of randomness for reconnect jitter and the first concatenation reference. */
  random?: () => number;
}
