// Building the answer to a routed request: refusals, and merging the answers of a request split per route.
import { statusOf, type Status, type TransactionBody } from '../ssp';
import { attributeFailures, type RefusedTarget } from './attribute-failures';

export type { RefusedTarget };

/** The answer element that goes with a request kind, carrying `status`. */
export function answerWithStatus(request: TransactionBody, status: Status): TransactionBody {
  switch (request.kind) {
    case 'SendMessageRequest':
      return { kind: 'SendMessageResponse', messageID: request.messageInfo.messageID, status };
    case 'GetPresenceRequest':
      return { kind: 'GetPresenceResponse', presence: [], status };
    case 'SearchRequest':
      return { kind: 'SearchResponse', users: [], status };
    default:
      return { kind: 'Status', status };
  }
}

export function statusOfAnswer(answer: TransactionBody): Status {
  if ('status' in answer && answer.status) return answer.status;
  return statusOf(200);
}

export interface PartAnswer {
  targets: string[];
  answer: TransactionBody;
  /**
   * Sent under the transactionID of an earlier send whose outcome was unknown (hop-transactions): the recipients
   * of that earlier send, for all of whom the peer may answer (not only this part's).
   */
  replayOf?: readonly string[];
}

/** The recipients a part's answer failed for: none on success, those a 201 fails (attributeFailures), else all. */
export function failuresOfPart(part: PartAnswer): RefusedTarget[] {
  const status = statusOfAnswer(part.answer);
  if (status.code === 201) return attributeFailures(part.targets, status, part.replayOf);
  if (status.code >= 200 && status.code < 300) return [];
  return part.targets.map((target) => ({ target, status: status.code, reason: status.description ?? '' }));
}

/**
 * One answer for a request that went several ways (a single way is relayed unchanged): 200 when every part succeeded, the single failure's own
 * status when all recipients failed alike, else 201 with a DetailedResult per failed recipient (profile §6).
 */
export function mergeAnswers(request: TransactionBody, parts: PartAnswer[], refused: RefusedTarget[]): TransactionBody {
  // One way only: relay that answer as it is, description and all.
  if (parts.length === 1 && refused.length === 0 && parts[0]) return parts[0].answer;
  const failures: RefusedTarget[] = [...refused];
  let succeeded = false;
  for (const part of parts) {
    const partFailures = failuresOfPart(part);
    failures.push(...partFailures);
    // Succeeded for someone: a 2xx answer that does not name every recipient of the part as failed.
    const code = statusOfAnswer(part.answer).code;
    if (code >= 200 && code < 300 && (part.targets.length === 0 || partFailures.length < part.targets.length)) succeeded = true;
  }
  const status = !failures.length
    ? statusOf(200)
    : !succeeded && new Set(failures.map((f) => f.status)).size === 1
      ? statusOf(failures[0]?.status ?? 500, failures.map((f) => `${f.target}: ${f.reason}`).join('; '))
      : statusOf(succeeded ? 201 : 900, undefined, {
          detailedResults: failures.map((f) => ({ code: f.status, description: f.reason, userIDs: [f.target] })),
        });
  const merged = answerWithStatus(request, status);
  if (merged.kind === 'GetPresenceResponse') merged.presence = parts.flatMap((p) => (p.answer.kind === 'GetPresenceResponse' ? p.answer.presence : []));
  if (merged.kind === 'SearchResponse') merged.users = parts.flatMap((p) => (p.answer.kind === 'SearchResponse' ? p.answer.users : []));
  return merged;
}
