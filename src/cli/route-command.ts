// `ssp-gateway route <userID>`: explain where the gateway would route a user, and why, from its config.
import { resolve } from 'node:path';
import { buildRouting } from '../app';
import { loadConfigFile } from '../config';
import type { RouteExplanation } from '../routing';
import { EXIT_OK, type CliIo } from './cli-io';
import { parseCommandArgs, usageError } from './parse-command-args';

const USAGE = 'ssp-gateway route <userID> [--service im|pres] [--config FILE] [--json]';

export async function runRouteCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { service: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  const [user, ...extra] = positionals;
  if (!user || extra.length > 0) throw usageError('give exactly one user id, e.g. wv:+4790000001 or wv:bob@imsp-b.test', USAGE);
  const service = values.service ?? 'im';
  if (service !== 'im' && service !== 'pres') throw usageError(`--service must be im or pres, not "${service}"`, USAGE);
  const config = loadConfigFile(values.config ?? resolve(__dirname, '..', '..', '..', 'config', 'default.yaml'));
  const explanation = await buildRouting(config).explain(user, service);
  io.stdout(values.json ? JSON.stringify(explanation) : formatExplanation(explanation));
  return EXIT_OK;
}

function formatExplanation(e: RouteExplanation): string {
  const lines = [
    `user      ${e.user}`,
    `service   ${e.service}`,
    `decision  ${e.decision}${e.peer ? ` → ${e.peer}` : ''}${e.status !== null ? ` (IMPS ${e.status})` : ''}`,
    `reason    ${e.reason}`,
  ];
  if (e.targets.length > 0) {
    lines.push('targets   priority weight port  target');
    for (const t of e.targets) lines.push(`          ${String(t.priority).padEnd(8)} ${String(t.weight).padEnd(6)} ${String(t.port).padEnd(5)} ${t.target}`);
  }
  lines.push('trace');
  e.trace.forEach((step, index) => lines.push(`  ${index + 1}. ${step}`));
  return lines.join('\n');
}
