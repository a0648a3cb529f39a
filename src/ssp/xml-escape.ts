// Escaping for the SSP encoder (XML 1.0 §2.4 character data, §3.3.3 attribute-value normalisation, §2.2 Char).

/**
 * `>` is escaped too (a `]]>` in text is not well-formed); CR is written as a reference so the receiver's
 * line-end normalisation (§2.11) keeps it. Characters XML 1.0 cannot carry at all (C0 controls, U+FFFE/F)
 * become U+FFFD rather than making the whole message unreadable.
 */
const TEXT_SPECIAL = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const TEXT_SPECIAL_ALL = new RegExp(TEXT_SPECIAL.source, 'g');
/** In attributes TAB and LF are references too, or the receiver would normalise them to spaces (§3.3.3). */
const ATTRIBUTE_SPECIAL = /[&<>"'\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const ATTRIBUTE_SPECIAL_ALL = new RegExp(ATTRIBUTE_SPECIAL.source, 'g');

const REFERENCES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

function reference(character: string): string {
  return REFERENCES[character] ?? '\uFFFD';
}

/** Escape element text. Most values need nothing: test first, replace only then. */
export function escapeXmlText(value: string): string {
  return TEXT_SPECIAL.test(value) ? value.replace(TEXT_SPECIAL_ALL, reference) : value;
}

/** Escape an attribute value written between double quotes. */
export function escapeXmlAttribute(value: string): string {
  return ATTRIBUTE_SPECIAL.test(value) ? value.replace(ATTRIBUTE_SPECIAL_ALL, reference) : value;
}
