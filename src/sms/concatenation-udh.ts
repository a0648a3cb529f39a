// User Data Header for concatenated SMS (3GPP TS 23.040 §9.2.3.24 and §9.2.3.24.1 / .24.8): build and read.
import type { ConcatenationInfo } from './sms-transport';

/** IEI 0x00: concatenated short messages, 8-bit reference number. */
const IEI_CONCAT_8BIT = 0x00;
/** IEI 0x08: concatenated short messages, 16-bit reference number. */
const IEI_CONCAT_16BIT = 0x08;

/** One UDH information element: identifier and data (TS 23.040 §9.2.3.24). */
export interface UdhElement {
  iei: number;
  data: Buffer;
}

/** The 6-octet UDH we send: UDHL 5, IEI 0x00, length 3, reference, total parts, this part's 1-based number. */
export function buildConcatUdh(reference: number, total: number, sequence: number): Buffer {
  return Buffer.from([0x05, IEI_CONCAT_8BIT, 0x03, reference & 0xff, total, sequence]);
}

/**
 * Split a whole UDH (starting with its length octet UDHL) into information elements; `undefined` when
 * UDHL or an element length overruns the header (a garbled header must not be half-read).
 */
export function parseUdh(udh: Buffer): UdhElement[] | undefined {
  if (udh.length < 1 || udh[0] !== udh.length - 1) return undefined;
  const elements: UdhElement[] = [];
  let offset = 1;
  while (offset < udh.length) {
    const iei = udh[offset];
    const length = udh[offset + 1];
    if (iei === undefined || length === undefined || offset + 2 + length > udh.length) return undefined;
    elements.push({ iei, data: udh.subarray(offset + 2, offset + 2 + length) });
    offset += 2 + length;
  }
  return elements;
}

/**
 * Concatenation info from the elements, 8- or 16-bit reference. An element with total 0 or a sequence
 * outside 1..total is ignored, as TS 23.040 §9.2.3.24.1 tells the receiving entity to do.
 */
export function concatenationOf(elements: readonly UdhElement[]): ConcatenationInfo | undefined {
  for (const { iei, data } of elements) {
    let info: ConcatenationInfo | undefined;
    if (iei === IEI_CONCAT_8BIT && data.length === 3) {
      info = { reference: data.readUInt8(0), total: data.readUInt8(1), sequence: data.readUInt8(2) };
    } else if (iei === IEI_CONCAT_16BIT && data.length === 4) {
      info = { reference: data.readUInt16BE(0), total: data.readUInt8(2), sequence: data.readUInt8(3) };
    }
    if (info && info.total > 0 && info.sequence >= 1 && info.sequence <= info.total) return info;
  }
  return undefined;
}
