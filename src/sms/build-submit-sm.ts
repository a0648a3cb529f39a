// submit_sm parameters for one logical SMS (SMPP 3.4 §4.4.1; UDH concatenation per 3GPP TS 23.040 §9.2.3.24.1).
import { GatewayError } from '../errors';
import { buildConcatUdh } from './concatenation-udh';
import type { OutboundSms } from './sms-transport';

/** SMPP 3.4 §5.2.5–6 type of number / numbering plan values used here. */
const TON_UNKNOWN = 0x00;
const TON_INTERNATIONAL = 0x01;
const TON_ALPHANUMERIC = 0x05;
const NPI_UNKNOWN = 0x00;
const NPI_ISDN = 0x01;

/** esm_class UDHI bit (SMPP 3.4 §5.2.12): short_message starts with a UDH. */
export const ESM_CLASS_UDHI = 0x40;

const E164 = /^\+[1-9][0-9]{1,14}$/;
/** Alphanumeric sender: up to 11 characters (TS 23.040 §9.1.2.5, 7-bit, 11 fit in the 10-octet address). */
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ._-]{1,11}$/;
const SHORT_CODE = /^[0-9]{1,11}$/;

/** An SMPP address triple (SMPP 3.4 §5.2.5–8). */
export interface SmppAddress {
  ton: number;
  npi: number;
  address: string;
}

/** The SMPP address for `+digits` (international/ISDN), an alphanumeric sender or a short code (sender only). */
export function smppAddressOf(value: string, role: 'from' | 'to'): SmppAddress {
  if (E164.test(value)) return { ton: TON_INTERNATIONAL, npi: NPI_ISDN, address: value.slice(1) };
  if (role === 'from' && ALPHANUMERIC_SENDER.test(value)) return { ton: TON_ALPHANUMERIC, npi: NPI_UNKNOWN, address: value };
  if (role === 'from' && SHORT_CODE.test(value)) return { ton: TON_UNKNOWN, npi: NPI_ISDN, address: value };
  const expected = role === 'to' ? '+ and digits (E.164)' : '+ and digits, a short code or up to 11 letters/digits';
  throw new GatewayError('SMS_BAD_ADDRESS', `SMS ${role} address ${JSON.stringify(value)} is not ${expected}`, { impsStatus: 402 });
}

/** A handset address as the gateway writes it: `+digits` when the SMSC says international, else as given. */
export function addressFromSmpp(ton: number, address: string): string {
  return ton === TON_INTERNATIONAL && /^\+?[0-9]+$/.test(address) ? `+${address.replace(/^\+/, '')}` : address;
}

/**
 * One submit_sm parameter set per segment. data_coding is always explicit (node-smpp would otherwise pick
 * 0x01/IA5 for GSM text) and short_message is passed as bytes, so node-smpp re-encodes nothing. Several
 * segments get UDH concatenation with `concatReference` (8-bit) and esm_class 0x40.
 */
export function buildSubmitSm(outbound: OutboundSms, concatReference: number, serviceType = ''): Record<string, unknown>[] {
  const source = smppAddressOf(outbound.from, 'from');
  const destination = smppAddressOf(outbound.to, 'to');
  const segments = outbound.sms.segments;
  const multipart = segments.length > 1;
  return segments.map((segment, index) => ({
    service_type: serviceType,
    source_addr_ton: source.ton,
    source_addr_npi: source.npi,
    source_addr: source.address,
    dest_addr_ton: destination.ton,
    dest_addr_npi: destination.npi,
    destination_addr: destination.address,
    esm_class: multipart ? ESM_CLASS_UDHI : 0x00,
    protocol_id: 0,
    priority_flag: 0,
    // SMPP 3.4 §5.2.17: 0x01 = SMSC delivery receipt on final outcome, success or failure.
    registered_delivery: outbound.requestReceipt ? 0x01 : 0x00,
    data_coding: outbound.sms.dataCoding,
    short_message: multipart
      ? Buffer.concat([buildConcatUdh(concatReference, segments.length, index + 1), segment.payload])
      : segment.payload,
  }));
}
