// Enumservices (RFC 6116 §3.4.3): does a NAPTR services field serve the asked service, and does a URI suit it?
import type { EnumService } from './enum-resolver';

/** URI schemes a result may carry per enumservice (RFC 3861 im:/pres:, RFC 3764 sip:/sips:, RFC 4769 tel:). */
const SCHEMES: Record<EnumService, readonly string[]> = {
  im: ['im:'],
  pres: ['pres:'],
  sip: ['sip:', 'sips:'],
  'pstn:tel': ['tel:'],
};

/**
 * Enumservice tokens of each distinct services field seen, lowercased once: zones repeat a handful of
 * fields (`E2U+im`, `E2U+pstn:tel`) over millions of records. Emptied when full, so crafted zones cannot grow it.
 */
const parsedServices = new Map<string, readonly string[]>();
const PARSED_SERVICES_MAX = 1024;
const CODE_A = 65;
const CODE_Z = 90;
const TO_LOWER = 32;

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
  let tokens = parsedServices.get(services);
  if (tokens === undefined) {
    tokens = services.toLowerCase().split('+');
    if (parsedServices.size >= PARSED_SERVICES_MAX) parsedServices.clear();
    parsedServices.set(services, tokens);
  }
  return tokens[0] === 'e2u' && tokens.includes(service, 1);
}

/** True for a services field that names no enumservice at all (`""` or `E2U`), as non-terminal records may. */
export function namesNoEnumservice(services: string): boolean {
  return services === '' || services.toLowerCase() === 'e2u';
}

/** True when the URI's scheme suits the enumservice and something follows the scheme. */
export function hasSchemeFor(uri: string, service: EnumService): boolean {
  for (const scheme of SCHEMES[service]) if (uri.length > scheme.length && startsWithIgnoringCase(uri, scheme)) return true;
  return false;
}

/** `text` starts with `lowerPrefix` when ASCII letters are compared case-insensitively (RFC 3986 §3.1 schemes). */
function startsWithIgnoringCase(text: string, lowerPrefix: string): boolean {
  for (let index = 0; index < lowerPrefix.length; index += 1) {
    const code = text.charCodeAt(index);
    const lower = code >= CODE_A && code <= CODE_Z ? code + TO_LOWER : code;
    if (lower !== lowerPrefix.charCodeAt(index)) return false;
  }
  return true;
}
