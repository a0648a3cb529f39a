// Enumservices (RFC 6116 §3.4.3): does a NAPTR services field serve the asked service, and does a URI suit it?
import type { EnumService } from './enum-resolver';

/** URI schemes a result may carry per enumservice (RFC 3861 im:/pres:, RFC 3764 sip:/sips:, RFC 4769 tel:). */
const SCHEMES: Record<EnumService, readonly string[]> = {
  im: ['im:'],
  pres: ['pres:'],
  sip: ['sip:', 'sips:'],
  'pstn:tel': ['tel:'],
};

/** Every enumservice the resolver can be asked for; used to validate CLI and config input. */
export const ENUM_SERVICES: readonly EnumService[] = ['im', 'pres', 'sip', 'pstn:tel'];

/** Type guard for {@link ENUM_SERVICES}. */
export function isEnumService(value: string): value is EnumService {
  return (ENUM_SERVICES as readonly string[]).includes(value);
}

/**
 * RFC 6116 §3.4.3: `services` is `E2U` followed by `+`-separated enumservices `type[:subtype]`, compared
 * case-insensitively and whole — `E2U+sip+im` serves `im`, `E2U+sip:im` does not, `E2U+pstn:tel` serves `pstn:tel`.
 */
export function servesEnumservice(services: string, service: EnumService): boolean {
  const tokens = services.toLowerCase().split('+');
  return tokens[0] === 'e2u' && tokens.includes(service, 1);
}

/** True for a services field that names no enumservice at all (`""` or `E2U`), as non-terminal records may. */
export function namesNoEnumservice(services: string): boolean {
  return services === '' || services.toLowerCase() === 'e2u';
}

/** True when the URI's scheme suits the enumservice and something follows the scheme. */
export function hasSchemeFor(uri: string, service: EnumService): boolean {
  const lower = uri.toLowerCase();
  return SCHEMES[service].some((scheme) => lower.startsWith(scheme) && lower.length > scheme.length);
}
