// ENUM (RFC 6116/3403): the resolver's contract — E.164 number + enumservice → ordered URIs.
import type { NaptrData } from '../dns';

/** Enumservices the gateway asks for: `im` (messages, search), `pres` (presence), `sip` and `pstn:tel` (MNP data). */
export type EnumService = 'im' | 'pres' | 'sip' | 'pstn:tel';

/**
 * Outcome of one ENUM look-up. OK = a usable record; the others are normal results except SERVFAIL/TIMEOUT,
 * which mean no DNS server gave a usable answer (and no stale one was available).
 */
export type EnumStatus = 'OK' | 'NXDOMAIN' | 'NODATA' | 'NO_USABLE' | 'LOOP' | 'SERVFAIL' | 'TIMEOUT';

/** RFC 4694 number-portability data from a `pstn:tel` URI. `rn` normalised to `+digits`. */
export interface NumberPortability {
  npdi: boolean;
  rn: string | null;
}

export interface EnumResult {
  /** The number as given. */
  number: string;
  /** Application Unique String: `+` and digits (RFC 6116 §2.4). */
  aus: string;
  service: EnumService;
  status: EnumStatus;
  /** URIs of the winning order group, by preference ascending. Empty unless status is OK. */
  uris: string[];
  /** The suffix (e.g. `e164.arpa`) that gave the answer, or null. */
  suffix: string | null;
  /** Seconds this result may be reused: the minimum TTL over the chain of records that produced it. */
  ttlSeconds: number;
  np: NumberPortability | null;
  /**
   * The NAPTR records seen at the final owner name, as received. Empty when the result was served from the
   * resolver's result cache, which keeps entries compact (the trace then says so).
   */
  records: NaptrData[];
  /** True when every DNS answer used came from the cache (fresh or stale). */
  cached: boolean;
  /** Plain-words steps for `enum` and `route explain`. */
  trace: string[];
}

/**
 * Look-up of a number. Rejects with GatewayError ENUM_REJECTED (IMPS 402) for a number that is not E.164, and
 * with ENUM_TIMEOUT (transient) when `signal` aborts first; DNS failures are results (SERVFAIL/TIMEOUT).
 */
export interface EnumResolver {
  resolve(number: string, service: EnumService, signal?: AbortSignal): Promise<EnumResult>;
}
