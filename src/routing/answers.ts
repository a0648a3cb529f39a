// Building the answer to a routed request: refusals, and merging the answers of a request split per route.
import { statusOf, type DetailedResult, type Status, type TransactionBody } from '../ssp';
import { parseUserId } from './user-id';

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
   * Sent under the transactionID of an earlier send whose outcome was unknown (hop-transactions): the peer may
   * answer for that earlier, larger send, naming recipients that are not this part's.
   */
  replay?: boolean;
}

export interface RefusedTarget {
  target: string;
  status: number;
  reason: string;
}

/**
 * The recipients a part's answer failed for: none on success; on 201 (partly successful) those its failed
 * DetailedResults name, with their own codes. A 201 whose failures name none of the part's recipients fails
 * every one of them (the deployed peer may name them in StatusDescription only, or in a form we cannot
 * match) — unless the part is a replay, whose answer may be about the others of the earlier send.
 */
export function failuresOfPart(part: PartAnswer): RefusedTarget[] {
  const status = statusOfAnswer(part.answer);
  if (status.code === 201) {
    const named = namedFailures(part.targets, status.detailedResults ?? []);
    if (named.length > 0) return named;
    if (part.replay && (status.detailedResults ?? []).some(isFailureNamingUsers)) return [];
  } else if (status.code >= 200 && status.code < 300) return [];
  return part.targets.map((target) => ({ target, status: status.code, reason: status.description ?? '' }));
}

function isFailureNamingUsers(detail: DetailedResult): boolean {
  return (detail.code < 200 || detail.code >= 300) && detail.userIDs.length > 0;
}

function namedFailures(targets: string[], details: DetailedResult[]): RefusedTarget[] {
  const exact = new Map(targets.map((target) => [comparableId(target), target]));
  const byNumber = new Map<string, string[]>();
  for (const target of targets) {
    const number = numberOf(comparableId(target));
    if (number !== undefined) byNumber.set(number, [...(byNumber.get(number) ?? []), target]);
  }
  // Named by number alone while two recipients share it (in two domains): both count as failed, never delivered.
  const targetsNamed = (userID: string): string[] => {
    const id = comparableId(userID);
    const target = exact.get(id);
    if (target !== undefined) return [target];
    const number = numberOf(id);
    return number === undefined ? [] : (byNumber.get(number) ?? []);
  };
  return details.filter(isFailureNamingUsers).flatMap((detail) => {
    const failed = new Set(detail.userIDs.flatMap(targetsNamed));
    return [...failed].map((target) => ({ target, status: detail.code, reason: detail.description ?? '' }));
  });
}

/** A peer may name a user with or without the `wv:` scheme, in any case (user ids compare case-insensitively). */
function comparableId(userID: string): string {
  const lower = userID.toLowerCase();
  return lower.startsWith('wv:') ? lower.slice(3) : lower;
}

/** The number of `+4790000001` or `+4790000001@domain`: a peer may name a number with or without a domain. */
function numberOf(comparable: string): string | undefined {
  return parseUserId(`wv:${comparable}`)?.msisdn ?? undefined;
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
