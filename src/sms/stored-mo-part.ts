// A waiting part of a concatenated MO reply as the SMS store keeps it, and back (see MoReplyRouter).
import type { PendingMoPart } from '../store';
import { reassemblyKey } from './concat-reassembler';
import type { ConcatenationInfo, MobileOriginatedSms } from './sms-transport';

/** The row of `sms`, a part of the wait that began at `firstAtMs`. */
export function pendingMoPartOf(sms: MobileOriginatedSms, info: ConcatenationInfo, firstAtMs: number): PendingMoPart {
  return {
    messageKey: reassemblyKey(sms, info),
    sequence: info.sequence,
    total: info.total,
    reference: info.reference,
    transport: sms.transport,
    from: sms.from,
    to: sms.to,
    text: sms.text,
    ...(sms.smsc === undefined ? {} : { smsc: sms.smsc }),
    receivedAtMs: sms.receivedAt.getTime(),
    firstAtMs,
  };
}

/** The part a stored row holds, as the transport delivered it. */
export function mobileOriginatedOf(part: PendingMoPart): MobileOriginatedSms {
  return {
    transport: part.transport,
    from: part.from,
    to: part.to,
    text: part.text,
    concatenation: { reference: part.reference, total: part.total, sequence: part.sequence },
    ...(part.smsc === undefined ? {} : { smsc: part.smsc }),
    receivedAt: new Date(part.receivedAtMs),
  };
}
