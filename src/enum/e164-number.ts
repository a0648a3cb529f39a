// E.164 numbers for ENUM (RFC 6116 §2.4, ITU-T E.164): input forms → AUS (`+digits`) → ENUM domain name.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { GatewayError } from '../errors';

/** ITU-T E.164 §6: at most 15 digits, country code included. */
const MAX_E164_DIGITS = 15;
/** Visual separators a person or a tel: URI may put between digits (RFC 3966 §5.1.1 visual-separator). */
const VISUAL_SEPARATORS = new Set([' ', '-', '.', '(', ')']);
/** Seed 001: "the Service Provider is able to refuse wildcard characters" in MSISDN add and search. */
const WILDCARDS = new Set(['*', '%', '?']);
const SCHEMES = ['wv:', 'tel:'];
const CODE_0 = 48;
const CODE_9 = 57;
const CODE_PLUS = 43;
/** `0.` … `9.`: one concatenation per digit, without building a two-character string each time. */
const DIGIT_LABELS = Array.from({ length: 10 }, (_, digit) => `${digit}.`);

/** A number accepted for ENUM, with what libphonenumber-js says about its numbering plan (information only). */
export interface E164Number {
  /** Application Unique String: `+` and 1–15 digits (RFC 6116 §2.4). */
  aus: string;
  /** ISO 3166 region libphonenumber-js assigns to the number, or null when it knows none. */
  regionCode: string | null;
  /**
   * Whether libphonenumber-js finds the number valid for its region. Only a flag: ENUM needs nothing but
   * E.164 syntax, and test or newly opened ranges (e.g. +4790000001) must still be looked up.
   */
  validForRegion: boolean;
}

/**
 * The AUS of `input` (`wv:+E164`, `tel:+E164` or `+E164`, visual separators allowed). Cheap: no look-up
 * tables. Rejects with GatewayError ENUM_REJECTED (IMPS 402) before any DNS query is made.
 */
export function toAus(input: string): string {
  if (isAus(input)) return input;
  const body = stripScheme(input);
  if (body.length === 0) throw rejected(input, 'the number is empty');
  if (body.charCodeAt(0) !== CODE_PLUS) throw rejected(input, 'an E.164 number must start with +');
  let digits = '';
  for (const char of body.slice(1)) {
    const code = char.charCodeAt(0);
    if (code >= CODE_0 && code <= CODE_9) digits += char;
    else if (WILDCARDS.has(char)) throw rejected(input, `wildcard character '${char}' is refused`);
    else if (!VISUAL_SEPARATORS.has(char)) throw rejected(input, `unexpected character '${char}'`);
  }
  return checkDigits(input, digits);
}

/** Like {@link toAus}, plus libphonenumber-js's view of the number plan (costs ~10 µs: not for hot paths). */
export function parseE164Number(input: string): E164Number {
  const aus = toAus(input);
  const parsed = parsePhoneNumberFromString(aus);
  return { aus, regionCode: parsed?.country ?? null, validForRegion: parsed?.isValid() ?? false };
}

/**
 * The ENUM domain of an AUS (RFC 6116 §2.4): digits reversed, dot-separated, then the suffix.
 * `toEnumDomain('+4790000001', 'e164.arpa')` → `1.0.0.0.0.0.0.9.7.4.e164.arpa`.
 */
export function toEnumDomain(aus: string, suffix: string): string {
  let name = '';
  for (let index = aus.length - 1; index >= 1; index -= 1) name += DIGIT_LABELS[aus.charCodeAt(index) - CODE_0] ?? `${aus[index]}.`;
  return name + suffix;
}

/** True when `input` already is an AUS: `+`, a non-zero digit, at most 14 more digits. The cache-hit fast path. */
export function isAus(input: string): boolean {
  const length = input.length;
  if (length < 2 || length > MAX_E164_DIGITS + 1 || input.charCodeAt(0) !== CODE_PLUS) return false;
  if (input.charCodeAt(1) === CODE_0) return false;
  for (let index = 1; index < length; index += 1) {
    const code = input.charCodeAt(index);
    if (code < CODE_0 || code > CODE_9) return false;
  }
  return true;
}

function stripScheme(input: string): string {
  const trimmed = input.trim();
  const lower = trimmed.slice(0, 4).toLowerCase();
  const scheme = SCHEMES.find((candidate) => lower.startsWith(candidate));
  return scheme === undefined ? trimmed : trimmed.slice(scheme.length);
}

function checkDigits(input: string, digits: string): string {
  if (digits.length === 0) throw rejected(input, 'the number has no digits');
  if (digits.length > MAX_E164_DIGITS) {
    throw rejected(input, `an E.164 number has at most ${MAX_E164_DIGITS} digits, this one has ${digits.length}`);
  }
  // E.164 §6.2.1: no country code starts with 0, so `+0…` cannot be an international number.
  if (digits.charCodeAt(0) === CODE_0) throw rejected(input, 'an E.164 country code never starts with 0');
  return `+${digits}`;
}

function rejected(input: string, reason: string): GatewayError {
  const shown = input.length > 40 ? `${input.slice(0, 40)}…` : input;
  return new GatewayError('ENUM_REJECTED', `not an E.164 number (${JSON.stringify(shown)}): ${reason}`, {
    impsStatus: 402,
  });
}
