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

/**
 * A start tag's attributes without an object per tag: the scanner's own list, valid only during the `start` call
 * it is passed to (the next tag overwrites it). XmlByteScanner makes a value's string only when it is asked for.
 */
export class XmlAttributes {
  readonly names: string[] = [];
  /** Values as strings, where made; otherwise the value is `source[starts[i], ends[i])`, ASCII. */
  readonly values: (string | undefined)[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  source: Uint8Array | null = null;
  length = 0;

  /** Where the attribute named `name` is in the list (the last if it is written twice), or -1. */
  index(name: string): number {
    for (let i = this.length - 1; i >= 0; i--) if (this.names[i] === name) return i;
    return -1;
  }

  /** The value of the attribute named `name`, or undefined. */
  get(name: string): string | undefined {
    const i = this.index(name);
    return i === -1 ? undefined : this.value(i);
  }

  /** The value of the `i`th attribute. */
  value(i: number): string {
    const known = this.values[i];
    if (known !== undefined) return known;
    const value = ascii(this.source as Uint8Array, this.starts[i] as number, this.ends[i] as number);
    this.values[i] = value;
    return value;
  }

  /** The `i`th attribute value's length, and its `k`th character's code: read without making its string. */
  valueLength(i: number): number {
    const known = this.values[i];
    return known !== undefined ? known.length : (this.ends[i] as number) - (this.starts[i] as number);
  }

  valueCode(i: number, k: number): number {
    const known = this.values[i];
    return known !== undefined
      ? known.charCodeAt(k)
      : ((this.source as Uint8Array)[(this.starts[i] as number) + k] as number);
  }

  /** The attributes as an object, in their order (a later one of the same name overwriting an earlier). */
  record(): Record<string, string> {
    const record: Record<string, string> = {};
    for (let i = 0; i < this.length; i++) record[this.names[i] as string] = this.value(i);
    return record;
  }
}

export interface XmlScannerHandlers {
  open?: (tag: XmlTag) => void;
  /**
   * A start tag, instead of `open`, without an object for each tag: its qualified name and its attributes in a
   * list the scanner reuses. For large parts (a worksheet), where `open`'s objects cost more than the reading.
   */
  start?: (name: string, attributes: XmlAttributes) => void;
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
  readonly #attributes = new XmlAttributes();
  /** Tag and attribute names seen lately, by first and last character and length: a workbook uses few. */
  readonly #names: (string | undefined)[] = new Array<string | undefined>(256).fill(undefined);
  /** Input not yet read: markup or a reference that goes on in the next chunk. */
  #rest = '';
  /** Chunks held back until `#rest` and they reach `#waiting` characters (0: read every chunk at once). */
  #pending: string[] = [];
  #pendingLength = 0;
  #waiting = 0;
  #stopped = false;
  #seenRoot = false;

  /** `state`: where an XmlByteScanner left off, when it hands the rest of its input over. */
  constructor(handlers: XmlScannerHandlers, state?: { open: readonly string[]; seenRoot: boolean }) {
    this.#handlers = handlers;
    if (state) {
      this.#open.push(...state.open);
      this.#seenRoot = state.seenRoot;
    }
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
      const expected = this.#open.pop();
      let name: string;
      if (expected !== undefined && endTagNames(s, lt + 2, end, expected)) name = expected;
      else {
        name = s.slice(lt + 2, end).trim();
        if (expected !== name) {
          throw new XmlSyntaxError(`the end tag </${clip(name)}> does not match the tag it closes`);
        }
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
    if (i === lt + 1) throw new XmlSyntaxError('a tag has no name');
    const name = this.#name(s, lt + 1, i);
    const attributes = this.#attributes;
    let count = 0;
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
      const keyEnd = i;
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      if (i >= n) return this.#incomplete(s, lt, MAX_TAG, 'a tag');
      if (keyEnd === keyStart || s.charCodeAt(i) !== 61 /* = */) {
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
      attributes.names[count] = this.#name(s, keyStart, keyEnd);
      attributes.values[count++] = attributeValue(s.slice(q + 1, close));
      i = close + 1;
    }
    if (end === -1) return this.#incomplete(s, lt, MAX_TAG, 'a tag');
    if (this.#open.length === 0 && this.#seenRoot) throw new XmlSyntaxError('it has more than one root element');
    this.#seenRoot = true;
    attributes.length = count;
    if (this.#handlers.start) this.#handlers.start(name, attributes);
    else this.#handlers.open?.({ name, attributes: attributes.record() });
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

  /** The name at `s[from, to)`: a name seen lately is not copied again. */
  #name(s: string, from: number, to: number): string {
    const length = to - from;
    const slot = (s.charCodeAt(from) * 7 + s.charCodeAt(to - 1) * 3 + length) & 255;
    const known = this.#names[slot];
    if (known !== undefined && known.length === length && s.startsWith(known, from)) return known;
    const name = s.slice(from, to);
    if (length <= 32) this.#names[slot] = name;
    return name;
  }

  #text(text: string): void {
    if (!this.#handlers.text) return;
    this.#handlers.text(decode(normaliseLineEnds(text)));
  }
}

/** Whether `s[from, end)` is `name` and perhaps whitespace after it (an end tag's content). */
function endTagNames(s: string, from: number, end: number, name: string): boolean {
  if (end - from < name.length || !s.startsWith(name, from)) return false;
  for (let i = from + name.length; i < end; i++) if (!isSpace(s.charCodeAt(i))) return false;
  return true;
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
  const spaced = hasLineOrTab(raw) ? normaliseLineEnds(raw).replace(/[\t\n]/g, ' ') : raw;
  return decode(spaced);
}

function hasLineOrTab(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 9 || c === 10 || c === 13) return true;
  }
  return false;
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

/** Bytes of markup or text an XmlByteScanner carries into the next chunk; a longer item goes to XmlScanner. */
const MAX_CARRIED = 1 << 16;

/**
 * XmlScanner's reading, from UTF-8 bytes, for large parts such as worksheets: the markup they are made of — start
 * and end tags, text, processing instructions and comments — is read from the bytes without decoding them into
 * large strings first, and each name is one string however often it comes. At the first thing it does not read
 * itself (a CDATA section, a name that is not plain ASCII, markup that is damaged or very long), it hands that and
 * all that follows to an XmlScanner, so what handlers see, and which errors are thrown, are XmlScanner's. Handlers
 * must use `start`, not `open`.
 */
export class XmlByteScanner {
  readonly #handlers: XmlScannerHandlers;
  readonly #open: string[] = [];
  readonly #attributes = new XmlAttributes();
  readonly #names: (string | undefined)[] = new Array<string | undefined>(256).fill(undefined);
  /** The chunk being read, after what the last one left unread. */
  #work = Buffer.allocUnsafeSlow(1 << 17) as Latin1Buffer;
  /** Bytes at the start of `#work` left unread by the last chunk (an item it cut). */
  #carried = 0;
  /** Bytes `#work` must hold before the carried item is read again: twice what it was (so each is read few times). */
  #waiting = 0;
  #seenRoot = false;
  #started = false;
  #stopped = false;
  /** Once handed over: the scanner that reads the rest, and the decoder for its input. */
  #general: XmlScanner | null = null;
  #decoder: TextDecoder | null = null;

  constructor(handlers: XmlScannerHandlers) {
    this.#handlers = handlers;
  }

  stop(): void {
    this.#stopped = true;
    this.#general?.stop();
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  write(chunk: Uint8Array): void {
    if (this.#stopped) return;
    if (this.#general) {
      this.#general.write((this.#decoder as TextDecoder).decode(chunk, { stream: true }));
      return;
    }
    const length = this.#carried + chunk.length;
    if (length > this.#work.length) {
      const work = Buffer.allocUnsafeSlow(Math.max(length, this.#work.length * 2)) as Latin1Buffer;
      work.set(this.#work.subarray(0, this.#carried));
      this.#work = work;
    }
    this.#work.set(chunk, this.#carried);
    if (length < this.#waiting) {
      this.#carried = length;
      return;
    }
    this.#scan(length, false);
  }

  close(): void {
    if (this.#stopped) return;
    if (!this.#general) this.#scan(this.#carried, true);
    if (this.#stopped) return;
    if (!this.#general && (this.#carried > 0 || this.#open.length > 0 || !this.#seenRoot)) this.#handOver(0, 0);
    const general = this.#general;
    if (general) {
      general.write((this.#decoder as TextDecoder).decode());
      general.close();
    }
  }

  /** Hands `#work[from, length)` and all that follows to an XmlScanner. */
  #handOver(from: number, length: number): void {
    this.#waiting = 0;
    this.#decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    this.#general = new XmlScanner(this.#handlers, { open: this.#open, seenRoot: this.#seenRoot });
    this.#carried = 0;
    if (length > from) this.#general.write(this.#decoder.decode(this.#work.subarray(from, length), { stream: true }));
  }

  /** Reads `#work[0, length)`; what an item cut by its end leaves is carried to the next chunk (at the `last`, kept). */
  #scan(length: number, last: boolean): void {
    const b = this.#work;
    let at = 0;
    if (!this.#started) {
      // The decoder XmlScanner reads through drops a byte order mark at the start.
      if (length < 3 && !last) return this.#carry(0, length);
      this.#started = true;
      if (length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) at = 3;
    }
    while (at < length && !this.#stopped) {
      let lt = at;
      let plain = true;
      while (lt < length) {
        const c = b[lt] as number;
        if (c === 60) break;
        if (c === 38 || c === 13 || c > 127) plain = false;
        lt++;
      }
      if (lt === length) {
        // Text to the end of the chunk: it may go on in the next.
        if (!last) return this.#carry(at, length);
        // At the input's end XmlScanner holds back a reference or a CR it cannot finish: its to read.
        if (!plain) return this.#handOver(at, length);
        if (lt > at) this.#text(at, lt, plain);
        break;
      }
      if (lt > at) this.#text(at, lt, plain);
      if (this.#stopped) return;
      const next = this.#markup(lt, length);
      if (next === -1) {
        // Cut by the chunk's end: carried, unless it is the end of the input or too long to carry.
        if (last) return this.#handOver(lt, length);
        return this.#carry(lt, length);
      }
      if (next === -2) return this.#handOver(lt, length);
      at = next;
    }
    this.#carried = 0;
    this.#waiting = 0;
  }

  #carry(from: number, length: number): void {
    if (length - from > MAX_CARRIED) return this.#handOver(from, length);
    if (from > 0) this.#work.copyWithin(0, from, length);
    this.#carried = length - from;
    this.#waiting = 2 * this.#carried;
  }

  #text(from: number, to: number, plain: boolean): void {
    const handler = this.#handlers.text;
    if (!handler) return;
    if (plain) handler(ascii(this.#work, from, to));
    else handler(decode(normaliseLineEnds(utf8.decode(this.#work.subarray(from, to)))));
  }

  /**
   * Reads the markup at `lt`: returns where the text after it starts, -1 if the chunk ends in it, -2 if it is
   * for XmlScanner to read.
   */
  #markup(lt: number, length: number): number {
    const b = this.#work;
    if (lt + 1 >= length) return -1;
    const kind = b[lt + 1] as number;
    if (kind === 47 /* / */) {
      const expected = this.#open[this.#open.length - 1];
      if (expected === undefined) return -2;
      let i = lt + 2;
      const nameEnd = i + expected.length;
      if (nameEnd >= length) return -1;
      for (let k = 0; k < expected.length; k++) if (b[i + k] !== expected.charCodeAt(k)) return -2;
      i = nameEnd;
      while (i < length && isSpace(b[i] as number)) i++;
      if (i >= length) return -1;
      if (b[i] !== 62) return -2;
      this.#open.pop();
      this.#handlers.close?.(localOf(expected));
      return i + 1;
    }
    if (kind === 63 /* ? */) return this.#skip(lt, length, '?>');
    if (kind === 33 /* ! */) {
      if (lt + 4 > length) return -1;
      if (b[lt + 2] === 45 && b[lt + 3] === 45) return this.#skip(lt + 4, length, '-->');
      return -2;
    }
    let i = lt + 1;
    while (i < length && isNameByte(b[i] as number)) i++;
    if (i >= length) return -1;
    const stop = b[i] as number;
    if (i === lt + 1 || !(stop === 62 || stop === 47 || isSpace(stop))) return -2;
    const name = this.#name(lt + 1, i);
    const attributes = this.#attributes;
    attributes.source = b;
    let count = 0;
    let empty = false;
    let end = -1;
    while (i < length) {
      const c = b[i] as number;
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (c === 62 /* > */) {
        end = i;
        break;
      }
      if (c === 47 /* / */) {
        if (i + 1 >= length) return -1;
        if (b[i + 1] !== 62) return -2;
        empty = true;
        end = i + 1;
        break;
      }
      const keyStart = i;
      while (i < length && isNameByte(b[i] as number)) i++;
      const keyEnd = i;
      while (i < length && isSpace(b[i] as number)) i++;
      if (i >= length) return -1;
      if (keyEnd === keyStart || b[i] !== 61 /* = */) return -2;
      i++;
      while (i < length && isSpace(b[i] as number)) i++;
      if (i >= length) return -1;
      const quote = b[i] as number;
      if (quote !== 34 && quote !== 39) return -2;
      const valueStart = ++i;
      let plain = true;
      while (i < length) {
        const v = b[i] as number;
        if (v === quote) break;
        // A reference, a tab or line end (which XML turns into a space), or a character past ASCII.
        if (v < 32 || v > 126 || v === 38) plain = false;
        i++;
      }
      if (i >= length) return -1;
      attributes.names[count] = this.#name(keyStart, keyEnd);
      // Short plain values (`t="s"`, a style's number) are the same few strings; other plain ones are made if
      // asked for; the rest are decoded as XmlScanner decodes them.
      attributes.values[count] = !plain
        ? attributeValue(utf8.decode(b.subarray(valueStart, i)))
        : i - valueStart <= 4
          ? this.#name(valueStart, i)
          : undefined;
      attributes.starts[count] = valueStart;
      attributes.ends[count++] = i;
      i++;
    }
    if (end === -1) return -1;
    if (this.#open.length === 0 && this.#seenRoot) return -2;
    this.#seenRoot = true;
    attributes.length = count;
    (this.#handlers.start as NonNullable<XmlScannerHandlers['start']>)(name, attributes);
    if (empty) this.#handlers.close?.(localOf(name));
    else this.#open.push(name);
    return end + 1;
  }

  /** Skips to after `close` (a processing instruction's or a comment's end), searching from `from`. */
  #skip(from: number, length: number, close: string): number {
    const end = this.#work.indexOf(close, from, 'latin1');
    return end === -1 || end + close.length > length ? -1 : end + close.length;
  }

  /** The ASCII name (or short value) at `#work[from, to)`: one seen lately is not made again. */
  #name(from: number, to: number): string {
    const b = this.#work;
    const length = to - from;
    if (length === 0) return '';
    const slot = ((b[from] as number) * 7 + (b[to - 1] as number) * 3 + length) & 255;
    const known = this.#names[slot];
    if (known !== undefined && known.length === length) {
      let same = true;
      for (let k = 0; k < length; k++) {
        if (known.charCodeAt(k) !== b[from + k]) {
          same = false;
          break;
        }
      }
      if (same) return known;
    }
    const name = b.latin1Slice(from, to);
    if (length <= 32) this.#names[slot] = name;
    return name;
  }
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Node's Buffer has this (what `toString('latin1', start, end)` calls), without `toString`'s checks. */
type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };

/** ASCII bytes as a string: short ones made here, which costs less than a call into Node for each. */
function ascii(b: Uint8Array, from: number, to: number): string {
  const c = (k: number) => b[from + k] as number;
  switch (to - from) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(c(0));
    case 2:
      return String.fromCharCode(c(0), c(1));
    case 3:
      return String.fromCharCode(c(0), c(1), c(2));
    case 4:
      return String.fromCharCode(c(0), c(1), c(2), c(3));
    case 5:
      return String.fromCharCode(c(0), c(1), c(2), c(3), c(4));
    case 6:
      return String.fromCharCode(c(0), c(1), c(2), c(3), c(4), c(5));
    case 7:
      return String.fromCharCode(c(0), c(1), c(2), c(3), c(4), c(5), c(6));
    case 8:
      return String.fromCharCode(c(0), c(1), c(2), c(3), c(4), c(5), c(6), c(7));
    default:
      return (b as Latin1Buffer).latin1Slice(from, to);
  }
}

/** Bytes a name is read from here (others are XmlScanner's to read): ASCII letters, digits, `_ : . -`. */
function isNameByte(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95 || c === 46 || c === 45;
}
