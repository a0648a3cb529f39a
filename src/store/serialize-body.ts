// Transaction bodies to and from JSON text for storage; message content (Buffer) travels as base64.
import type { TransactionBody } from '../ssp';

const BUFFER_TAG = '$base64';

// Bodies are plain data with Buffers as the only class instances. A walk that swaps them before stringify and
// after parse is over twice as fast as a JSON replacer/reviver, which V8 calls for every key; the delivery
// drain reads (and the admission writes) one body per transaction.

export function serializeBody(body: TransactionBody): string {
  return JSON.stringify(withTaggedBuffers(body));
}

export function deserializeBody(text: string): TransactionBody {
  const value: unknown = JSON.parse(text);
  return (text.includes(BUFFER_TAG) ? restoreBuffers(value) : value) as TransactionBody;
}

/** A copy in which every Buffer is `{ $base64: … }` (JSON.stringify would otherwise write its bytes as numbers). */
function withTaggedBuffers(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { [BUFFER_TAG]: value.toString('base64') };
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withTaggedBuffers);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = withTaggedBuffers((value as Record<string, unknown>)[key]);
  return copy;
}

/** Turns every `{ $base64: … }` of freshly parsed JSON back into a Buffer, in place. */
function restoreBuffers(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, BUFFER_TAG)) return Buffer.from(String(record[BUFFER_TAG] ?? ''), 'base64');
  for (const key of Object.keys(record)) record[key] = restoreBuffers(record[key]);
  return value;
}
