// Number-portability data in `pstn:tel` results (RFC 4769 §4, tel URI parameters of RFC 4694 and RFC 3966).
import type { NumberPortability } from './enum-resolver';

/** RFC 3966 §5.1.1 visual separators, removed from numbers before they are compared or stored. */
const VISUAL_SEPARATORS = /[-.()]/g;
const GLOBAL_DIGITS = /^\+[0-9]{1,15}$/;
const LOCAL_DIGITS = /^[0-9]{1,15}$/;

/** The npdi flag and routing number of a tel URI, plus a note when the rn could not be used. */
export interface ParsedPortability {
  np: NumberPortability;
  /** Set when an rn was present but is not usable as `+digits` (e.g. a domain-name rn-context). */
  problem: string | null;
}

/**
 * Read `;npdi` and `;rn=` from a tel URI (`tel:+4790000001;npdi;rn=+4791000000`). A global rn (`+digits`) is
 * kept as is; a local rn is made global by prefixing a numeric `rn-context` (RFC 4694 §4 follows RFC 3966
 * §5.1.5: the context's digits are the prefix the local number lives under): `rn=4791000000;rn-context=+47`
 * → `+474791000000`. An rn that cannot be made global is dropped (rn: null) and reported in `problem`.
 */
export function parseNumberPortability(telUri: string): ParsedPortability {
  const parameters = new Map<string, string>();
  for (const parameter of telUri.split(';').slice(1)) {
    const equals = parameter.indexOf('=');
    const name = (equals === -1 ? parameter : parameter.slice(0, equals)).toLowerCase();
    parameters.set(name, equals === -1 ? '' : parameter.slice(equals + 1));
  }
  const npdi = parameters.has('npdi');
  const rawRn = parameters.get('rn');
  if (rawRn === undefined) return { np: { npdi, rn: null }, problem: null };
  const rn = globalRn(rawRn.replace(VISUAL_SEPARATORS, ''), parameters.get('rn-context')?.replace(VISUAL_SEPARATORS, ''));
  return rn === null
    ? { np: { npdi, rn: null }, problem: `rn ${JSON.stringify(rawRn)} cannot be read as +digits (rn-context missing or not numeric)` }
    : { np: { npdi, rn }, problem: null };
}

function globalRn(rn: string, context: string | undefined): string | null {
  if (GLOBAL_DIGITS.test(rn)) return rn;
  if (!LOCAL_DIGITS.test(rn) || context === undefined || !GLOBAL_DIGITS.test(context)) return null;
  const combined = context + rn;
  return GLOBAL_DIGITS.test(combined) ? combined : null;
}
