// IMPS result codes (OMA IMPS 1.3 CSP/SSP status codes, profile ssp-profile.md §6): the one table of descriptions.

import type { DetailedResult, Status } from './messages';

/**
 * Every IMPS status code the gateway sends or expects from a peer, with the description written as
 * StatusDescription when the caller gives none. Codes are HTTP-like: 2xx success, 4xx the request is
 * wrong, 5xx the server or a peer failed, 6xx session, 9xx general/multiple (§6).
 */
export const IMPS_STATUS_CODES: ReadonlyMap<number, string> = new Map<number, string>([
  [200, 'Successful'],
  [201, 'Partially successful'],
  [202, 'Accepted'],
  [400, 'Bad request'],
  [401, 'Unauthorized'],
  [402, 'Bad parameter'],
  [403, 'Forbidden'],
  [404, 'Not found'],
  [405, 'Service not supported'],
  [409, 'Invalid password'],
  [410, 'Unable to deliver'],
  [415, 'Unsupported media type'],
  [420, 'Invalid transaction ID'],
  [422, 'User ID and client ID do not match'],
  [426, 'Invalid message ID'],
  [427, 'Invalid user ID'],
  [500, 'Internal server error'],
  [501, 'Not implemented'],
  [503, 'Service unavailable'],
  [504, 'Timeout'],
  [505, 'Version not supported'],
  [506, 'Service not agreed'],
  [507, 'Message queue full'],
  [516, 'Domain not supported'],
  [531, 'Unknown user'],
  [532, 'Recipient blocked the sender'],
  [533, 'Recipient not logged in'],
  [534, 'Recipient unauthorized'],
  [535, 'Search timed out'],
  [536, 'Too many hits'],
  [537, 'Too broad search criteria'],
  [538, 'Message has been rejected'],
  [541, 'Message has been forwarded'],
  [542, 'Message has expired'],
  [543, 'No matching digest scheme supported'],
  [600, 'Session expired'],
  [601, 'Forced logout'],
  [604, 'Invalid session or not logged in'],
  [900, 'Multiple errors'],
  [901, "Sender is not of the session's domain"],
]);

/** Class descriptions for a code missing from the table: the hundreds digit still tells the peer what happened. */
const CLASS_DESCRIPTIONS: ReadonlyMap<number, string> = new Map<number, string>([
  [2, 'Successful'],
  [4, 'Client error'],
  [5, 'Server error'],
  [6, 'Session error'],
  [7, 'Contact list error'],
  [8, 'Group error'],
  [9, 'General error'],
]);

/** The table's description of an IMPS status code, else its class description, else `Status <code>`. */
export function describeStatus(code: number): string {
  return IMPS_STATUS_CODES.get(code) ?? CLASS_DESCRIPTIONS.get(Math.floor(code / 100)) ?? `Status ${code}`;
}

/** Optional parts of a Status beyond code and description. */
export interface StatusExtra {
  detailedResults?: DetailedResult[];
  tryAgainTimeoutSeconds?: number;
}

/** A status code as a metrics label: the codes of the table, anything else `other` (peers choose the codes they send). */
export function statusLabel(code: number): string {
  return IMPS_STATUS_CODES.has(code) ? String(code) : 'other';
}

/** Build a Status; the description defaults to the table's wording so every answer explains itself. */
export function statusOf(code: number, description?: string, extra: StatusExtra = {}): Status {
  const status: Status = { code, description: description ?? describeStatus(code) };
  if (extra.detailedResults !== undefined) status.detailedResults = extra.detailedResults;
  if (extra.tryAgainTimeoutSeconds !== undefined) status.tryAgainTimeoutSeconds = extra.tryAgainTimeoutSeconds;
  return status;
}
