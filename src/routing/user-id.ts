// IMPS user identities (ssp-profile §3): `wv:user@domain`, `wv:+MSISDN@domain`, domain-less `wv:+MSISDN` (seed 004).

/** A user id split into what routing needs. `domain` is null for the number-portability form `wv:+MSISDN`. */
export interface UserIdentity {
  /** The id as received. */
  userID: string;
  /** Part before `@` (or the whole id without `wv:`), e.g. `alice` or `+4790000001`. */
  local: string;
  /** Lowercase domain, or null. */
  domain: string | null;
  /** `+digits` when the local part is an E.164 number, else null. */
  msisdn: string | null;
}

const MSISDN_LOCAL = /^\+[0-9]{1,15}$/;

/** Parse a `wv:` user id. Returns null when it is not one (no scheme, empty parts). */
export function parseUserId(userID: string): UserIdentity | null {
  if (userID.length < 4 || userID.slice(0, 3).toLowerCase() !== 'wv:') return null;
  const rest = userID.slice(3);
  const at = rest.lastIndexOf('@');
  const local = at === -1 ? rest : rest.slice(0, at);
  const domain = at === -1 ? null : rest.slice(at + 1).toLowerCase();
  if (local === '' || domain === '') return null;
  return { userID, local, domain, msisdn: MSISDN_LOCAL.test(local) ? local : null };
}

/** The domain of a service id `wv:@domain`, or null. */
export function parseServiceId(serviceID: string): string | null {
  const match = /^wv:@([A-Za-z0-9.-]+)$/i.exec(serviceID.trim());
  return match?.[1] ? match[1].toLowerCase() : null;
}

export function serviceIdOf(domain: string): string {
  return `wv:@${domain}`;
}
