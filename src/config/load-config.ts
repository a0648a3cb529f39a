// Configuration loading: YAML file + SSPGW__* environment overrides → one validated, frozen GatewayConfig.
import { accessSync, constants, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GatewayError } from '../errors';
import { configSchema, type GatewayConfig } from './schema';

/**
 * Environment overrides: `SSPGW__ssp__listen=127.0.0.1:0` sets `ssp.listen`. A value is read as YAML when that
 * gives a number, a boolean, a list or a map (`[+4790, +4791]`); otherwise it is the string exactly as written
 * (`[::1]:0`, `*secret`, `a #b`). Where the schema wants text and YAML made a number (a numeric password,
 * `[+4790]`), the value is read again with every scalar as text.
 */
const ENV_PREFIX = 'SSPGW__';

interface EnvOverride {
  path: string[];
  text: string;
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new GatewayError('CONFIG_INVALID', `cannot read config file ${path}: ${(error as Error).message}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new GatewayError('CONFIG_INVALID', `config file ${path} is not valid YAML: ${(error as Error).message}`);
  }
  const overrides = envOverrides(env);
  const config = structuredClone(raw ?? {}) as Record<string, unknown>;
  for (const override of overrides) setAt(config, override.path, overrideValue(override));
  const typed = configSchema.safeParse(config);
  if (!typed.success) {
    for (const override of overrides) {
      const wantsText = typed.error.issues.some((issue) => issue.code === 'invalid_type' && issue.expected === 'string' && startsWith(issue.path, override.path));
      if (wantsText) setAt(config, override.path, parseYaml(override.text, { schema: 'failsafe' }));
    }
  }
  return parseConfig(config, dirname(resolve(path)));
}

/** Validate a raw config object; every problem is reported at once, each with its key path. */
export function parseConfig(raw: unknown, baseDir: string = process.cwd()): GatewayConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new GatewayError('CONFIG_INVALID', `invalid configuration:\n${problems.join('\n')}`);
  }
  return deepFreeze(resolvePaths(result.data, baseDir));
}

/**
 * For the process that serves: certificate and key files are read at start or at the first call to a peer,
 * so a missing one is a config error before the start (commands that only read the config do not need them).
 */
export function checkServedFiles(config: GatewayConfig): void {
  const unreadable = unreadableFiles(config);
  if (unreadable.length > 0) throw new GatewayError('CONFIG_INVALID', `invalid configuration:\n${unreadable.map((problem) => `  ${problem}`).join('\n')}`);
}

function unreadableFiles(config: GatewayConfig): string[] {
  const tlsSettings: Array<[string, { certFile: string; keyFile: string; caFile?: string } | undefined]> = [
    ['ssp.tls', config.ssp.tls],
    ...config.peers.map((peer, index): [string, (typeof peer)['tls']] => [`peers.${index}.tls`, peer.tls]),
  ];
  return tlsSettings.flatMap(([key, tls]) =>
    tls === undefined
      ? []
      : (['certFile', 'keyFile', 'caFile'] as const).flatMap((field) => {
          const file = tls[field];
          if (file === undefined) return [];
          try {
            accessSync(file, constants.R_OK);
            return [];
          } catch (error) {
            return [`${key}.${field}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`];
          }
        }),
  );
}

/** White space around a value is never part of it (`SSPGW__log__level='debug '`). */
function envOverrides(env: NodeJS.ProcessEnv): EnvOverride[] {
  return Object.entries(env).flatMap(([variable, text]) =>
    variable.startsWith(ENV_PREFIX) && text !== undefined ? [{ path: variable.slice(ENV_PREFIX.length).split('__'), text: text.trim() }] : [],
  );
}

/**
 * YAML's value when it is a number, a boolean, a list, a map or a quoted string; else the text as written —
 * also when it is not YAML at all (`[::1]:0`): the schema then says what the key wanted.
 */
function overrideValue({ text }: EnvOverride): unknown {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch {
    return text;
  }
  if (parsed === null || (typeof parsed === 'string' && !/^\s*["']/.test(text))) return text;
  return parsed;
}

function setAt(root: Record<string, unknown>, path: string[], value: unknown): void {
  let node = root;
  for (const segment of path.slice(0, -1)) {
    if (typeof node[segment] !== 'object' || node[segment] === null) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

/** Whether an issue's path (list indexes are numbers) lies under an override's path (all text). */
function startsWith(path: readonly PropertyKey[], prefix: readonly string[]): boolean {
  return prefix.every((segment, index) => String(path[index]) === segment);
}

function resolvePaths(config: GatewayConfig, baseDir: string): GatewayConfig {
  const at = (path: string) => (isAbsolute(path) ? path : resolve(baseDir, path));
  const tlsAt = <T extends { certFile: string; keyFile: string; caFile?: string }>(tls: T): T => ({
    ...tls,
    certFile: at(tls.certFile),
    keyFile: at(tls.keyFile),
    ...(tls.caFile ? { caFile: at(tls.caFile) } : {}),
  });
  return {
    ...config,
    ssp: { ...config.ssp, ...(config.ssp.tls ? { tls: tlsAt(config.ssp.tls) } : {}) },
    peers: config.peers.map((peer) => ({ ...peer, ...(peer.tls ? { tls: tlsAt(peer.tls) } : {}) })),
    dns: { ...config.dns, zoneFiles: config.dns.zoneFiles.map(at) },
    store: { path: config.store.path === ':memory:' ? ':memory:' : at(config.store.path) },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
