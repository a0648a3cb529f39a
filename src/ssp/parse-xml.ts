// XML text → element tree for the SSP decoder (XML 1.0 + Namespaces in XML §6), built on fast-xml-parser 5.

import { XMLParser } from 'fast-xml-parser';
import { malformed } from './ssp-decode-error';
import { xmlEntityDecoder } from './xml-entity-decoder';

/** One element, matched by local name; `namespace` is the resolved URI of its prefix (or the default). */
export interface XmlElement {
  readonly name: string;
  readonly namespace: string | undefined;
  /** Attributes by local name; namespace declarations are not attributes here. */
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  /** Character data of the element itself (trimmed by the parser), concatenated; '' when none. */
  readonly text: string;
}

/**
 * Built once (house style: per message, do the least). Values stay strings (`+4790000001` must not become a
 * number); only the five XML entities and character references are expanded (XML 1.0 §4.6) — DOCTYPE never
 * reaches the parser (see checkXmlStructure). Prefixes are kept so that namespaces can be resolved here.
 */
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  removeNSPrefix: false,
  trimValues: true,
  processEntities: true,
  entityDecoder: xmlEntityDecoder,
  ignoreDeclaration: true,
  ignorePiTags: true,
  jPath: false,
});

const ATTRIBUTES_KEY = ':@';
const TEXT_KEY = '#text';

type ParsedNode = Record<string, unknown>;

interface NamespaceScope {
  readonly declarations: Record<string, string>;
  readonly parent: NamespaceScope | undefined;
}

/** Parse structurally checked XML text and return its root element. */
export function parseXml(xml: string): XmlElement {
  let nodes: unknown;
  try {
    nodes = parser.parse(xml);
  } catch (error) {
    throw malformed(`XML cannot be parsed: ${error instanceof Error ? error.message : 'unknown error'}`, error);
  }
  if (!Array.isArray(nodes)) throw malformed('XML cannot be parsed');
  for (const node of nodes as ParsedNode[]) {
    if (elementName(node) !== undefined) return toElement(node, undefined);
  }
  throw malformed('XML has no root element');
}

function elementName(node: ParsedNode): string | undefined {
  for (const key in node) if (key !== ATTRIBUTES_KEY && key !== TEXT_KEY) return key;
  return undefined;
}

function toElement(node: ParsedNode, parentScope: NamespaceScope | undefined): XmlElement {
  const qualifiedName = elementName(node) ?? '';
  const colon = qualifiedName.indexOf(':');
  const { attributes, scope } = readAttributes(node[ATTRIBUTES_KEY] as Record<string, string> | undefined, parentScope);
  const children: XmlElement[] = [];
  let text = '';
  for (const child of node[qualifiedName] as ParsedNode[]) {
    const childText = child[TEXT_KEY];
    if (typeof childText === 'string') text += childText;
    else if (elementName(child) !== undefined) children.push(toElement(child, scope));
  }
  const prefix = colon === -1 ? '' : qualifiedName.slice(0, colon);
  return {
    name: colon === -1 ? qualifiedName : qualifiedName.slice(colon + 1),
    namespace: resolvePrefix(scope, prefix),
    attributes,
    children,
    text,
  };
}

/** Split namespace declarations (xmlns, xmlns:p) from attributes; attributes are keyed by local name. */
function readAttributes(
  raw: Record<string, string> | undefined,
  parentScope: NamespaceScope | undefined,
): { attributes: Record<string, string>; scope: NamespaceScope | undefined } {
  const attributes: Record<string, string> = {};
  if (raw === undefined) return { attributes, scope: parentScope };
  let declarations: Record<string, string> | undefined;
  for (const name in raw) {
    const value = raw[name] ?? '';
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      declarations ??= {};
      declarations[name === 'xmlns' ? '' : name.slice(6)] = value;
      continue;
    }
    // The xml: prefix is bound by definition (Namespaces in XML §3) and needs no declaration: keep it.
    const local = name.startsWith('xml:') ? name : name.slice(name.indexOf(':') + 1);
    if (local !== '__proto__') attributes[local] = value;
  }
  return { attributes, scope: declarations === undefined ? parentScope : { declarations, parent: parentScope } };
}

function resolvePrefix(scope: NamespaceScope | undefined, prefix: string): string | undefined {
  for (let s = scope; s !== undefined; s = s.parent) {
    const uri = s.declarations[prefix];
    if (uri !== undefined) return uri;
  }
  return undefined;
}
