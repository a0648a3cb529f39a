// SSP server location by DNS SRV (RFC 2782; RFC 3861 `_im._<proto>` names may be configured) over any DnsClient.
import type { DnsAnswer, DnsClient, RecordType, SrvData } from '../dns';
import { GatewayError } from '../errors';
import { describeAnswer } from './describe-answer';
import { normaliseDomainName } from './domain-name';
import type { LocateResult, LocateStatus, SspServerLocator, SspTarget } from './ssp-server-locator';
import { orderSrvRecords } from './srv-order';

/** Construction options of {@link createSspServerLocator}. */
export interface SspServerLocatorOptions {
  dns: DnsClient;
  /** SRV owner-name prefixes tried in order (default `_imps-server._tcp`, the WV-SSP profile's name). */
  srvNames?: string[];
  /** Uniform in [0, 1) for the RFC 2782 weighted order (default Math.random). */
  random?: () => number;
  /**
   * Also resolve each target's A/AAAA through the DnsClient into `SspTarget.addresses` (default true). Needed in
   * embedded mode, where target host names exist only in our zone files and the system resolver cannot find them.
   */
  resolveAddresses?: boolean;
}

const DEFAULT_SRV_NAMES = ['_imps-server._tcp'];

/** Build the gateway's SSP server locator. */
export function createSspServerLocator(options: SspServerLocatorOptions): SrvSspServerLocator {
  return new SrvSspServerLocator(options);
}

/**
 * Finds a domain's SSP servers. The configured SRV names are tried in order; the first that has SRV records
 * decides (a lone "." target there means UNAVAILABLE: the domain says it offers no such service, RFC 2782).
 * A DNS failure at one name does not stop the search, but is rethrown when no later name gives an answer.
 */
export class SrvSspServerLocator implements SspServerLocator {
  private readonly srvNames: readonly string[];
  private readonly random: () => number;
  private readonly resolveAddresses: boolean;

  constructor(private readonly options: SspServerLocatorOptions) {
    this.srvNames = options.srvNames ?? DEFAULT_SRV_NAMES;
    this.random = options.random ?? Math.random;
    this.resolveAddresses = options.resolveAddresses ?? true;
  }

  async locate(domain: string, signal?: AbortSignal): Promise<LocateResult> {
    const name = normaliseDomainName(domain);
    if (name === null) {
      throw new GatewayError('SSP_DOMAIN_NOT_SUPPORTED', `${JSON.stringify(domain)} is not a domain name`, { impsStatus: 516 });
    }
    const trace: string[] = [];
    let ttlSeconds = Number.POSITIVE_INFINITY;
    let allNxdomain = true;
    let firstError: GatewayError | undefined;
    for (const srvName of this.srvNames) {
      const owner = `${srvName}.${name}`;
      const answer = await this.query(owner, 'SRV', trace, signal).catch((error: unknown) => {
        firstError ??= dnsFailure(error);
        return null;
      });
      if (answer === null) continue;
      if (answer.kind !== 'answer') {
        ttlSeconds = Math.min(ttlSeconds, answer.negativeTtlSeconds);
        allNxdomain &&= answer.kind === 'nxdomain';
        continue;
      }
      const records = answer.records.flatMap((record) => (record.data.type === 'SRV' ? [record.data.srv] : []));
      if (records.length === 0) {
        allNxdomain = false;
        continue;
      }
      ttlSeconds = Math.min(ttlSeconds, answer.ttlSeconds);
      return this.located(name, records, ttlSeconds, trace, signal);
    }
    if (firstError !== undefined) throw firstError;
    const status: LocateStatus = allNxdomain ? 'NXDOMAIN' : 'NODATA';
    trace.push(`result ${status}: no SRV record under ${this.srvNames.join(', ')}`);
    return { domain: name, status, targets: [], ttlSeconds: Number.isFinite(ttlSeconds) ? ttlSeconds : 0, trace };
  }

  private async located(
    domain: string,
    records: SrvData[],
    answerTtlSeconds: number,
    trace: string[],
    signal: AbortSignal | undefined,
  ): Promise<LocateResult> {
    const usable = records.filter((record) => record.target !== '');
    if (usable.length === 0) {
      trace.push('result UNAVAILABLE: the only target is "." (RFC 2782: service decidedly not available)');
      return { domain, status: 'UNAVAILABLE', targets: [], ttlSeconds: answerTtlSeconds, trace };
    }
    if (usable.length < records.length) trace.push('ignored a "." target listed beside real targets');
    const targets: SspTarget[] = orderSrvRecords(usable, this.random).map(({ priority, weight, port, target }) => ({
      priority,
      weight,
      port,
      target,
    }));
    let ttlSeconds = answerTtlSeconds;
    if (this.resolveAddresses) ttlSeconds = Math.min(ttlSeconds, await this.addAddresses(targets, trace, signal));
    for (const target of targets) {
      const addresses = target.addresses?.length ? ` [${target.addresses.join(', ')}]` : '';
      trace.push(`target ${target.target}:${target.port} priority ${target.priority} weight ${target.weight}${addresses}`);
    }
    return { domain, status: 'OK', targets, ttlSeconds, trace };
  }

  /**
   * Fill `addresses` from A then AAAA answers. A target whose names do not resolve keeps no addresses (the HTTP
   * client may still resolve it). Returns the minimum TTL of the positive answers (absence is not cached here).
   */
  private async addAddresses(targets: SspTarget[], trace: string[], signal: AbortSignal | undefined): Promise<number> {
    let ttlSeconds = Number.POSITIVE_INFINITY;
    const hosts = [...new Set(targets.map((target) => target.target))];
    const resolved = await Promise.all(
      hosts.map(async (host) => {
        const answers = await Promise.all(
          (['A', 'AAAA'] as const).map((type) => this.query(host, type, trace, signal).catch(() => null)),
        );
        const addresses: string[] = [];
        for (const answer of answers) {
          if (answer?.kind !== 'answer') continue;
          ttlSeconds = Math.min(ttlSeconds, answer.ttlSeconds);
          for (const record of answer.records) {
            if (record.data.type === 'A' || record.data.type === 'AAAA') addresses.push(record.data.address);
          }
        }
        return [host, addresses] as const;
      }),
    );
    const byHost = new Map(resolved);
    for (const target of targets) target.addresses = [...(byHost.get(target.target) ?? [])];
    return ttlSeconds;
  }

  private async query(name: string, type: RecordType, trace: string[], signal: AbortSignal | undefined): Promise<DnsAnswer> {
    try {
      const answer = await this.options.dns.query(name, type, signal);
      trace.push(describeAnswer(type, name, answer));
      return answer;
    } catch (error) {
      trace.push(`query ${type} ${name} → failed: ${(error as Error).message}`);
      throw error;
    }
  }
}

/** Only DNS failures are answers of a kind; anything else is a bug and goes on up. */
function dnsFailure(error: unknown): GatewayError {
  if (error instanceof GatewayError && error.code.startsWith('DNS_')) return error;
  throw error;
}
