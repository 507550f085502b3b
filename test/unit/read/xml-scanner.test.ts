import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { XmlScanner } from '../../../app/read/xml-scanner.ts';

type Event = string;

/** A log of what a reader sees: start tags with attributes, the text between tags (joined), end tags. */
function eventLog() {
  const events: Event[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') events.push(`text:${text}`);
    text = '';
  };
  return {
    open: (name: string, attributes: unknown) => {
      flush();
      events.push(`open:${name}:${JSON.stringify(attributes)}`);
    },
    text: (t: string) => (text += t),
    close: (name: string) => {
      flush();
      events.push(`close:${name}`);
    },
    /** The events, once the reader has ended. */
    end: (): Event[] => {
      flush();
      return events;
    },
  };
}

/** What XmlScanner sees. */
function withScanner(chunks: readonly string[]): Event[] {
  const log = eventLog();
  const scanner = new XmlScanner({
    open: (tag) => log.open(tag.name, tag.attributes),
    text: log.text,
    close: log.close,
  });
  for (const chunk of chunks) scanner.write(chunk);
  scanner.close();
  return log.end();
}

/** The same from saxes, a general XML parser. */
function withSaxes(chunks: readonly string[]): Event[] {
  const log = eventLog();
  const parser = new SaxesParser();
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => log.open(tag.name, tag.attributes));
  parser.on('text', log.text);
  parser.on('cdata', log.text);
  parser.on('closetag', (tag) => {
    const colon = tag.name.indexOf(':');
    log.close(colon === -1 ? tag.name : tag.name.slice(colon + 1));
  });
  for (const chunk of chunks) parser.write(chunk);
  parser.close();
  return log.end();
}

const escapeText = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
const name = fc.constantFrom('c', 'v', 'row', 'x:c', 'si', 't', 'table:table-cell', 'text:p');
const textPiece = fc.oneof(
  fc.string({ maxLength: 12 }).map(escapeText),
  fc.constantFrom('&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#233;', '&#x1F600;', '\r\n', '\r', '\n', ' '),
  fc.string({ maxLength: 8 }).map((s) => `<![CDATA[${s.replaceAll(']]>', '')}]]>`),
  fc.constant('<!-- a comment > with - a dash -->'),
  fc.constant('<?pi some > thing?>'),
);
const attributeValue = fc.oneof(
  fc.string({ maxLength: 10 }).map((s) => escapeText(s).replaceAll('"', '&quot;')),
  fc.constantFrom('a > b', "it's", 'line\nbreak', 'tab\there', '&#10;'),
);
const attributes = fc.uniqueArray(fc.tuple(fc.constantFrom('r', 's', 't', 'x:id', 'ref'), attributeValue), {
  selector: ([key]) => key,
  maxLength: 3,
});

const element: fc.Memo<string> = fc.memo((depth) =>
  fc
    .tuple(
      name,
      attributes,
      depth > 1
        ? fc.array(fc.oneof(textPiece, element(depth - 1)), { maxLength: 4 })
        : fc.array(textPiece, { maxLength: 3 }),
      fc.boolean(),
    )
    .map(([tag, attrs, children, empty]) => {
      const list = attrs.map(([key, value]) => ` ${key}="${value}"`).join('');
      return empty && children.length === 0 ? `<${tag}${list}/>` : `<${tag}${list}>${children.join('')}</${tag}>`;
    }),
);

/** Cuts a document at the given places. */
function chunked(xml: string, cuts: number[]): string[] {
  const places = [...new Set(cuts.map((c) => c % (xml.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const at of places) {
    chunks.push(xml.slice(from, at));
    from = at;
  }
  chunks.push(xml.slice(from));
  return chunks;
}

describe('the XML scanner', () => {
  it('reports what a general XML parser reports, however the input is cut into chunks', () => {
    fc.assert(
      fc.property(element(4), fc.array(fc.nat(), { maxLength: 12 }), (root, cuts) => {
        const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<doc>${root}</doc>`;
        expect(withScanner(chunked(xml, cuts))).toEqual(withSaxes([xml]));
      }),
      { numRuns: 400 },
    );
  });

  it('reads the same when fed one character at a time (markup cut short waits for more)', () => {
    fc.assert(
      fc.property(element(3), (root) => {
        const xml = `<?xml version="1.0"?><doc>${root}</doc>`;
        expect(withScanner([...xml])).toEqual(withSaxes([xml]));
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    ['a document type declaration, even without entities', '<!DOCTYPE a><a/>'],
    ['a character reference longer than any character', '<a>&#x00000000041;</a>'],
    ['a tag closed by another name', '<a><b></a></b>'],
    ['a part cut short', '<worksheet><sheetData><row r="1"><c r="A1"'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a bare ampersand', '<a>fish & chips</a>'],
    ['an attribute without quotes', '<a r=1/>'],
    ['two root elements', '<a/><b/>'],
  ])('refuses %s', (_what, xml) => {
    expect(() => withScanner([xml])).toThrow();
  });

  it('stops at once when asked to, ignoring what follows', () => {
    const seen: string[] = [];
    const scanner: XmlScanner = new XmlScanner({
      open: (tag) => {
        seen.push(tag.name);
        if (tag.name === 'dimension') scanner.stop();
      },
    });
    scanner.write('<worksheet><dimension ref="A1:T1001"/><sheetData><row><c');
    scanner.close();
    expect(seen).toEqual(['worksheet', 'dimension']);
  });
});
