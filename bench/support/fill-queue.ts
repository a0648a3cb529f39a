// A queue of waiting messages written straight into the gateway's SQLite store, as the gateway itself leaves them.
import { randomUUID } from 'node:crypto';
import { outboundTransactionID } from '../../src/routing/outbound-transaction-id';
import { statusOf, type SendMessageRequest } from '../../src/ssp';
import { SqliteTransactionStore } from '../../src/store';
import { BENCH_TEXT } from './ssp-wire';

/** What to put into the store. */
export interface QueueFill {
  storePath: string;
  count: number;
  /** The message id of the n-th message is `<messagePrefix><n>`. */
  messagePrefix: string;
  originDomain: string;
  sender: string;
  /** Recipients `wv:+<first + n mod count>`. */
  recipients: { first: number; count: number };
  /** The next hop the messages wait for. */
  target: string;
}

function messageOf(fill: QueueFill, n: number): SendMessageRequest {
  const bytes = Buffer.from(BENCH_TEXT, 'utf8');
  return {
    kind: 'SendMessageRequest',
    deliveryReport: false,
    metaInfo: { clientOriginated: true, requestorUserID: fill.sender },
    messageInfo: {
      messageID: `${fill.messagePrefix}${n}`,
      contentType: 'text/plain',
      contentSize: bytes.length,
      recipients: [{ kind: 'user', userID: `wv:+${fill.recipients.first + (n % fill.recipients.count)}` }],
      senderUserID: fill.sender,
      dateTime: '2026-11-23T11:30:00Z',
    },
    content: { contentType: 'text/plain', transferEncoding: 'base64', bytes },
  };
}

/** Messages per millisecond the timestamps pretend they arrived at (5,000/s), so times spread as in real life. */
const ARRIVALS_PER_MS = 5;
/** Messages written at once, as concurrent requests to the gateway would: the store commits them in batches. */
const FILL_CHUNK = 1000;
/** The first retry came 1 s ± 20 % after acceptance (the bench's retry schedule); all are due by now. */
const FIRST_RETRY_MS = 1000;

/**
 * Through the store's own interface, the two writes the gateway makes for a message whose peer is down:
 * `accept` (durable before the HTTP 200) and `reschedule` with the answer the core got ("queued") and the
 * send whose outcome is unknown (its uncertain group), waiting for the next hop after one failed attempt. Timestamps are spread as if the messages had arrived
 * at 5,000/s with jittered retries, all due now. Resolves with the seconds it took.
 */
export async function fillQueue(fill: QueueFill): Promise<number> {
  const started = performance.now();
  const store = new SqliteTransactionStore(fill.storePath);
  const firstArrivalMs = Date.now() - fill.count / ARRIVALS_PER_MS - 2 * FIRST_RETRY_MS;
  try {
    for (let first = 0; first < fill.count; first += FILL_CHUNK) {
      const chunk = Array.from({ length: Math.min(FILL_CHUNK, fill.count - first) }, (_, k) => first + k);
      await Promise.all(chunk.map((n) => queueOne(store, fill, n, firstArrivalMs + Math.floor(n / ARRIVALS_PER_MS))));
    }
  } finally {
    await store.close();
  }
  return (performance.now() - started) / 1000;
}

async function queueOne(store: SqliteTransactionStore, fill: QueueFill, n: number, acceptedAtMs: number): Promise<void> {
  const body = messageOf(fill, n);
  const outcome = await store.accept({
    id: randomUUID(),
    originDomain: fill.originDomain,
    originTransactionID: `fill-${n}`,
    body,
    acceptedAtMs,
    expiresAtMs: acceptedAtMs + 86_400_000,
    nextAttemptAtMs: acceptedAtMs,
  });
  const answer = { kind: 'SendMessageResponse' as const, messageID: body.messageInfo.messageID, status: statusOf(200, `accepted; queued while ${fill.target} is unreachable`) };
  const nextAttemptAtMs = acceptedAtMs + Math.round(FIRST_RETRY_MS * (0.8 + 0.4 * Math.random()));
  const targets = body.messageInfo.recipients.flatMap((recipient) => (recipient.kind === 'user' ? [recipient.userID] : []));
  const uncertainGroups = [{ hop: fill.target, transactionID: outboundTransactionID(outcome.record.id, fill.target, targets), targets }];
  await store.reschedule(outcome.record.id, { answer, uncertainGroups, targets: [fill.target], attempts: 1, nextAttemptAtMs });
}
