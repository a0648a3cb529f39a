// A JSON-friendly view of a transaction body: message content as text when it is text, else base64.
import type { TransactionBody } from '../ssp';

export function printableBody(body: TransactionBody): Record<string, unknown> {
  if (body.kind !== 'SendMessageRequest' || !body.content) return { ...body };
  const { content, ...rest } = body;
  const isText = (content.contentType ?? body.messageInfo.contentType ?? 'text/plain').startsWith('text/');
  return {
    ...rest,
    content: { contentType: content.contentType, ...(isText ? { text: content.bytes.toString('utf8') } : { base64: content.bytes.toString('base64') }) },
  };
}
