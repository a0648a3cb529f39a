// deliver_sm (SMPP 3.4 §4.6.1) → a delivery receipt (esm_class 0x04/0x20, Appendix B) or an MO SMS, validated.
import type { Pdu } from 'smpp';
import { addressFromSmpp, ESM_CLASS_UDHI } from './build-submit-sm';
import { concatenationOf, parseUdh } from './concatenation-udh';
import { normaliseSmscMessageId, type SmscMessageIdFormat } from './normalise-smsc-message-id';
import { parseReceiptText } from './parse-receipt-text';
import { isFinalReceiptState, receiptStateOfMessageState, receiptStateOfStat } from './receipt-state';
import { SMPP_STATUS } from './smpp-status';
import type { ConcatenationInfo, DeliveryReceipt, MobileOriginatedSms } from './sms-transport';

/** How the SMSC writes ids in submit_sm_resp (and the receipted_message_id TLV) and in the receipt text. */
export interface SmscIdFormats {
  submitResponse: SmscMessageIdFormat;
  receiptText: SmscMessageIdFormat;
}

/** What a deliver_sm means, or why it is refused (the status to put in deliver_sm_resp). */
export type DeliverSmMeaning =
  | { kind: 'receipt'; receipt: DeliveryReceipt }
  | { kind: 'mo'; sms: MobileOriginatedSms }
  | { kind: 'invalid'; status: number; reason: string };

/** esm_class message type bits (SMPP 3.4 §5.2.12). */
const MESSAGE_TYPE_MASK = 0x3c;
const TYPE_DEFAULT = 0x00;
const TYPE_DELIVERY_RECEIPT = 0x04;
const TYPE_INTERMEDIATE_NOTIFICATION = 0x20;

/** node-smpp's decoded short_message / message_payload: UDH elements split off, text decoded by data_coding. */
interface DecodedUserData {
  udh?: Buffer[];
  message: string | Buffer;
}

/** Read a deliver_sm decoded by node-smpp; never throws on bad input, answers `invalid` instead. */
export function decodeDeliverSm(pdu: Pdu, formats: SmscIdFormats, receivedAt: Date): DeliverSmMeaning {
  const esmClass = typeof pdu.esm_class === 'number' ? pdu.esm_class : 0;
  const userData = userDataOf(pdu);
  if (!userData) return invalid(SMPP_STATUS.ESME_RX_P_APPN, 'deliver_sm carries no readable short_message');
  const type = esmClass & MESSAGE_TYPE_MASK;
  if (type === TYPE_DELIVERY_RECEIPT || type === TYPE_INTERMEDIATE_NOTIFICATION) return decodeReceipt(pdu, userData, formats, receivedAt);
  if (type !== TYPE_DEFAULT) return invalid(SMPP_STATUS.ESME_RINVESMCLASS, `esm_class 0x${esmClass.toString(16)} is not an MO or a receipt`);
  return decodeMobileOriginated(pdu, userData, esmClass, receivedAt);
}

function decodeReceipt(pdu: Pdu, userData: DecodedUserData, formats: SmscIdFormats, receivedAt: Date): DeliverSmMeaning {
  const text = typeof userData.message === 'string' ? userData.message : userData.message.toString('latin1');
  const fields = parseReceiptText(text);
  // SMPP 3.4 §5.3.2.12: the TLV carries the id exactly as submit_sm_resp gave it, so it wins over `id:`.
  const tlvId = typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id.replace(/\0/g, '').trim() : '';
  const id = tlvId ? normaliseSmscMessageId(tlvId, formats.submitResponse) : fields.id ? normaliseSmscMessageId(fields.id, formats.receiptText) : '';
  if (!id) return invalid(SMPP_STATUS.ESME_RX_P_APPN, 'delivery receipt names no message id');
  const tlvState = typeof pdu.message_state === 'number' ? receiptStateOfMessageState(pdu.message_state) : undefined;
  const state = tlvState ?? (fields.stat ? receiptStateOfStat(fields.stat) : undefined);
  if (!state) return invalid(SMPP_STATUS.ESME_RX_P_APPN, 'delivery receipt has no known state');
  const recipient = stringField(pdu.source_addr);
  const receipt: DeliveryReceipt = {
    transport: 'smpp',
    smscMessageId: id,
    state,
    final: isFinalReceiptState(state),
    delivered: state === 'delivered',
    rawStatus: text,
    receivedAt,
    ...(fields.err !== undefined ? { errorCode: fields.err } : {}),
    ...(recipient ? { recipient: addressFromSmpp(numberField(pdu.source_addr_ton), recipient) } : {}),
    ...(fields.doneDate ? { doneAt: fields.doneDate } : {}),
  };
  return { kind: 'receipt', receipt };
}

function decodeMobileOriginated(pdu: Pdu, userData: DecodedUserData, esmClass: number, receivedAt: Date): DeliverSmMeaning {
  const from = stringField(pdu.source_addr);
  const to = stringField(pdu.destination_addr);
  if (!from) return invalid(SMPP_STATUS.ESME_RINVSRCADR, 'MO deliver_sm without source_addr');
  if (!to) return invalid(SMPP_STATUS.ESME_RINVDSTADR, 'MO deliver_sm without destination_addr');
  if (typeof userData.message !== 'string') {
    return invalid(SMPP_STATUS.ESME_RINVDCS, `MO data_coding 0x${numberField(pdu.data_coding).toString(16)} is not a text alphabet`);
  }
  let concatenation: ConcatenationInfo | undefined;
  if (esmClass & ESM_CLASS_UDHI) {
    const elements = parseUdh(wholeUdh(userData.udh ?? []));
    if (!elements) return invalid(SMPP_STATUS.ESME_RX_P_APPN, 'MO user data header is garbled');
    concatenation = concatenationOf(elements);
  } else concatenation = sarConcatenation(pdu);
  const sms: MobileOriginatedSms = {
    transport: 'smpp',
    from: addressFromSmpp(numberField(pdu.source_addr_ton), from),
    to: addressFromSmpp(numberField(pdu.dest_addr_ton), to),
    text: userData.message,
    receivedAt,
    ...(concatenation ? { concatenation } : {}),
  };
  return { kind: 'mo', sms };
}

/** short_message, or message_payload (SMPP 3.4 §5.3.2.32) when short_message is empty. */
function userDataOf(pdu: Pdu): DecodedUserData | undefined {
  const short = asUserData(pdu.short_message);
  const payload = asUserData(pdu.message_payload);
  if (short && (short.message.length > 0 || !payload)) return short;
  return payload;
}

function asUserData(value: unknown): DecodedUserData | undefined {
  if (typeof value !== 'object' || value === null || !('message' in value)) return undefined;
  const { message, udh } = value as { message: unknown; udh?: unknown };
  if (typeof message !== 'string' && !Buffer.isBuffer(message)) return undefined;
  if (udh !== undefined && !(Array.isArray(udh) && udh.every((element) => Buffer.isBuffer(element)))) return undefined;
  return udh === undefined ? { message } : { message, udh: udh as Buffer[] };
}

/** node-smpp hands the UDH over as element slices; rebuild UDHL + elements so `parseUdh` checks every length. */
function wholeUdh(elements: Buffer[]): Buffer {
  const length = elements.reduce((sum, element) => sum + element.length, 0);
  return length > 0xff ? Buffer.alloc(0) : Buffer.concat([Buffer.from([length]), ...elements]);
}

/** SMPP 3.4 §5.3.2.22–24 sar_* TLVs: the other way an SMSC may describe a concatenated part. */
function sarConcatenation(pdu: Pdu): ConcatenationInfo | undefined {
  const reference = pdu.sar_msg_ref_num;
  const total = pdu.sar_total_segments;
  const sequence = pdu.sar_segment_seqnum;
  if (typeof reference !== 'number' || typeof total !== 'number' || typeof sequence !== 'number') return undefined;
  return total > 0 && sequence >= 1 && sequence <= total ? { reference, total, sequence } : undefined;
}

function stringField(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\0/g, '').trim() : '';
}

function numberField(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

function invalid(status: number, reason: string): DeliverSmMeaning {
  return { kind: 'invalid', status, reason };
}
