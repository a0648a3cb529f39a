// Alphabet choice and segmentation of SMS text (3GPP TS 23.038 §6.2.1, TS 23.040 §9.2.3.24.1 concatenation).
import { encodeGsm7, gsmSeptetsOf, measureGsm7 } from './gsm-alphabet';
import { SMS_UNIT_LIMITS, type SmsEncoding, type SmsSegment } from './encoded-sms';

/** GSM 7-bit when every character fits its alphabet (it packs 160 to an SMS), otherwise UCS-2. */
export function chooseSmsEncoding(text: string): { encoding: SmsEncoding; units: number } {
  const septets = measureGsm7(text);
  return septets === undefined ? { encoding: 'ucs2', units: text.length } : { encoding: 'gsm7', units: septets };
}

/** Units one character (a whole code point, as iterated by for…of) takes in `encoding`. */
function smsUnitsOf(char: string, encoding: SmsEncoding): number {
  return encoding === 'ucs2' ? char.length : gsmSeptetsOf(char.codePointAt(0) ?? 0);
}

/**
 * Greedy split into chunks of at most `unitsPerPart` units. Characters are atomic: an extension character
 * (escape + septet) or a surrogate pair always stays whole in one chunk, so a chunk may end a unit short.
 */
export function splitSmsText(text: string, encoding: SmsEncoding, unitsPerPart: number): string[] {
  const chunks: string[] = [];
  let start = 0;
  let end = 0;
  let units = 0;
  for (const char of text) {
    const cost = smsUnitsOf(char, encoding);
    if (units + cost > unitsPerPart) {
      chunks.push(text.slice(start, end));
      start = end;
      units = 0;
    }
    units += cost;
    end += char.length;
  }
  if (end > start || chunks.length === 0) chunks.push(text.slice(start, end));
  return chunks;
}

/** short_message payload bytes: unpacked septets for GSM 7-bit, UTF-16BE for UCS-2. */
export function encodeSmsPayload(text: string, encoding: SmsEncoding): Buffer {
  return encoding === 'gsm7' ? encodeGsm7(text) : Buffer.from(text, 'utf16le').swap16();
}

/** One segment when the text fits a single SMS, else parts of 153 septets / 67 UCS-2 units. */
export function segmentSmsText(text: string, encoding: SmsEncoding, units: number): SmsSegment[] {
  const limits = SMS_UNIT_LIMITS[encoding];
  const chunks = units <= limits.single ? [text] : splitSmsText(text, encoding, limits.perPart);
  return chunks.map((chunk) => {
    const payload = encodeSmsPayload(chunk, encoding);
    return { text: chunk, units: encoding === 'gsm7' ? payload.length : payload.length / 2, payload };
  });
}
