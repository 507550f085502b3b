/**
 * A small, fast streaming XML scanner for the parts of a workbook: start tags with their attributes, text, and end
 * tags (an empty-element tag gives both), fed chunk by chunk. It does what reading spreadsheet XML needs — the five
 * predefined entities and character references, CDATA, comments and processing instructions skipped, line ends
 * normalised as XML says — and checks that tags nest, so a damaged part is noticed. It refuses DTDs (a document
 * type is how entity bombs are built, and no workbook has one) and any entity beyond XML's five.
 * Worksheets are most of a workbook's bytes; this reads them several times faster than a general parser.
 *
 * Its time is linear in its input whatever the input: markup cut by a chunk's end is read again only once the
 * input waiting behind it has doubled, an `&` is held back for at most the length of the longest reference, and
 * markup that never ends is refused once it is longer than any a workbook has.
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

/** What is wrong with the XML, as a clause that completes “… is not valid XML: ”. */
export class XmlSyntaxError extends Error {}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&(#x[0-9a-fA-F]{1,8}|#[0-9]{1,10}|[A-Za-z]{1,8});/g;
const STRAY_AMPERSAND = /&(?!#x[0-9a-fA-F]{1,8};|#[0-9]{1,10};|[A-Za-z]{1,8};)/;
/** Longer than any reference `REFERENCE` accepts (`&#x0010FFFF;`): an `&` further from a `;` is not one. */
const MAX_REFERENCE = 16;
/** Longer than any tag in a spreadsheet: a tag not closed by then is damage, not a tag cut by a chunk. */
const MAX_TAG = 1 << 20;
/** Longer than any comment, processing instruction or CDATA section a workbook has (and than a cell may hold). */
const MAX_SECTION = 1 << 25;

export class XmlScanner {
  readonly #handlers: XmlScannerHandlers;
  readonly #open: string[] = [];
  /** Input not yet read: markup or a reference that goes on in the next chunk. */
  #rest = '';
  /** Chunks held back until `#rest` and they reach `#waiting` characters (0: read every chunk at once). */
  #pending: string[] = [];
  #pendingLength = 0;
  #waiting = 0;
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
    if (this.#stopped) return;
    if (this.#waiting > 0) {
      this.#pending.push(chunk);
      this.#pendingLength += chunk.length;
      if (this.#rest.length + this.#pendingLength < this.#waiting) return;
      chunk = this.#takePending();
    }
    this.#scan(this.#rest + chunk);
  }

  /** The input is complete: anything left open means the part was cut short. */
  close(): void {
    if (this.#stopped) return;
    if (this.#waiting > 0) this.#scan(this.#rest + this.#takePending());
    if (this.#stopped) return;
    if (this.#rest.trim() !== '' || this.#open.length > 0 || !this.#seenRoot) {
      throw new XmlSyntaxError('it ends before its elements are closed (the part was cut short)');
    }
  }

  #takePending(): string {
    const text = this.#pending.join('');
    this.#pending = [];
    this.#pendingLength = 0;
    this.#waiting = 0;
    return text;
  }

  #scan(s: string): void {
    this.#rest = '';
    let at = 0;
    while (at < s.length && !this.#stopped) {
      const lt = s.indexOf('<', at);
      if (lt === -1) {
        // Text to the end: a reference it ends with may go on in the next chunk, and so may a CR's LF.
        let end = s.length;
        const amp = s.lastIndexOf('&');
        if (amp >= at && s.length - amp < MAX_REFERENCE && s.indexOf(';', amp) === -1) end = amp;
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

  /** Reads the markup at `lt`; returns where the text after it starts, or -1 if it goes on in the next chunk. */
  #markup(s: string, lt: number): number {
    const kind = s.charCodeAt(lt + 1);
    if (Number.isNaN(kind)) return this.#incomplete(s, lt, MAX_TAG, 'a tag');
    if (kind === 47 /* / */) {
      const end = s.indexOf('>', lt);
      if (end === -1) return this.#incomplete(s, lt, MAX_TAG, 'an end tag');
      const name = s.slice(lt + 2, end).trim();
      if (this.#open.pop() !== name) {
        throw new XmlSyntaxError(`the end tag </${clip(name)}> does not match the tag it closes`);
      }
      this.#handlers.close?.(localOf(name));
      return end + 1;
    }
    if (kind === 63 /* ? */) {
      const end = s.indexOf('?>', lt);
      return end === -1 ? this.#incomplete(s, lt, MAX_SECTION, 'a processing instruction') : end + 2;
    }
    if (kind === 33 /* ! */) {
      if (s.startsWith('<!--', lt)) {
        const end = s.indexOf('-->', lt + 4);
        return end === -1 ? this.#incomplete(s, lt, MAX_SECTION, 'a comment') : end + 3;
      }
      if (s.startsWith('<![CDATA[', lt)) {
        const end = s.indexOf(']]>', lt + 9);
        if (end === -1) return this.#incomplete(s, lt, MAX_SECTION, 'a CDATA section');
        if (end > lt + 9) this.#handlers.text?.(normaliseLineEnds(s.slice(lt + 9, end)));
        return end + 3;
      }
      if (s.length - lt < 9) return this.#incomplete(s, lt, MAX_TAG, 'a tag');
      if (s.startsWith('<!DOCTYPE', lt)) {
        throw new XmlSyntaxError('it declares a document type (<!DOCTYPE …>), which workbooks never have');
      }
      throw new XmlSyntaxError('it has markup that starts with “<!” and is not a comment or CDATA');
    }
    // A start tag: its name, then attributes up to the first '>' outside a quoted value.
    let i = lt + 1;
    const n = s.length;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 62 || c === 47 || c === 9 || c === 10 || c === 13) break;
      i++;
    }
    if (i >= n) return this.#incomplete(s, lt, MAX_TAG, 'a tag');
    const name = s.slice(lt + 1, i);
    if (name === '') throw new XmlSyntaxError('a tag has no name');
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
        if (i + 1 >= n) return this.#incomplete(s, lt, MAX_TAG, 'a tag');
        if (s.charCodeAt(i + 1) !== 62) throw new XmlSyntaxError(`the tag <${clip(name)}> is not well formed`);
        empty = true;
        end = i + 1;
        break;
      }
      // An attribute's name runs to '=' (or to what cannot be in a name: then the tag is damaged).
      const keyStart = i;
      while (i < n) {
        const k = s.charCodeAt(i);
        if (k === 61 || k === 32 || k === 9 || k === 10 || k === 13 || k === 62 || k === 47 || k === 60) break;
        i++;
      }
      const key = s.slice(keyStart, i);
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      if (i >= n) return this.#incomplete(s, lt, MAX_TAG, 'a tag');
      if (key === '' || s.charCodeAt(i) !== 61 /* = */) {
        throw new XmlSyntaxError(`an attribute of the tag <${clip(name)}> is not well formed`);
      }
      let q = i + 1;
      while (q < n && isSpace(s.charCodeAt(q))) q++;
      if (q >= n) return this.#incomplete(s, lt, MAX_TAG, 'a tag');
      const quote = s.charCodeAt(q);
      if (quote !== 34 && quote !== 39) {
        throw new XmlSyntaxError(`an attribute of the tag <${clip(name)}> has a value without quotes`);
      }
      const close = s.indexOf(quote === 34 ? '"' : "'", q + 1);
      if (close === -1) return this.#incomplete(s, lt, MAX_TAG, 'a tag');
      attributes[key] = attributeValue(s.slice(q + 1, close));
      i = close + 1;
    }
    if (end === -1) return this.#incomplete(s, lt, MAX_TAG, 'a tag');
    if (this.#open.length === 0 && this.#seenRoot) throw new XmlSyntaxError('it has more than one root element');
    this.#seenRoot = true;
    this.#handlers.open({ name, attributes });
    if (empty) this.#handlers.close?.(localOf(name));
    else this.#open.push(name);
    return end + 1;
  }

  /**
   * Markup the chunk ends in the middle of: read again once the input behind it has doubled (so however the
   * input is cut, each character is read a bounded number of times), unless it is already impossibly long.
   */
  #incomplete(s: string, lt: number, limit: number, what: string): number {
    const length = s.length - lt;
    if (length >= limit) throw new XmlSyntaxError(`${what} is too long, or is never closed`);
    this.#waiting = Math.min(length * 2, limit);
    return -1;
  }

  #text(text: string): void {
    if (!this.#handlers.text) return;
    this.#handlers.text(decode(normaliseLineEnds(text)));
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** A name for a message: at most 40 characters of it. */
function clip(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
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
  if (STRAY_AMPERSAND.test(text)) throw new XmlSyntaxError('an “&” does not start a reference such as &amp;');
  return text.replace(REFERENCE, (_, body: string) => {
    if (body.charCodeAt(0) === 35 /* # */) {
      const code = body.charCodeAt(1) === 120 ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff) throw new XmlSyntaxError(`&${body}; is not a character`);
      return String.fromCodePoint(code);
    }
    const value = ENTITIES[body];
    if (value === undefined) throw new XmlSyntaxError(`&${body}; is not one of the entities XML knows`);
    return value;
  });
}
