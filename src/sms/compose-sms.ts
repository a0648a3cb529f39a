// IM text → SMS (seed 000 IM-0030, footnotes 4–5; seed 001 GEN-5..7): operator text, alphabet, oversize policy.
import { GatewayError } from '../errors';
import { DATA_CODING, SMS_UNIT_LIMITS, type EncodedSms, type SmsEncoding } from './encoded-sms';
import { gsmSeptetsOf, measureGsm7 } from './gsm-alphabet';
import { chooseSmsEncoding, segmentSmsText } from './segment-sms-text';

/**
 * What to do with a message that does not fit one SMS (GEN-6 names "reject"; IM-0030 limits IM to legacy
 * customers to one SMS): `reject` it, `truncate` it to one SMS, or `concatenate` up to `maxParts` parts.
 */
export type OversizePolicy = 'reject' | 'truncate' | 'concatenate';

/** Operator rules for IM → SMS text (config `sms.text`). */
export interface SmsTextPolicy {
  oversize: OversizePolicy;
  /** Most parts `concatenate` may use; a longer message is rejected (TS 23.040 allows 255, tariffs favour few). */
  maxParts: number;
  /** Operator text before the IM text (seed 000 footnote 4: the source, a service introduction); `{sender}` is replaced. */
  prefix: string;
  /** Operator text after the IM text; `{sender}` is replaced. Both count within the limits. */
  suffix: string;
}

/** The IM text to send as SMS and who sent it. */
export interface ImTextForSms {
  text: string;
  /** Display name of the IM sender, substituted for `{sender}` in the operator text. */
  sender?: string;
}

/** Build the SMS for one IM text under `policy`; throws SMS_TOO_LONG (IMPS 402) when the policy refuses. */
export function composeSms(input: ImTextForSms, policy: SmsTextPolicy): EncodedSms {
  const prefix = policy.prefix.replaceAll('{sender}', input.sender ?? '');
  const suffix = policy.suffix.replaceAll('{sender}', input.sender ?? '');
  const whole = prefix + input.text + suffix;
  const { encoding, units } = chooseSmsEncoding(whole);
  if (units <= SMS_UNIT_LIMITS[encoding].single) return encodedSms(whole, encoding, units, false);
  switch (policy.oversize) {
    case 'reject':
      throw tooLong(`the message is ${units} ${unitName(encoding)} long; an SMS holds ${SMS_UNIT_LIMITS[encoding].single} (IM-0030)`);
    case 'truncate':
      return truncateToOneSms(prefix, input.text, suffix);
    case 'concatenate':
      return concatenate(whole, encoding, units, policy.maxParts);
  }
}

function concatenate(text: string, encoding: SmsEncoding, units: number, maxParts: number): EncodedSms {
  const sms = encodedSms(text, encoding, units, false);
  if (sms.segments.length > maxParts) {
    throw tooLong(`the message needs ${sms.segments.length} SMS parts (${units} ${unitName(encoding)}); at most ${maxParts} are allowed`);
  }
  return sms;
}

/**
 * Keep the longest start of the IM text that fits one SMS together with the operator text, in whichever
 * alphabet keeps more of it (cutting before the first non-GSM character may beat UCS-2's 70-unit limit).
 */
function truncateToOneSms(prefix: string, body: string, suffix: string): EncodedSms {
  const fixed = prefix + suffix;
  const fixedSeptets = measureGsm7(fixed);
  let gsmRoom = fixedSeptets === undefined ? -1 : SMS_UNIT_LIMITS.gsm7.single - fixedSeptets;
  let ucsRoom = SMS_UNIT_LIMITS.ucs2.single - fixed.length;
  if (gsmRoom < 0 && ucsRoom < 0) throw tooLong('the operator text alone does not fit one SMS');
  let gsmEnd = 0;
  let ucsEnd = 0;
  let index = 0;
  for (const char of body) {
    const septets = gsmSeptetsOf(char.codePointAt(0) ?? 0);
    if (gsmRoom >= 0 && septets > 0 && septets <= gsmRoom) {
      gsmRoom -= septets;
      gsmEnd = index + char.length;
    } else gsmRoom = -1;
    if (ucsRoom >= 0 && char.length <= ucsRoom) {
      ucsRoom -= char.length;
      ucsEnd = index + char.length;
    } else ucsRoom = -1;
    if (gsmRoom < 0 && ucsRoom < 0) break;
    index += char.length;
  }
  // Whichever cut is longer fits one SMS in the alphabet the cut text itself needs (≤ 70 GSM chars ≤ 140 septets).
  const text = prefix + body.slice(0, Math.max(gsmEnd, ucsEnd)) + suffix;
  const { encoding, units } = chooseSmsEncoding(text);
  return encodedSms(text, encoding, units, true);
}

function encodedSms(text: string, encoding: SmsEncoding, units: number, truncated: boolean): EncodedSms {
  return { encoding, dataCoding: DATA_CODING[encoding], text, units, segments: segmentSmsText(text, encoding, units), truncated };
}

function unitName(encoding: SmsEncoding): string {
  return encoding === 'gsm7' ? 'GSM 7-bit characters' : 'UCS-2 characters';
}

function tooLong(description: string): GatewayError {
  return new GatewayError('SMS_TOO_LONG', `too long for SMS: ${description}`, { impsStatus: 402, transient: false });
}
