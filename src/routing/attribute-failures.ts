// Which recipients a 201 (partly successful) answer failed for: its failed DetailedResults, pinned on recipients.
import type { DetailedResult, Status } from '../ssp';
import { parseUserId } from './user-id';

/** A recipient that failed (or was refused), with the IMPS status and reason to report. */
export interface RefusedTarget {
  target: string;
  status: number;
  reason: string;
}

/**
 * Pin each failed DetailedResult of a 201 on the recipients it names: exactly (with or without `wv:`, in any
 * case), else by number (with or without a domain; a number two recipients share fails both). A failure that
 * cannot be pinned — it names no user, or one who is none of `targets` nor, in a replay, another recipient of
 * the earlier send (`answeredFor`) — leaves no recipient it does not name sure of delivery: they fail with it.
 * A 201 with no failure at all fails every recipient (the deployed peer may name them in StatusDescription only).
 * Each recipient fails once, with the first failure that names it.
 */
export function attributeFailures(targets: readonly string[], status: Status, answeredFor: readonly string[] = targets): RefusedTarget[] {
  const failures = (status.detailedResults ?? []).filter((detail) => detail.code < 200 || detail.code >= 300);
  if (failures.length === 0) {
    return targets.map((target) => ({ target, status: 900, reason: `partly successful, failed recipients not named${status.description ? `: ${status.description}` : ''}` }));
  }
  // Ours and the others are matched together: a name that is exactly another's is not ours by number.
  const ours = new Set(targets);
  const named = recipientsNamedBy([...new Set([...targets, ...answeredFor])]);
  const failed = new Map<string, RefusedTarget>();
  let unpinned: DetailedResult | undefined;
  for (const detail of failures) {
    if (detail.userIDs.length === 0) unpinned ??= detail;
    for (const userID of detail.userIDs) {
      const recipients = named(userID);
      if (recipients.length === 0) unpinned ??= detail;
      for (const target of recipients) if (ours.has(target) && !failed.has(target)) failed.set(target, failureOf(target, detail));
    }
  }
  if (unpinned !== undefined) for (const target of targets) if (!failed.has(target)) failed.set(target, failureOf(target, unpinned));
  return [...failed.values()];
}

function failureOf(target: string, detail: DetailedResult): RefusedTarget {
  return { target, status: detail.code, reason: detail.description ?? '' };
}

/** The recipients among `recipients` that a peer's user id names: exactly, else by number. */
function recipientsNamedBy(recipients: readonly string[]): (userID: string) => readonly string[] {
  const exact = new Map<string, string[]>();
  const byNumber = new Map<string, string[]>();
  for (const recipient of recipients) {
    const id = comparableId(recipient);
    exact.set(id, [...(exact.get(id) ?? []), recipient]);
    const number = numberOf(id);
    if (number !== undefined) byNumber.set(number, [...(byNumber.get(number) ?? []), recipient]);
  }
  return (userID) => {
    const id = comparableId(userID);
    const named = exact.get(id);
    if (named !== undefined) return named;
    const number = numberOf(id);
    return number === undefined ? [] : (byNumber.get(number) ?? []);
  };
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
