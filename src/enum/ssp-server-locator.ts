// Locating a domain's SSP server: DNS SRV (RFC 2782) `_imps-server._tcp.<domain>` → ordered failover targets.

export interface SspTarget {
  priority: number;
  weight: number;
  port: number;
  /** Host name or address, without the trailing dot. */
  target: string;
  /** A/AAAA addresses of `target` when known (embedded mode: names that exist only in our zones). */
  addresses?: string[];
}

/** UNAVAILABLE: the SRV set is the single target "." — the domain decidedly offers no SSP service. */
export type LocateStatus = 'OK' | 'NXDOMAIN' | 'NODATA' | 'UNAVAILABLE';

export interface LocateResult {
  domain: string;
  status: LocateStatus;
  /** In the order to try them: priority ascending, weighted-random within a priority (RFC 2782). */
  targets: SspTarget[];
  ttlSeconds: number;
  trace: string[];
}

/**
 * Rejects on DNS failure (GatewayError DNS_TIMEOUT / DNS_SERVFAIL / DNS_MALFORMED, transient), and with
 * SSP_DOMAIN_NOT_SUPPORTED (IMPS 516) for a string that is not a domain name.
 */
export interface SspServerLocator {
  locate(domain: string, signal?: AbortSignal): Promise<LocateResult>;
}
