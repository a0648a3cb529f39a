// `ssp-gateway enum <number>`: one ENUM look-up (RFC 6116) with its trace, as JSON or a table; stable for scripts.
import { resolve as resolvePath } from 'node:path';
import { configSchema, loadConfigFile, type GatewayConfig } from '../config';
import { createDnsClient, type DnsClient } from '../dns';
import { createEnumResolver, isEnumService, parseE164Number, type EnumResult, type EnumService } from '../enum';
import { GatewayError } from '../errors';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io';
import { parseCommandArgs, usageError } from './parse-command-args';

const USAGE =
  'ssp-gateway enum <number> [--service im|pres|sip|pstn:tel] [--dns HOST:PORT]... [--suffix NAME]... ' +
  '[--zone FILE]... [--config FILE] [--json]';

/** DNS flags shared by `enum` and `locate`; each one given replaces the same field of `--config`. */
export const DNS_FLAGS = {
  dns: { type: 'string', multiple: true },
  zone: { type: 'string', multiple: true },
  suffix: { type: 'string', multiple: true },
  config: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const OPTIONS = { ...DNS_FLAGS, service: { type: 'string' } } as const;

/** Values of {@link DNS_FLAGS} as parsed. */
export interface DnsFlagValues {
  dns?: string[];
  zone?: string[];
  suffix?: string[];
  config?: string;
}

/** The DNS stack and ENUM settings a command runs with. */
export interface CommandDnsSetup {
  dns: DnsClient;
  suffixes: string[];
  maxNonTerminalHops: number;
}

/**
 * Exit 0 for any completed DNS answer (NXDOMAIN included), 1 for SERVFAIL/TIMEOUT, 2 for bad flags or a number
 * that is not E.164 (then `{"status":"REJECTED","error":"…"}`).
 */
export async function runEnumCommand(args: string[], io: CliIo): Promise<number> {
  return runReportingUsage(io, 'enum', async () => {
    const { values, positionals } = parseCommandArgs(args, OPTIONS, USAGE);
    if (positionals.length !== 1) throw usageError('give exactly one number', USAGE);
    const service = values.service ?? 'im';
    if (!isEnumService(service)) throw usageError(`--service must be one of im, pres, sip, pstn:tel (got "${service}")`, USAGE);
    const number = positionals[0] as string;
    let plan: string;
    try {
      plan = describeNumberPlan(number);
    } catch (error) {
      if (!(error instanceof GatewayError) || error.code !== 'ENUM_REJECTED') throw error;
      io.stdout(values.json ? JSON.stringify({ status: 'REJECTED', error: error.message }) : `status  REJECTED\nerror   ${error.message}`);
      return EXIT_USAGE;
    }
    // One look-up per run: a small result cache spares the allocation of a gateway-sized one.
    const resolver = createEnumResolver({ ...createCommandDns(values, USAGE), cacheMaxEntries: 16 });
    const result = await resolver.resolve(number, service as EnumService);
    result.trace.unshift(plan);
    io.stdout(values.json ? JSON.stringify(toJson(result)) : formatEnumTable(result));
    return result.status === 'SERVFAIL' || result.status === 'TIMEOUT' ? EXIT_FAILURE : EXIT_OK;
  });
}

/**
 * Run a command body; CLI_USAGE and CONFIG_INVALID errors become a message on stderr and exit 2, so that the
 * command keeps its exit-code contract when called without main's dispatcher.
 */
export async function runReportingUsage(io: CliIo, command: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof GatewayError) || (error.code !== 'CLI_USAGE' && error.code !== 'CONFIG_INVALID')) throw error;
    io.stderr(`ssp-gateway ${command}: ${error.message}`);
    return EXIT_USAGE;
  }
}

/**
 * The DNS stack from `--config` (its `dns` and `enum` sections) with `--dns`, `--zone`, `--suffix` replacing
 * the matching fields; validated by the config schema, so defaults and error messages are the gateway's own.
 */
export function createCommandDns(values: DnsFlagValues, usage: string): CommandDnsSetup {
  const config: GatewayConfig | undefined = values.config === undefined ? undefined : loadConfigFile(values.config);
  if (config === undefined && values.dns === undefined && values.zone === undefined) {
    throw usageError('give --dns HOST:PORT, --zone FILE or --config FILE', usage);
  }
  const dns = configSchema.shape.dns.safeParse({
    ...config?.dns,
    ...(values.dns && { servers: values.dns }),
    ...(values.zone && { zoneFiles: values.zone.map((file) => resolvePath(file)) }),
  });
  if (!dns.success) throw usageError(dns.error.issues.map((issue) => issue.message).join('; '), usage);
  const enumSettings = configSchema.shape.enum.safeParse({ ...config?.enum, ...(values.suffix && { suffixes: values.suffix }) });
  if (!enumSettings.success) throw usageError(`--suffix: ${enumSettings.error.issues.map((issue) => issue.message).join('; ')}`, usage);
  return {
    dns: createDnsClient(dns.data),
    suffixes: enumSettings.data.suffixes,
    maxNonTerminalHops: enumSettings.data.maxNonTerminalHops,
  };
}

/** One trace line on the number plan (libphonenumber-js): information only, ENUM needs just E.164 syntax. */
function describeNumberPlan(number: string): string {
  const parsed = parseE164Number(number);
  if (parsed.validForRegion) return `number ${parsed.aus}: valid for ${parsed.regionCode} (libphonenumber)`;
  const region = parsed.regionCode === null ? 'any known numbering plan' : `the plan of ${parsed.regionCode}`;
  return `number ${parsed.aus}: not valid for ${region} (libphonenumber); looked up anyway, ENUM needs only E.164 syntax`;
}

function toJson(result: EnumResult) {
  const { number, aus, service, status, uris, suffix, ttlSeconds, np, records, cached, trace } = result;
  return { number, aus, service, status, uris, suffix, ttl: ttlSeconds, np, records, cached, trace };
}

function formatEnumTable(result: EnumResult): string {
  const lines = [
    `number   ${result.number} (AUS ${result.aus})`,
    `service  ${result.service}`,
    `status   ${result.status}`,
    `suffix   ${result.suffix ?? '-'}`,
    `ttl      ${result.ttlSeconds} s`,
    `cached   ${result.cached ? 'yes' : 'no'}`,
    ...result.uris.map((uri, index) => `${index === 0 ? 'uris    ' : '        '} ${uri}`),
  ];
  if (result.np !== null) lines.push(`np       npdi ${result.np.npdi ? 'yes' : 'no'}, rn ${result.np.rn ?? '-'}`);
  if (result.records.length > 0) {
    lines.push('records  order  pref  flags  services          regexp / replacement');
    for (const record of result.records) {
      const field = record.regexp || record.replacement || '.';
      lines.push(`         ${pad(record.order, 6)} ${pad(record.preference, 5)} ${pad(JSON.stringify(record.flags), 6)} ${pad(record.services, 17)} ${field}`);
    }
  }
  lines.push('trace', ...result.trace.map((line) => `  ${line}`));
  return lines.join('\n');
}

/** Left-aligned column of at least `width` characters. */
export function pad(value: string | number, width: number): string {
  return String(value).padEnd(width);
}
