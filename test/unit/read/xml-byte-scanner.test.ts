import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XmlByteScanner, XmlScanner, XmlSyntaxError, type XmlAttributes } from '../../../app/read/xml-scanner.ts';

/** What a reader sees (start tags with attributes, text joined between tags, end tags), and the error if any. */
function eventLog() {
  const events: string[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') events.push(`text:${text}`);
    text = '';
  };
  return {
    handlers: {
      start: (name: string, attributes: XmlAttributes) => {
        flush();
        events.push(`open:${name}:${JSON.stringify(attributes.record())}`);
      },
      text: (t: string) => (text += t),
      close: (name: string) => {
        flush();
        events.push(`close:${name}`);
      },
    },
    /** The events, and the error's message; text not yet ended by a tag is left out when there is an error. */
    end: (error: unknown): string[] => {
      if (error === undefined) flush();
      else if (error instanceof XmlSyntaxError) events.push(`error:${error.message}`);
      else throw new Error('not an XML syntax error', { cause: error });
      return events;
    },
  };
}

/** What XmlScanner reports for the whole text at once: the reading the byte scanner must match. */
function withScanner(xml: string): string[] {
  const log = eventLog();
  const scanner = new XmlScanner(log.handlers);
  try {
    scanner.write(new TextDecoder().decode(new TextEncoder().encode(xml)));
    scanner.close();
  } catch (error) {
    return log.end(error);
  }
  return log.end(undefined);
}

/** What XmlByteScanner reports for the text's UTF-8 bytes, cut at the given byte offsets. */
function withByteScanner(xml: string, cuts: number[]): string[] {
  const bytes = new TextEncoder().encode(xml);
  const places = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const log = eventLog();
  const scanner = new XmlByteScanner(log.handlers);
  try {
    let from = 0;
    for (const at of [...places, bytes.length]) {
      scanner.write(bytes.subarray(from, at));
      from = at;
    }
    scanner.close();
  } catch (error) {
    return log.end(error);
  }
  return log.end(undefined);
}

const escapeText = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
const name = fc.constantFrom('c', 'v', 'row', 'x:c', 'is', 't', 'sheetData', 'r');
const textPiece = fc.oneof(
  fc.string({ maxLength: 12 }).map(escapeText),
  fc.constantFrom('12.5', '0', 'Acme & Co'.replace('&', '&amp;'), 'é', '日本語', '😀', ' '),
  fc.constantFrom('&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#233;', '&#x1F600;', '\r\n', '\r', '\n', '\t'),
  fc.string({ maxLength: 8 }).map((s) => `<![CDATA[${s.replaceAll(']]>', '')}]]>`),
  fc.constant('<!-- a comment > with - a dash -->'),
  fc.constant('<?pi some > thing?>'),
);
const attributeValue = fc.oneof(
  fc.constantFrom(
    'A1',
    'XFD1048576',
    's',
    'inlineStr',
    '1',
    '14',
    '',
    "it's",
    'a > b',
    'é',
    'line\nbreak',
    'tab\there',
  ),
  fc.string({ maxLength: 10 }).map((s) => escapeText(s).replaceAll('"', '&quot;')),
  fc.constantFrom('&#10;', '&amp;', 'x\r\ny'),
);
const attributes = fc.uniqueArray(fc.tuple(fc.constantFrom('r', 's', 't', 'x:id', 'spans'), attributeValue), {
  selector: ([key]) => key,
  maxLength: 3,
});
const spacing = fc.constantFrom(' ', '  ', '\n', '\t', ' \r\n ');

const element: fc.Memo<string> = fc.memo((depth) =>
  fc
    .tuple(
      name,
      attributes,
      depth > 1
        ? fc.array(fc.oneof(textPiece, element(depth - 1)), { maxLength: 4 })
        : fc.array(textPiece, { maxLength: 3 }),
      fc.boolean(),
      spacing,
      fc.boolean(),
    )
    .map(([tag, attrs, children, empty, space, spaced]) => {
      const list = attrs.map(([key, value], i) => `${i % 2 ? space : ' '}${key}="${value}"`).join('');
      const end = spaced ? `</${tag}${space}>` : `</${tag}>`;
      return empty && children.length === 0 ? `<${tag}${list}/>` : `<${tag}${list}>${children.join('')}${end}`;
    }),
);

/** Damage a document could have: a piece cut out, or something put in that may not belong. */
const damage = fc.tuple(
  fc.nat(),
  fc.nat({ max: 6 }),
  fc.constantFrom('', '<', '>', '&', '"', "'", '/', '=', '</x>', '<!DOCTYPE a>', '<!x', '\r', 'é', '<![CDATA[', '<?'),
);

describe('XmlByteScanner', () => {
  it('reports what XmlScanner reports, however the bytes are cut into chunks', () => {
    fc.assert(
      fc.property(element(4), fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), (root, cuts, bom) => {
        const xml = `${bom ? '\uFEFF' : ''}<?xml version="1.0" encoding="UTF-8"?>\r\n<worksheet>${root}</worksheet>\n`;
        expect(withByteScanner(xml, cuts)).toEqual(withScanner(xml));
      }),
      { numRuns: 500 },
    );
  });

  it('reports the same errors as XmlScanner for damaged documents', () => {
    fc.assert(
      fc.property(element(3), damage, fc.array(fc.nat(), { maxLength: 8 }), (root, [at, cut, put], cuts) => {
        const whole = `<worksheet>${root}</worksheet>`;
        const place = at % (whole.length + 1);
        const xml = whole.slice(0, place) + put + whole.slice(place + cut);
        expect(withByteScanner(xml, cuts)).toEqual(withScanner(xml));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads the same when fed one byte at a time', () => {
    fc.assert(
      fc.property(element(3), (root) => {
        const xml = `<?xml version="1.0"?><doc>${root}</doc>`;
        const bytes = new TextEncoder().encode(xml).length;
        expect(
          withByteScanner(
            xml,
            Array.from({ length: bytes }, (_, i) => i),
          ),
        ).toEqual(withScanner(xml));
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    ['a long text run', `<a><b>${'x'.repeat(200_000)}é</b><b>1</b></a>`],
    ['a long comment', `<a><!--${'-x'.repeat(100_000)}--><b>1</b></a>`],
    ['a long attribute', `<a><b r="${'A'.repeat(150_000)}">1</b></a>`],
    ['a long text with references', `<a><b>${'x&amp;'.repeat(50_000)}</b></a>`],
    ['text after the root', '<a/>\r\n  '],
    ['text ending in a CR at the end', '<a/>\r'],
    ['a reference cut short at the end', '<a/>&am'],
    ['nothing', ''],
    ['only a declaration', '<?xml version="1.0"?>'],
    ['a second root', '<a/><b/>'],
    ['an end tag for another element', '<a><b></a>'],
    ['an end tag too many', '<a></a></a>'],
    ['a prefixed sheet', '<x:worksheet><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row></x:worksheet>'],
  ])('reads %s as XmlScanner does, in chunks of any size', (_, xml) => {
    const expected = withScanner(xml);
    for (const size of [1, 7, 4096, 65_536, 1 << 20]) {
      const length = new TextEncoder().encode(xml).length;
      const cuts = Array.from({ length: Math.ceil(length / size) }, (__, i) => i * size);
      expect(withByteScanner(xml, cuts)).toEqual(expected);
    }
  });
});
