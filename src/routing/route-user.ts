// Where one user id goes: our core, a peer domain, or a refusal — with the steps in plain words.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { EnumResolver, EnumStatus } from '../enum';
import { GatewayError } from '../errors';
import { parseUserId } from './user-id';

export type RouteService = 'im' | 'pres';

/** The policy rule that decided: a bounded label for metrics (never a number or a user id). */
export type RouteRule =
  | 'invalid_user'
  | 'own_domain'
  | 'agreement'
  | 'no_agreement'
  | 'static_route'
  | 'enum'
  | 'home_range'
  | 'enum_unavailable'
  | 'no_route'
  | 'sms_only';

export type RouteDecision =
  | { kind: 'local'; rule: RouteRule; reason: string; trace: string[] }
  | { kind: 'peer'; domain: string; rule: RouteRule; reason: string; trace: string[] }
  | { kind: 'sms'; msisdn: string; rule: RouteRule; reason: string; trace: string[] }
  | { kind: 'reject'; status: number; rule: RouteRule; reason: string; trace: string[] };

export interface UserRouterOptions {
  domain: string;
  domainAliases: readonly string[];
  homeNumberPrefixes: readonly string[];
  numberRoutes: ReadonlyArray<{ prefix: string; domain: string }>;
  /** ENUM for domain-less `wv:+MSISDN` ids (seed 004); without it only static number routes apply. */
  enumResolver?: EnumResolver;
  /** Whether an interconnect agreement covers a peer domain; without one the answer is 506. */
  isAgreed?: (domain: string) => boolean;
  /**
   * Who is reachable by SMS only (seed 000 use cases 1.b, 2.b): by number range, country, ENUM domain, or the
   * routing number ENUM `pstn:tel` data gives a ported number (RFC 4769).
   */
  smsOnly?: {
    numberPrefixes: readonly string[];
    countries: readonly string[];
    domains: readonly string[];
    routingNumberPrefixes: readonly string[];
  };
}

/** ENUM answers that name no serving operator without being failures: number-portability data may still place the number. */
const NAMES_NO_OPERATOR: ReadonlySet<EnumStatus> = new Set(['NXDOMAIN', 'NODATA', 'NO_USABLE']);

/** Decides the next hop for a user id: `wv:user@domain` by its domain, `wv:+MSISDN` by ranges, routes, ENUM. */
export class UserRouter {
  private readonly ownDomains: Set<string>;
  private readonly numberRoutes: Array<{ prefix: string; domain: string }>;
  private readonly routingNumberPrefixes: readonly string[];

  constructor(private readonly options: UserRouterOptions) {
    this.ownDomains = new Set([options.domain, ...options.domainAliases]);
    this.numberRoutes = [...options.numberRoutes].sort((a, b) => b.prefix.length - a.prefix.length);
    this.routingNumberPrefixes = options.smsOnly?.routingNumberPrefixes ?? [];
  }

  isOwnDomain(domain: string): boolean {
    return this.ownDomains.has(domain);
  }

  /** Why a number is SMS-only by range or country, or null. */
  private smsOnlyByNumber(msisdn: string): string | null {
    const rules = this.options.smsOnly;
    if (!rules) return null;
    const prefix = rules.numberPrefixes.find((candidate) => msisdn.startsWith(candidate));
    if (prefix) return `${msisdn} is in ${prefix}, a range without IM interworking`;
    if (rules.countries.length === 0) return null;
    const country = parsePhoneNumberFromString(msisdn)?.country;
    return country && rules.countries.includes(country) ? `${msisdn} is a number of ${country}, where no operator interworks for IM` : null;
  }

  /**
   * Decide where `userID` goes. `explain` adds the ENUM resolver's own steps to the trace — rendering them
   * costs CPU on every cold look-up, so the delivery path leaves it off.
   */
  async route(userID: string, service: RouteService, options: { explain?: boolean } = {}): Promise<RouteDecision> {
    const identity = parseUserId(userID);
    if (!identity) return { kind: 'reject', status: 402, rule: 'invalid_user', reason: `${userID} is not a wv: user id`, trace: [`"${userID}" is not a wv: user id`] };
    if (identity.domain !== null) return this.byDomain(identity.domain, [`${userID} names domain ${identity.domain}`]);
    if (identity.msisdn === null) {
      return { kind: 'reject', status: 402, rule: 'invalid_user', reason: `${userID} has neither a domain nor an E.164 number`, trace: [`${userID} has no domain and is not +MSISDN`] };
    }
    return this.byNumber(identity.msisdn, service, [`${userID} is a number without a domain: find its serving operator`], options.explain ?? false);
  }

  private byDomain(domain: string, trace: string[], via: RouteRule = 'agreement'): RouteDecision {
    if (this.ownDomains.has(domain)) return { kind: 'local', rule: via === 'agreement' ? 'own_domain' : via, reason: `${domain} is our domain`, trace: [...trace, `${domain} is our domain: deliver to our core`] };
    if (this.options.isAgreed && !this.options.isAgreed(domain)) {
      return { kind: 'reject', status: 506, rule: 'no_agreement', reason: `no interworking agreement with ${domain}`, trace: [...trace, `${domain} is not among our interconnect agreements: refuse (506)`] };
    }
    return { kind: 'peer', domain, rule: via, reason: `${domain} is a peer domain`, trace: [...trace, `${domain} is a partner under agreement: deliver over SSP`] };
  }

  private async byNumber(msisdn: string, service: RouteService, trace: string[], explain: boolean): Promise<RouteDecision> {
    const home = this.options.homeNumberPrefixes.find((prefix) => msisdn.startsWith(prefix));
    const route = this.numberRoutes.find((candidate) => msisdn.startsWith(candidate.prefix));
    const smsOnly = this.smsOnlyByNumber(msisdn);
    if (smsOnly) return { kind: 'sms', msisdn, rule: 'sms_only', reason: smsOnly, trace: [...trace, `${smsOnly}: reach by SMS`] };
    if (route) return this.byDomain(route.domain, [...trace, `static number route ${route.prefix} → ${route.domain}`], 'static_route');
    if (!this.options.enumResolver) {
      if (home) return { kind: 'local', rule: 'home_range', reason: `${msisdn} is in our number range ${home}`, trace: [...trace, `${msisdn} is in our range ${home}`] };
      return { kind: 'reject', status: 516, rule: 'no_route', reason: `no route for ${msisdn}`, trace: [...trace, 'no static route and no ENUM resolver'] };
    }
    return this.byEnum(msisdn, service, home, trace, explain);
  }

  /** Numbers move between operators (seed 004): ENUM decides even inside our own ranges when it has a record. */
  private async byEnum(msisdn: string, service: RouteService, home: string | undefined, trace: string[], explain: boolean): Promise<RouteDecision> {
    let result;
    try {
      result = await (this.options.enumResolver as EnumResolver).resolve(msisdn, service);
    } catch (error) {
      const status = error instanceof GatewayError ? error.impsStatus : 500;
      return { kind: 'reject', status, rule: 'invalid_user', reason: (error as Error).message, trace: [...trace, `ENUM refused the number: ${(error as Error).message}`] };
    }
    let steps = explain ? [...trace, ...result.trace.map((line) => `ENUM: ${line}`)] : [...trace, `ENUM ${result.status}`];
    const uri = result.status === 'OK' ? result.uris[0] : undefined;
    const domain = uri ? domainOfUri(uri) : null;
    if (domain && this.options.smsOnly?.domains.includes(domain)) {
      const reason = `ENUM names ${domain}, an operator without IM interworking`;
      return { kind: 'sms', msisdn, rule: 'sms_only', reason, trace: [...steps, `${reason}: reach by SMS`] };
    }
    if (domain) return this.byDomain(domain, [...steps, `ENUM ${service} URI ${uri} → domain ${domain}`], 'enum');
    // Before the home range: a number of our range ported out to an SMS-only operator must not reach our core.
    if (this.routingNumberPrefixes.length > 0 && NAMES_NO_OPERATOR.has(result.status)) {
      const ported = await this.byRoutingNumber(msisdn, steps, explain);
      if (!Array.isArray(ported)) return ported;
      steps = ported;
    }
    if (home) return { kind: 'local', rule: 'home_range', reason: `${msisdn} is in our number range ${home} and not ported`, trace: [...steps, `ENUM ${service} ${result.status}; ${msisdn} is in our range ${home}`] };
    if (result.status === 'SERVFAIL' || result.status === 'TIMEOUT') {
      return { kind: 'reject', status: 503, rule: 'enum_unavailable', reason: `ENUM ${result.status} for ${msisdn}`, trace: [...steps, 'ENUM unavailable: try again later'] };
    }
    return { kind: 'reject', status: 516, rule: 'no_route', reason: `no IM service found for ${msisdn} (ENUM ${result.status})`, trace: [...steps, `ENUM ${service} ${result.status}: no serving operator known`] };
  }

  /**
   * RFC 4769 `pstn:tel` number-portability data of a number ENUM gives no IM operator for: a routing number
   * (RFC 4694 `rn`) of an operator without IM interworking makes it SMS-only. Returns that decision, or the
   * trace to carry on with when there is no such routing number (none, another operator's, or no data).
   */
  private async byRoutingNumber(msisdn: string, trace: string[], explain: boolean): Promise<RouteDecision | string[]> {
    const result = await (this.options.enumResolver as EnumResolver).resolve(msisdn, 'pstn:tel');
    const steps = explain ? [...trace, ...result.trace.map((line) => `ENUM pstn:tel: ${line}`)] : [...trace, `ENUM pstn:tel ${result.status}`];
    const rn = result.np?.rn ?? null;
    if (rn === null) {
      const why = result.status === 'OK' ? 'gives no usable routing number' : `gives no number-portability data (${result.status})`;
      return [...steps, `ENUM pstn:tel for ${msisdn} ${why}; carry on without it`];
    }
    const prefix = this.routingNumberPrefixes.find((candidate) => rn.startsWith(candidate));
    if (!prefix) return [...steps, `ENUM number-portability data: ${msisdn} is ported, routing number ${rn}, not of an operator without IM interworking`];
    const reason = `ENUM number-portability data: ${msisdn} is ported, routing number ${rn} (in ${prefix}), an operator without IM interworking`;
    return { kind: 'sms', msisdn, rule: 'sms_only', reason, trace: [...steps, `${reason}: reach by SMS`] };
  }
}

/**
 * `im:+4790000001@imsp-b.test` / `pres:user@host` → `imsp-b.test`. The host is that of the address, before any
 * `?headers` (an `@` there is no host), and a fully qualified name loses its root dot.
 */
export function domainOfUri(uri: string): string | null {
  const address = uri.split('?', 1)[0] ?? '';
  const at = address.lastIndexOf('@');
  if (at === -1) return null;
  const host = (address.slice(at + 1).split(/[;>]/)[0] ?? '').toLowerCase().replace(/\.$/, '');
  return /^[a-z0-9.-]+$/.test(host) ? host : null;
}
