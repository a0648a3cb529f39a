// Transaction bodies to and from JSON text for storage; message content (Buffer) travels as base64.
import type { TransactionBody } from '../ssp';

const BUFFER_TAG = '$base64';

export function serializeBody(body: TransactionBody): string {
  return JSON.stringify(body, function replace(this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return Buffer.isBuffer(raw) ? { [BUFFER_TAG]: raw.toString('base64') } : value;
  });
}

export function deserializeBody(text: string): TransactionBody {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && BUFFER_TAG in value) return Buffer.from((value as Record<string, string>)[BUFFER_TAG] ?? '', 'base64');
    return value;
  }) as TransactionBody;
}
