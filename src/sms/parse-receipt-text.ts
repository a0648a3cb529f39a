// SMSC delivery receipt text (SMPP 3.4 Appendix B, de facto standard): `id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…`.

/** The receipt text fields the gateway uses; absent when the SMSC left them out. */
export interface ReceiptTextFields {
  id?: string;
  stat?: string;
  err?: string;
  submitDate?: Date;
  doneDate?: Date;
}

/** Fields before `text:`; values have no spaces, `text:` (the message start) is last and ignored. */
const FIELD = /(?:^|\s)(id|sub|dlvrd|submit date|done date|stat|err):(\S*)/gi;
const RECEIPT_DATE = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/;

/** Read the Appendix B fields present in `text`; absent or unreadable fields are left out. */
export function parseReceiptText(text: string): ReceiptTextFields {
  const fields: ReceiptTextFields = {};
  const end = text.search(/(?:^|\s)text:/i);
  for (const match of (end >= 0 ? text.slice(0, end) : text).matchAll(FIELD)) {
    const key = (match[1] ?? '').toLowerCase();
    const value = match[2] ?? '';
    if (value === '') continue;
    if (key === 'id') fields.id = value;
    else if (key === 'stat') fields.stat = value;
    else if (key === 'err') fields.err = value;
    else if (key === 'submit date') assignDate(fields, 'submitDate', value);
    else if (key === 'done date') assignDate(fields, 'doneDate', value);
  }
  return fields;
}

function assignDate(fields: ReceiptTextFields, key: 'submitDate' | 'doneDate', value: string): void {
  const date = parseReceiptDate(value);
  if (date) fields[key] = date;
}

/**
 * YYMMDDhhmm[ss]. The SMSC's time zone is not stated in the receipt; it is read as UTC (informative only,
 * never used for expiry decisions).
 */
function parseReceiptDate(value: string): Date | undefined {
  const parts = RECEIPT_DATE.exec(value);
  if (!parts) return undefined;
  const field = (index: number): number => Number(parts[index] ?? '0');
  const date = new Date(Date.UTC(2000 + field(1), field(2) - 1, field(3), field(4), field(5), field(6)));
  // Date.UTC rolls 31 Feb over into March; a receipt date must read back as written.
  const exact = date.getUTCMonth() === field(2) - 1 && date.getUTCDate() === field(3);
  return exact && field(4) < 24 && field(5) < 60 && field(6) < 60 ? date : undefined;
}
