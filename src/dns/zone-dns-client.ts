// Authoritative answers from master-format zone files held in process (RFC 1034 §4.3.2, RFC 2308, RFC 8020).
import { GatewayError } from '../errors';
import type { DnsAnswer, DnsClient, DnsRecord, RecordType } from './dns-client';
import { canonicalName } from './dns-wire';
import { buildZone, minTtl, type LoadedZone } from './loaded-zone';
import { readZoneFile, readZoneFileSync, type ParsedZoneFile } from './zone-file';
import { zoneFileError } from './zone-lexer';

/** RFC 1034 §3.6.2 lets a chain of aliases be followed; bound it so a CNAME loop in the data cannot spin. */
const MAX_CNAME_HOPS = 8;

/**
 * Answers from zone files, `source: 'zone'`: the RRset, NODATA (the name exists, incl. empty non-terminals)
 * or NXDOMAIN, with the negative TTL of RFC 2308 §5. A name under no loaded zone is refused with GatewayError
 * DNS_SERVFAIL (transient: false, as an authoritative server answers REFUSED). CNAMEs are followed across the
 * loaded zones, and out of them through `beyond` when given (the servers, with zone files beside them); without
 * it the chain ends where it leaves the loaded zones, as an authoritative server's answer does. Files load
 * synchronously at construction; `reload()` swaps in new data only if every file parses.
 */
export class ZoneDnsClient implements DnsClient {
  private zones: ReadonlyMap<string, LoadedZone>;

  /** @throws GatewayError CONFIG_INVALID `file:line: reason` for the first invalid file. */
  constructor(
    private readonly files: readonly string[],
    private readonly beyond?: DnsClient,
  ) {
    this.zones = indexZones(files.map((file) => readZoneFileSync(file)));
  }

  /**
   * Re-read every file. On any error the previous data stays in service and the error is thrown.
   * @throws GatewayError CONFIG_INVALID `file:line: reason`
   */
  async reload(): Promise<void> {
    const parsed = await Promise.all(this.files.map((file) => readZoneFile(file)));
    this.zones = indexZones(parsed);
  }

  /** Apex names of the loaded zones (lowercase, no trailing dot). */
  get apexes(): string[] {
    return [...this.zones.keys()];
  }

  /** True when `name` is at or below the apex of a loaded zone. */
  isAuthoritativeFor(name: string): boolean {
    return this.findZone(canonicalName(name)) !== undefined;
  }

  /** The SOA record of the zone holding `name`, if any (for building authority sections). */
  soaFor(name: string): DnsRecord | undefined {
    return this.findZone(canonicalName(name))?.soa;
  }

  async query(name: string, type: RecordType, signal?: AbortSignal): Promise<DnsAnswer> {
    const answer = this.lookup(canonicalName(name), type);
    if (answer.kind !== 'beyond') return answer;
    if (this.beyond === undefined) return { kind: 'nodata', negativeTtlSeconds: 0, source: 'zone' };
    return withAliases(await this.beyond.query(answer.name, type, signal), answer.aliases);
  }

  /** The answer from the loaded zones, or where an alias chain leaves them. */
  private lookup(name: string, type: RecordType): DnsAnswer | { kind: 'beyond'; name: string; aliases: DnsRecord[] } {
    let zone = this.findZone(name);
    if (zone === undefined) {
      throw new GatewayError('DNS_SERVFAIL', `no zone is loaded for ${name || '.'} (refused)`, { impsStatus: 503, transient: false });
    }
    let current = name;
    const aliases: DnsRecord[] = [];
    for (let hop = 0; hop <= MAX_CNAME_HOPS; hop += 1) {
      const node = zone.nodes.get(current);
      const direct = node?.answers.get(type);
      if (direct !== undefined) return aliases.length === 0 ? direct : withAliases(direct, aliases);
      const alias = node?.rrsets.get('CNAME')?.[0];
      if (alias === undefined || alias.data.type !== 'CNAME') {
        return zone.existingNames.has(current) ? zone.nodata : zone.nxdomain;
      }
      aliases.push(alias);
      current = alias.data.host;
      const next = this.findZone(current);
      if (next === undefined) return { kind: 'beyond', name: current, aliases };
      zone = next;
    }
    throw new GatewayError('DNS_SERVFAIL', `CNAME chain from ${name} is longer than ${MAX_CNAME_HOPS}`, { impsStatus: 503, transient: false });
  }

  private findZone(name: string): LoadedZone | undefined {
    for (let suffix = name; ; suffix = suffix.slice(suffix.indexOf('.') + 1)) {
      const zone = this.zones.get(suffix);
      if (zone !== undefined) return zone;
      if (!suffix.includes('.')) return suffix === '' ? undefined : this.zones.get('');
    }
  }
}

function withAliases(answer: DnsAnswer, aliases: readonly DnsRecord[]): DnsAnswer {
  if (answer.kind !== 'answer') return answer;
  // The chain comes first, as in a response's answer section; the answer lives no longer than any alias.
  return { ...answer, records: [...aliases, ...answer.records], ttlSeconds: Math.min(answer.ttlSeconds, minTtl(aliases)) };
}

function indexZones(files: readonly ParsedZoneFile[]): ReadonlyMap<string, LoadedZone> {
  const zones = new Map<string, LoadedZone>();
  for (const file of files) {
    const zone = buildZone(file);
    const other = zones.get(zone.apex);
    if (other !== undefined) throw zoneFileError(file.fileName, 1, `zone ${zone.apex} is also loaded from ${other.fileName}`);
    zones.set(zone.apex, zone);
  }
  return zones;
}
