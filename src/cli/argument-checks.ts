// Checks of CLI values that name addresses, domains, users and times: a wrong one is a usage error (exit 2).
import { normaliseDomainName } from '../enum';
import { parseUserId } from '../routing';
import { usageError } from './parse-command-args';

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
/** Nobody waits longer for one answer on a command line (and past 2^31 − 1 ms Node's timers would fire at once). */
const MAX_TIMEOUT_MS = 600_000;

export function hostPortArgument(flag: string, value: string, usage: string): string {
  const port = HOST_PORT.exec(value)?.[2];
  if (port === undefined || Number(port) > 65_535) throw usageError(`--${flag} ${JSON.stringify(value)} is not HOST:PORT (port 0–65535; 0 lets the OS choose)`, usage);
  return value;
}

export function httpUrlArgument(flag: string, value: string, usage: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(`--${flag} ${JSON.stringify(value)} is not a URL`, usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`--${flag} must be an http or https URL, not ${url.protocol}`, usage);
  return value;
}

export function domainArgument(flag: string, value: string, usage: string): string {
  return normaliseDomainName(value) ?? invalid(flag, value, 'a domain name', usage);
}

export function userIdArgument(flag: string, value: string, usage: string): string {
  return parseUserId(value) === null ? invalid(flag, value, 'a wv: user id (wv:alice@imsp-a.test, wv:+4790000001)', usage) : value;
}

export function timeoutArgument(flag: string, value: string, usage: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 100 || ms > MAX_TIMEOUT_MS) throw usageError(`--${flag} must be a whole number of milliseconds from 100 to ${MAX_TIMEOUT_MS}`, usage);
  return ms;
}

export function noPositionals(positionals: string[], usage: string): void {
  if (positionals.length > 0) throw usageError(`unexpected argument ${JSON.stringify(positionals[0])}`, usage);
}

function invalid(flag: string, value: string, what: string, usage: string): never {
  throw usageError(`--${flag} ${JSON.stringify(value)} is not ${what}`, usage);
}
