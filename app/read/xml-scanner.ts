/**
 * A small, fast streaming XML scanner for the parts of a workbook: start tags with their attributes, text, and end
 * tags (an empty-element tag gives both), fed chunk by chunk. It does what reading spreadsheet XML needs — the five
 * predefined entities and character references, CDATA, comments and processing instructions skipped, line ends
 * normalised as XML says — and checks that tags nest, so a damaged part is noticed. It does not read DTDs.
 * Worksheets are most of a workbook's bytes; this reads them several times faster than a general parser.
 */

export interface XmlTag {
  /** The qualified name, prefix included (`x:row`). */
  name: string;
  attributes: Record<string, string>;
}

export interface XmlScannerHandlers {
  open: (tag: XmlTag) => void;
  text?: (text: string) => void;
  /** The end of an element, by its local name (without prefix). */
  close?: (localName: string) => void;
}

export class XmlSyntaxError extends Error {}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g;
const STRAY_AMPERSAND = /&(?!#x[0-9a-fA-F]+;|#[0-9]+;|[A-Za-z]+;)/;
/** Longer than any tag in a spreadsheet: a start tag not closed by then is damage, not a tag cut by a chunk. */
const MAX_TAG = 1 << 20;

export class XmlScanner {
  readonly #handlers: XmlScannerHandlers;
  readonly #open: string[] = [];
  #rest = '';
  #stopped = false;
  #seenRoot = false;

  constructor(handlers: XmlScannerHandlers) {
    this.#handlers = handlers;
  }

  /** Stops at once: nothing more is reported (an `open` handler may call it). */
  stop(): void {
    this.#stopped = true;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  write(chunk: string): void {
    const s = this.#rest + chunk;
    this.#rest = '';
    let at = 0;
    while (at < s.length && !this.#stopped) {
      const lt = s.indexOf('<', at);
      if (lt === -1) {
        // Text to the end: an entity or a CR it ends with may go on in the next chunk.
        let end = s.length;
        const amp = s.lastIndexOf('&');
        if (amp >= at && s.indexOf(';', amp) === -1) end = amp;
        if (end > at && s.charCodeAt(end - 1) === 13) end--;
        if (end > at) this.#text(s.slice(at, end));
        this.#rest = s.slice(end);
        return;
      }
      if (lt > at) this.#text(s.slice(at, lt));
      const next = this.#markup(s, lt);
      if (next === -1) {
        this.#rest = s.slice(lt);
        return;
      }
      at = next;
    }
  }

  /** The input is complete: anything left open means the part was cut short. */
  close(): void {
    if (this.#stopped) return;
    if (this.#rest.trim() !== '' || this.#open.length > 0 || !this.#seenRoot) {
      throw new XmlSyntaxError('The XML ends before its elements are closed.');
    }
  }

  /** Reads the markup at `lt`; returns where the text after it starts, or -1 if it goes on in the next chunk. */
  #markup(s: string, lt: number): number {
    const kind = s.charCodeAt(lt + 1);
    if (Number.isNaN(kind)) return -1;
    if (kind === 47 /* / */) {
      const end = s.indexOf('>', lt);
      if (end === -1) return -1;
      const name = s.slice(lt + 2, end).trim();
      if (this.#open.pop() !== name) throw new XmlSyntaxError(`The end tag </${name}> does not match its start.`);
      this.#handlers.close?.(localOf(name));
      return end + 1;
    }
    if (kind === 63 /* ? */) {
      const end = s.indexOf('?>', lt);
      return end === -1 ? -1 : end + 2;
    }
    if (kind === 33 /* ! */) {
      if (s.startsWith('<!--', lt)) {
        const end = s.indexOf('-->', lt + 4);
        return end === -1 ? -1 : end + 3;
      }
      if (s.startsWith('<![CDATA[', lt)) {
        const end = s.indexOf(']]>', lt + 9);
        if (end === -1) return -1;
        if (end > lt + 9) this.#handlers.text?.(normaliseLineEnds(s.slice(lt + 9, end)));
        return end + 3;
      }
      if (s.length - lt < 9) return -1;
      if (s.startsWith('<!DOCTYPE', lt)) {
        const end = s.indexOf('>', lt);
        if (end === -1) return -1;
        if (s.lastIndexOf('[', end) > lt) throw new XmlSyntaxError('Document type declarations are not read.');
        return end + 1;
      }
      throw new XmlSyntaxError('Unknown markup.');
    }
    // A start tag: its name, then attributes up to the first '>' outside a quoted value.
    let i = lt + 1;
    const n = s.length;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 62 || c === 47 || c === 9 || c === 10 || c === 13) break;
      i++;
    }
    if (i >= n) return this.#incomplete(s, lt);
    const name = s.slice(lt + 1, i);
    if (name === '') throw new XmlSyntaxError('A tag has no name.');
    const attributes: Record<string, string> = {};
    let empty = false;
    let end = -1;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        i++;
        continue;
      }
      if (c === 62 /* > */) {
        end = i;
        break;
      }
      if (c === 47 /* / */) {
        if (i + 1 >= n) return this.#incomplete(s, lt);
        if (s.charCodeAt(i + 1) !== 62) throw new XmlSyntaxError(`The tag <${name}> is not well formed.`);
        empty = true;
        end = i + 1;
        break;
      }
      const eq = s.indexOf('=', i);
      if (eq === -1) return this.#incomplete(s, lt);
      let q = eq + 1;
      while (
        q < n &&
        (s.charCodeAt(q) === 32 || s.charCodeAt(q) === 9 || s.charCodeAt(q) === 10 || s.charCodeAt(q) === 13)
      )
        q++;
      if (q >= n) return this.#incomplete(s, lt);
      const quote = s.charCodeAt(q);
      if (quote !== 34 && quote !== 39) throw new XmlSyntaxError(`An attribute of <${name}> is not quoted.`);
      const close = s.indexOf(quote === 34 ? '"' : "'", q + 1);
      if (close === -1) return this.#incomplete(s, lt);
      const key = s.slice(i, eq).trim();
      if (key === '' || /[\s<>]/.test(key)) throw new XmlSyntaxError(`An attribute of <${name}> is not well formed.`);
      attributes[key] = attributeValue(s.slice(q + 1, close));
      i = close + 1;
    }
    if (end === -1) return this.#incomplete(s, lt);
    if (this.#open.length === 0 && this.#seenRoot) throw new XmlSyntaxError('There is more than one root element.');
    this.#seenRoot = true;
    this.#handlers.open({ name, attributes });
    if (empty) this.#handlers.close?.(localOf(name));
    else this.#open.push(name);
    return end + 1;
  }

  /** A tag the chunk ends in the middle of: read again with the next chunk, unless it is impossibly long. */
  #incomplete(s: string, lt: number): number {
    if (s.length - lt >= MAX_TAG) throw new XmlSyntaxError('A tag is too long, or is not closed.');
    return -1;
  }

  #text(text: string): void {
    if (!this.#handlers.text) return;
    this.#handlers.text(decode(normaliseLineEnds(text)));
  }
}

function localOf(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** CR LF and lone CR become LF (XML 1.0 §2.11). */
function normaliseLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** An attribute's value: references decoded, and each whitespace character a space (XML 1.0 §3.3.3). */
function attributeValue(raw: string): string {
  const spaced = /[\t\n\r]/.test(raw) ? normaliseLineEnds(raw).replace(/[\t\n]/g, ' ') : raw;
  return decode(spaced);
}

function decode(text: string): string {
  if (!text.includes('&')) return text;
  if (STRAY_AMPERSAND.test(text)) throw new XmlSyntaxError('An & is not part of an entity.');
  return text.replace(REFERENCE, (_, body: string) => {
    if (body.charCodeAt(0) === 35 /* # */) {
      const code = body.charCodeAt(1) === 120 ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff) throw new XmlSyntaxError(`&${body}; is not a character.`);
      return String.fromCodePoint(code);
    }
    const value = ENTITIES[body];
    if (value === undefined) throw new XmlSyntaxError(`&${body}; is not an entity XML knows.`);
    return value;
  });
}
