// Embedded-mode routing: names inside our zone files are answered in process, all others by DNS servers.
import type { DnsAnswer, DnsClient, RecordType } from './dns-client';

/** What SplitDnsClient needs to know of the local data: whether it holds the zone of a name. */
export interface AuthoritativeDnsClient extends DnsClient {
  isAuthoritativeFor(name: string): boolean;
}

/**
 * Sends each question to `local` when it is authoritative for the name (a ZoneDnsClient), else to `remote`
 * (a NetworkDnsClient). Like a server with local zones beside forwarding, local data wins for its names.
 */
export class SplitDnsClient implements DnsClient {
  constructor(
    private readonly local: AuthoritativeDnsClient,
    private readonly remote: DnsClient,
  ) {}

  query(name: string, type: RecordType, signal?: AbortSignal): Promise<DnsAnswer> {
    return this.local.isAuthoritativeFor(name) ? this.local.query(name, type, signal) : this.remote.query(name, type, signal);
  }
}
