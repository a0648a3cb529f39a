// SMSC message ids (SMPP 3.4 §5.2.23 message_id, Appendix B receipt `id:`): one comparable form for both places.

/**
 * How an SMSC writes message ids in one place. Many SMSCs answer submit_sm with a hex id and put the same
 * number in decimal into the receipt text (Kannel's `msg-id-type` setting exists for this); `text` = opaque.
 */
export type SmscMessageIdFormat = 'text' | 'hex' | 'decimal';

const HEX_ID = /^[0-9a-f]{1,32}$/i;
const DECIMAL_ID = /^[0-9]{1,40}$/;

/**
 * The rule: trim whitespace and NULs (some SMSCs pad C-octet strings); an id declared `hex` or `decimal`
 * becomes its number in decimal without leading zeros, so `1F4` (hex) and `0000000500` (decimal) are both
 * `500`; a `text` id, or one that does not parse as declared, stays as given and only matches itself.
 * Store and compare only normalised ids.
 */
export function normaliseSmscMessageId(raw: string, format: SmscMessageIdFormat): string {
  const id = raw.replace(/^[\s\0]+|[\s\0]+$/g, '');
  if (format === 'hex' && HEX_ID.test(id)) return BigInt(`0x${id}`).toString(10);
  if (format === 'decimal' && DECIMAL_ID.test(id)) return BigInt(id).toString(10);
  return id;
}
