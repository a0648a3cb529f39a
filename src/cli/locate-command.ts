// `ssp-gateway locate <domain>`: a domain's SSP servers by DNS SRV (RFC 2782), as JSON or a table; stable for scripts.
import { createSspServerLocator, normaliseDomainName, type LocateResult } from '../enum';
import { GatewayError } from '../errors';
import { EXIT_FAILURE, EXIT_OK, type CliIo } from './cli-io';
import { DNS_FLAGS, createCommandDns, pad, runReportingUsage } from './enum-command';
import { parseCommandArgs, usageError } from './parse-command-args';

const USAGE =
  'ssp-gateway locate <domain> [--srv NAME]... [--dns HOST:PORT]... [--zone FILE]... [--config FILE] [--json]';

const OPTIONS = { ...DNS_FLAGS, srv: { type: 'string', multiple: true } } as const;

/**
 * Exit 0 for any completed answer (OK, NXDOMAIN, NODATA, UNAVAILABLE), 1 when DNS failed (SERVFAIL/TIMEOUT,
 * printed as `{"domain","status":"SERVFAIL"|"TIMEOUT","error"}`), 2 for bad flags or a string that is no domain.
 */
export async function runLocateCommand(args: string[], io: CliIo): Promise<number> {
  return runReportingUsage(io, 'locate', async () => {
    const { values, positionals } = parseCommandArgs(args, OPTIONS, USAGE);
    if (positionals.length !== 1) throw usageError('give exactly one domain', USAGE);
    const domain = positionals[0] as string;
    const srvNames = values.srv?.map((name) => normaliseDomainName(name) ?? invalidSrvName(name));
    const { dns } = createCommandDns(values, USAGE);
    const locator = createSspServerLocator({ dns, ...(srvNames && { srvNames }) });
    let result: LocateResult;
    try {
      result = await locator.locate(domain);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      if (error.code === 'SSP_DOMAIN_NOT_SUPPORTED') throw usageError(error.message, USAGE);
      const status = error.code === 'DNS_TIMEOUT' ? 'TIMEOUT' : 'SERVFAIL';
      io.stdout(values.json ? JSON.stringify({ domain, status, error: error.message }) : `domain  ${domain}\nstatus  ${status}\nerror   ${error.message}`);
      return EXIT_FAILURE;
    }
    io.stdout(values.json ? JSON.stringify(toJson(result)) : formatLocateTable(result));
    return EXIT_OK;
  });
}

function invalidSrvName(name: string): never {
  throw usageError(`--srv ${JSON.stringify(name)} is no DNS name (labels of letters, digits, - and _, such as _imps-server._tcp)`, USAGE);
}

function toJson(result: LocateResult) {
  const { domain, status, targets, ttlSeconds } = result;
  return { domain, status, targets, ttl: ttlSeconds };
}

function formatLocateTable(result: LocateResult): string {
  const lines = [`domain  ${result.domain}`, `status  ${result.status}`, `ttl     ${result.ttlSeconds} s`];
  if (result.targets.length > 0) {
    lines.push('targets priority  weight  port   target                          addresses');
    for (const target of result.targets) {
      const addresses = target.addresses?.join(', ') || '-';
      lines.push(`        ${pad(target.priority, 9)} ${pad(target.weight, 7)} ${pad(target.port, 6)} ${pad(target.target, 31)} ${addresses}`);
    }
  }
  lines.push('trace', ...result.trace.map((line) => `  ${line}`));
  return lines.join('\n');
}
