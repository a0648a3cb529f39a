// parseXml/scanXml tests (XML 1.0 §2–§4, Namespaces in XML §6): the tree it builds and the markup it refuses.
import { strict as assert } from 'node:assert';
import { SspDecodeError } from '../../src/ssp';
import { parseXml, type XmlElement } from '../../src/ssp/parse-xml';

const LIMITS = { maxDepth: 32, maxAttributes: 32, maxTextLength: 65_536 };
const parse = (xml: string): XmlElement => parseXml(xml, LIMITS);

const leaf = (name: string, namespace: string | undefined, attributes: Record<string, string> = {}, text = ''): XmlElement =>
  ({ name, namespace, attributes, children: [], text });

describe('parseXml: the tree', () => {
  it('resolves default and prefixed namespaces, keys attributes by local name and keeps xml:lang', () => {
    const root = parse('<r xmlns="urn:d" xmlns:p="urn:p"><p:a p:x="1" xml:lang="en" y=\'2\'/><b xmlns="urn:o"/><q:c/></r>');
    assert.deepStrictEqual(root, {
      name: 'r', namespace: 'urn:d', attributes: {}, text: '',
      children: [leaf('a', 'urn:p', { x: '1', 'xml:lang': 'en', y: '2' }), leaf('b', 'urn:o'), leaf('c', undefined)],
    });
  });

  it('trims text between child elements, joins it across comments and keeps CDATA as written', () => {
    assert.equal(parse('<r>\n  a <!-- c -->  b \n<x/> c<![CDATA[ <d> &amp; ]]>e </r>').text, 'a   bc <d> &amp; e');
  });

  it('keeps white space next to a CDATA section and inside the text: only padding against tags is trimmed', () => {
    assert.equal(parse('<r>if a <![CDATA[<]]> b then</r>').text, 'if a < b then');
    assert.equal(parse('<r><![CDATA[a]]> <![CDATA[b]]></r>').text, 'a b');
    assert.equal(parse('<r>\n  \u00a0no-break space kept\u00a0 \n</r>').text, '\u00a0no-break space kept\u00a0');
  });

  it('expands the five entities and character references only, after normalising line ends (§2.11)', () => {
    assert.equal(parse('<r>&lt;&amp;&gt;&quot;&apos;&#65;&#x42; &nbsp; R&D\r\nx&#13;</r>').text, '<&>"\'AB &nbsp; R&D\nx\r');
    assert.deepStrictEqual(parse('<r a="&#9;1&#10;" b=" 2\r\n"/>').attributes, { a: '\t1\n', b: ' 2\n' });
  });

  it('never resolves a prefix to an inherited member, and drops a __proto__ attribute', () => {
    const root = parse('<constructor:r __proto__="x" k="v"/>');
    assert.equal(root.namespace, undefined);
    assert.deepStrictEqual(root.attributes, { k: 'v' });
    assert.equal(Object.getPrototypeOf(root.attributes), Object.prototype);
  });
});

const refusals: Array<[string, string, RegExp]> = [
  ['a DOCTYPE', '<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>', /DOCTYPE and ENTITY declarations are refused/],
  ['a declaration inside the root', '<r><!ENTITY e "x"></r>', /DOCTYPE and ENTITY declarations are refused/],
  ['"<!-->" taken for a whole comment', '<r><!--></r>', /unterminated comment/],
  ['a mismatched end tag', '<r><a></r></a>', /<\/r> does not close <a>/],
  ['white space before the name of an end tag', '<r></ r>', /<\/ r> does not close <r>/],
  ['an unclosed element', '<r><a>', /<a> is not closed/],
  ['a second root', '<r/><s/>', /more than one root element/],
  ['text after the root', '<r/>x', /text after the root element/],
  ['an attribute without a value', '<r a></r>', /<r> attribute a has no value/],
  ['an unquoted attribute value', '<r a=1></r>', /<r> attribute a is not quoted/],
  ['attributes run together', '<r a="1"b="2"/>', /lacks white space after attribute a/],
  ['a repeated attribute', '<r a="1" a="2"/>', /<r> repeats attribute a/],
  ['a stray slash', '<r / a="1"/>', /stray "\/"/],
  ['"<" inside a tag', '<r <a/>', /"<" inside a tag/],
  ['"<" in an attribute value', '<r a="<"/>', /"<" in an attribute value/],
  ['a quote in a name', '<r a"b="1"/>', /<r> attribute a has no value/],
  ['a non-ASCII character that is no XML name character (×)', '<r><a×b/></r>', /invalid element name/],
  ['a truncated start tag', '<r a="1"', /truncated: unterminated start tag/],
  ['a truncated attribute value', '<r a="1', /truncated: unterminated attribute value/],
  ['nesting beyond maxDepth', `${'<a>'.repeat(33)}${'</a>'.repeat(33)}`, /deeper than 32 levels/],
  ['more attributes than maxAttributes', `<r ${Array.from({ length: 33 }, (_, i) => `a${i}="1"`).join(' ')}/>`, /more than 32 attributes/],
  ['a CDATA section over maxTextLength', `<r><![CDATA[${'x'.repeat(65_537)}]]></r>`, /text exceeds 65536 characters/],
];

describe('parseXml: refused markup', () => {
  for (const [name, xml, description] of refusals) {
    it(`refuses ${name}`, () => {
      assert.throws(() => parse(xml), (error: unknown) => {
        assert.ok(error instanceof SspDecodeError, `expected SspDecodeError, got ${String(error)}`);
        assert.equal(error.code, 'SSP_MALFORMED');
        assert.match(error.message, description);
        return true;
      });
    });
  }
});
