// Typed SSP requests for integration tests.
import { randomUUID } from 'node:crypto';
import type { SendMessageRequest, TransactionBody } from '../../src/ssp';

export function textMessage(from: string, to: string[], text: string, deliveryReport = true): SendMessageRequest {
  const bytes = Buffer.from(text, 'utf8');
  return {
    kind: 'SendMessageRequest',
    deliveryReport,
    metaInfo: { clientOriginated: true, requestorUserID: from },
    messageInfo: {
      messageID: randomUUID(),
      contentType: 'text/plain',
      contentSize: bytes.length,
      recipients: to.map((userID) => ({ kind: 'user' as const, userID })),
      senderUserID: from,
      dateTime: '2026-11-23T11:30:00Z',
    },
    content: { contentType: 'text/plain', transferEncoding: 'base64', bytes },
  };
}

export function statusCodeOf(answer: TransactionBody): number | undefined {
  return 'status' in answer ? answer.status?.code : undefined;
}

export function messageIdOf(body: Record<string, unknown>): string | undefined {
  return (body.messageInfo as { messageID?: string } | undefined)?.messageID;
}
