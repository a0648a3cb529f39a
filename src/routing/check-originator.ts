// Anti-spoofing (ssp-profile §3): a peer speaks only for users of its own domain; our core only for ours.
import { parseServiceId, parseUserId } from './user-id';
import type { Parties } from './transaction-parties';

export interface OriginPolicy {
  /** The domain the session was verified for. */
  domain: string;
  /** Domains whose users this origin may speak for. */
  userDomains: ReadonlySet<string>;
  /** Whether domain-less `wv:+MSISDN` originators are accepted (our core; MNP-aware peers). */
  acceptsBareMsisdn: boolean;
}

/** Null when every originator belongs to the origin; else the description of a 901 refusal. */
export function findForeignOriginator(parties: Parties, origin: OriginPolicy): string | null {
  if (parties.requestorServiceID !== undefined) {
    const serviceDomain = parseServiceId(parties.requestorServiceID);
    if (serviceDomain === null || !origin.userDomains.has(serviceDomain)) {
      return `requestor service ${parties.requestorServiceID} is not of the session's domain ${origin.domain}`;
    }
  }
  for (const userID of parties.originators) {
    const identity = parseUserId(userID);
    if (identity === null) return `originator ${userID} is not a wv: user id`;
    if (identity.domain === null ? !(identity.msisdn !== null && origin.acceptsBareMsisdn) : !origin.userDomains.has(identity.domain)) {
      return `sender ${userID} does not belong to the session's domain ${origin.domain}`;
    }
  }
  return null;
}
