// Encoded SMS model (3GPP TS 23.038 §4 data coding, TS 23.040 §9.2.3.24.1 concatenation limits): what a transport sends.

/** The two alphabets the gateway sends: the GSM 7-bit default alphabet (with extension table) or UCS-2. */
export type SmsEncoding = 'gsm7' | 'ucs2';

/** SMPP data_coding per encoding, always set explicitly (SMPP 3.4 §5.2.19): 0x00 SMSC default (GSM), 0x08 UCS-2. */
export const DATA_CODING: Readonly<Record<SmsEncoding, 0x00 | 0x08>> = { gsm7: 0x00, ucs2: 0x08 };

/** Capacity of one SMS and of one concatenated part (a 6-octet UDH leaves 153 septets / 67 UCS-2 units). */
export interface SmsUnitLimits {
  single: number;
  perPart: number;
}

/** Units are septets for GSM 7-bit and UTF-16 code units for UCS-2 (a character outside the BMP takes two). */
export const SMS_UNIT_LIMITS: Readonly<Record<SmsEncoding, SmsUnitLimits>> = {
  gsm7: { single: 160, perPart: 153 },
  ucs2: { single: 70, perPart: 67 },
};

/** One short message on the air: its text, its length in units and the short_message payload bytes (no UDH). */
export interface SmsSegment {
  text: string;
  units: number;
  /** Unpacked GSM septets (one per octet) or UTF-16BE. */
  payload: Buffer;
}

/** A logical SMS ready for a transport: the encoding is decided here once and never again downstream. */
export interface EncodedSms {
  encoding: SmsEncoding;
  dataCoding: 0x00 | 0x08;
  /** The whole text sent, operator text included, after any truncation. */
  text: string;
  /** Length of `text` in units of `encoding`. */
  units: number;
  /** One segment = a single SMS without UDH; more = concatenated parts in order. */
  segments: SmsSegment[];
  /** True when the oversize policy cut the message text to fit one SMS. */
  truncated: boolean;
}
