// Host and domain names as ENUM and SRV data carry them (RFC 1035 §2.3.1, with `_` for SRV/ENUM labels).

const DOMAIN_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** Lowercase `text` and drop a trailing dot; null when the result is not a domain name (data from DNS is untrusted). */
export function normaliseDomainName(text: string): string | null {
  const name = text.trim().toLowerCase().replace(/\.$/, '');
  return DOMAIN_NAME.test(name) ? name : null;
}
