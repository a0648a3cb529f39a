// XML text → element tree for the SSP decoder (XML 1.0 §2.11, §4.6 + Namespaces in XML §6), built on scanXml.

import { malformed } from './ssp-decode-error';
import { isXmlBlank, scanXml, type XmlScanHandler, type XmlStructureLimits } from './scan-xml';
import { decodeXmlReferences } from './xml-entity-decoder';

/** One element, matched by local name; `namespace` is the resolved URI of its prefix (or the default). */
export interface XmlElement {
  readonly name: string;
  readonly namespace: string | undefined;
  /** Attributes by local name; namespace declarations are not attributes here. */
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  /**
   * Character data of the element itself, concatenated, with the white space that pads it against tags
   * trimmed (not white space next to a CDATA section: that is content); CDATA sections as written; '' when none.
   */
  readonly text: string;
}

interface BuiltElement extends XmlElement {
  text: string;
}

interface NamespaceScope {
  readonly declarations: Record<string, string>;
  readonly parent: NamespaceScope | undefined;
}

const LINE_END = /\r\n?/g;
/** §2.3 S at either end: JavaScript's trim() would also take content such as a no-break space. */
const LEADING_SPACE = /^[ \t\r\n]+/;
const TRAILING_SPACE = /[ \t\r\n]+$/;

/**
 * Parse XML text and return its root element, refusing what scanXml refuses. Values stay strings (`+4790000001`
 * must not become a number); line ends in values are normalised (§2.11); only the five predefined entities
 * and character references are expanded (§4.6, §4.1) — anything else after `&` stays literal, as the deployed
 * peer does not escape StatusDescription (ssp-profile.md §2). The xml: prefix is bound by definition
 * (Namespaces in XML §3), so `xml:lang` keeps its prefix as its name.
 */
export function parseXml(xml: string, limits: XmlStructureLimits): XmlElement {
  const builder = new XmlTreeBuilder();
  scanXml(xml, limits, builder);
  if (builder.root === undefined) throw malformed('XML has no root element');
  return builder.root;
}

/**
 * Builds the tree from scan events. Character data is gathered across comments and processing instructions
 * (they are not part of it, §2.5/§2.6) and trimmed when an element starts or ends or a CDATA section comes.
 */
class XmlTreeBuilder implements XmlScanHandler {
  root: BuiltElement | undefined;
  private readonly open: BuiltElement[] = [];
  private readonly scopes: Array<NamespaceScope | undefined> = [];
  private tagName = '';
  private tagAttributes: Record<string, string> = {};
  private tagDeclarations: Record<string, string> | undefined;
  private pendingText = '';
  /** Whether white space at the start of the pending text is padding: after a tag, not after a CDATA section. */
  private paddedStart = true;

  startTag(qualifiedName: string): void {
    this.flushText(true);
    this.paddedStart = true;
    this.tagName = qualifiedName;
    this.tagAttributes = {};
    this.tagDeclarations = undefined;
  }

  attribute(qualifiedName: string, rawValue: string): void {
    const value = decodeValue(rawValue);
    const colon = qualifiedName.indexOf(':');
    if (qualifiedName.startsWith('xmlns') && (colon === -1 ? qualifiedName.length === 5 : colon === 5)) {
      // No prototype: a prefix such as `constructor` must not resolve to an inherited member.
      this.tagDeclarations ??= Object.create(null) as Record<string, string>;
      this.tagDeclarations[colon === -1 ? '' : qualifiedName.slice(6)] = value;
      return;
    }
    const local = colon === -1 || qualifiedName.startsWith('xml:') ? qualifiedName : qualifiedName.slice(colon + 1);
    if (Object.hasOwn(this.tagAttributes, local)) {
      throw malformed(`<${this.tagName}> repeats attribute ${local}`); // §3.1 Unique Att Spec, by local name
    }
    if (local !== '__proto__') this.tagAttributes[local] = value;
  }

  startTagEnd(): void {
    const parentScope = this.scopes[this.scopes.length - 1];
    const declarations = this.tagDeclarations;
    const scope = declarations === undefined ? parentScope : { declarations, parent: parentScope };
    const qualifiedName = this.tagName;
    const colon = qualifiedName.indexOf(':');
    const element: BuiltElement = {
      name: colon === -1 ? qualifiedName : qualifiedName.slice(colon + 1),
      namespace: resolvePrefix(scope, colon === -1 ? '' : qualifiedName.slice(0, colon)),
      attributes: this.tagAttributes,
      children: [],
      text: '',
    };
    const parent = this.open[this.open.length - 1];
    if (parent === undefined) this.root = element;
    else parent.children.push(element);
    this.open.push(element);
    this.scopes.push(scope);
  }

  endTag(): void {
    this.flushText(true);
    this.paddedStart = true;
    this.open.pop();
    this.scopes.pop();
  }

  text(xml: string, start: number, end: number): void {
    // White space alone after a tag would be trimmed away as padding: skip it without making a string.
    if (this.pendingText === '' && this.paddedStart && isXmlBlank(xml, start, end)) return;
    this.pendingText += xml.slice(start, end);
  }

  cdata(raw: string): void {
    this.flushText(false);
    this.paddedStart = false;
    const element = this.open[this.open.length - 1];
    if (element !== undefined) element.text += normaliseLineEnds(raw);
  }

  /** Add the pending text to the open element; `paddedEnd`: it ends at a tag (else at a CDATA section). */
  private flushText(paddedEnd: boolean): void {
    if (this.pendingText === '') return;
    let text = this.pendingText;
    this.pendingText = '';
    if (this.paddedStart) text = text.replace(LEADING_SPACE, '');
    if (paddedEnd) text = text.replace(TRAILING_SPACE, '');
    const element = this.open[this.open.length - 1];
    if (text !== '' && element !== undefined) element.text += decodeValue(text);
  }
}

/** §2.11: CR LF and lone CR read as LF — before references are expanded, so `&#13;` stays a CR. */
function normaliseLineEnds(raw: string): string {
  return raw.indexOf('\r') === -1 ? raw : raw.replace(LINE_END, '\n');
}

function decodeValue(raw: string): string {
  return decodeXmlReferences(normaliseLineEnds(raw));
}

function resolvePrefix(scope: NamespaceScope | undefined, prefix: string): string | undefined {
  for (let s = scope; s !== undefined; s = s.parent) {
    const uri = s.declarations[prefix];
    if (uri !== undefined) return uri;
  }
  return undefined;
}
