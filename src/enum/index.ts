// ENUM (RFC 6116/3403) and SSP server location (RFC 2782): the enum folder's public surface.
export type { EnumResolver, EnumResult, EnumService, EnumStatus, NumberPortability } from './enum-resolver';
export type { LocateResult, LocateStatus, SspServerLocator, SspTarget } from './ssp-server-locator';
export { createEnumResolver, DnsEnumResolver, type EnumResolverOptions } from './dns-enum-resolver';
export { createSspServerLocator, SrvSspServerLocator, type SspServerLocatorOptions } from './srv-ssp-server-locator';
export { isAus, parseE164Number, toAus, toEnumDomain, type E164Number } from './e164-number';
export { ENUM_SERVICES, isEnumService } from './enumservice';
export { parseNumberPortability } from './number-portability';
export { normaliseDomainName } from './domain-name';
