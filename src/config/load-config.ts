// Configuration loading: YAML file + SSPGW__* environment overrides → one validated, frozen GatewayConfig.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { GatewayError } from '../errors';
import { configSchema, type GatewayConfig } from './schema';

/** Environment overrides: `SSPGW__ssp__listen=127.0.0.1:0` sets `ssp.listen`; values are parsed as YAML scalars. */
const ENV_PREFIX = 'SSPGW__';

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
  return parseConfig(applyEnvOverrides(raw ?? {}, env), dirname(resolve(path)));
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

function applyEnvOverrides(raw: unknown, env: NodeJS.ProcessEnv): unknown {
  const root = structuredClone(raw) as Record<string, unknown>;
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(ENV_PREFIX) || value === undefined) continue;
    const path = key.slice(ENV_PREFIX.length).split('__');
    let node = root;
    for (const segment of path.slice(0, -1)) {
      if (typeof node[segment] !== 'object' || node[segment] === null) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    node[path[path.length - 1] as string] = parseYaml(value);
  }
  return root;
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
