// GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1 / §6.2.1.1), as unpacked septets.
import { GatewayError } from '../errors';

/** The escape septet: the next septet is read from the extension table (TS 23.038 §6.2.1.1). */
const GSM_ESCAPE = 0x1b;

/** The basic table, indexed by septet value; 0x1B is the escape, not a character. */
const BASIC_TABLE =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Extension characters and the septet that follows the escape for each (form feed, ^ { } \ [ ~ ] | €). */
const EXTENSION_TABLE: ReadonlyArray<readonly [string, number]> = [
  ['\f', 0x0a],
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
];

/** Code point → septet, built once; the escape itself is deliberately absent (a raw ESC is not text). */
const basicSeptets = new Map<number, number>();
for (let septet = 0; septet < BASIC_TABLE.length; septet++) {
  if (septet !== GSM_ESCAPE) basicSeptets.set(BASIC_TABLE.charCodeAt(septet), septet);
}
const extensionSeptets = new Map<number, number>(EXTENSION_TABLE.map(([char, septet]) => [char.charCodeAt(0), septet]));

/**
 * Septets one character (code point) takes in the GSM 7-bit alphabet: 1 for the basic table, 2 for an
 * extension character (escape + septet), 0 when the alphabet cannot represent it.
 */
export function gsmSeptetsOf(codePoint: number): 0 | 1 | 2 {
  if (basicSeptets.has(codePoint)) return 1;
  if (extensionSeptets.has(codePoint)) return 2;
  return 0;
}

/** Length of `text` in septets, or `undefined` when some character is outside the GSM 7-bit alphabet. */
export function measureGsm7(text: string): number | undefined {
  let septets = 0;
  for (let index = 0; index < text.length; index++) {
    const cost = gsmSeptetsOf(text.charCodeAt(index));
    if (cost === 0) return undefined;
    septets += cost;
  }
  return septets;
}

/**
 * Encode to unpacked septets, one per octet: what SMPP carries in short_message for data_coding 0x00
 * (SMPP 3.4 §5.2.19; packing into 7 bits is the SMSC's job on the radio side).
 */
export function encodeGsm7(text: string): Buffer {
  const septets = Buffer.allocUnsafe(text.length * 2);
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const basic = basicSeptets.get(code);
    if (basic !== undefined) {
      septets[length++] = basic;
      continue;
    }
    const extension = extensionSeptets.get(code);
    if (extension === undefined) {
      throw new GatewayError('INTERNAL', `character U+${code.toString(16).padStart(4, '0')} is not in the GSM 7-bit alphabet`);
    }
    septets[length++] = GSM_ESCAPE;
    septets[length++] = extension;
  }
  return septets.subarray(0, length);
}
