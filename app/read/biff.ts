/**
 * The BIFF8 record stream of an Excel 97–2003 workbook (MS-XLS): records with their CONTINUE parts, a cursor that
 * reads strings across those parts, RK numbers and error codes. `xls.ts` reads a workbook's cells with these.
 */

/** BIFF8 record types this reader understands (MS-XLS §2.3). */
export const R = {
  BOF: 0x0809,
  EOF: 0x000a,
  CONTINUE: 0x003c,
  FILEPASS: 0x002f,
  DATEMODE: 0x0022,
  FORMAT: 0x041e,
  XF: 0x00e0,
  BOUNDSHEET: 0x0085,
  SST: 0x00fc,
  DIMENSIONS: 0x0200,
  LABELSST: 0x00fd,
  LABEL: 0x0204,
  RSTRING: 0x00d6,
  NUMBER: 0x0203,
  RK: 0x027e,
  MULRK: 0x00bd,
  BOOLERR: 0x0205,
  FORMULA: 0x0006,
  STRING: 0x0207,
} as const;

/** The text of a cell's error code (MS-XLS §2.5.10). */
export const ERRORS: Record<number, string> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
};

/** One record: its type, and its data with any CONTINUE records that follow it, as separate segments. */
export interface BiffRecord {
  type: number;
  segments: Buffer[];
  /** Stream offset just past the record and its continuations. */
  end: number;
}

/** The records from stream offset `from` on, each with the CONTINUE records that follow it. */
export function* records(stream: Buffer, from: number): Generator<BiffRecord> {
  let position = from;
  while (position + 4 <= stream.length) {
    const type = stream.readUInt16LE(position);
    const length = stream.readUInt16LE(position + 2);
    const segments = [stream.subarray(position + 4, position + 4 + length)];
    position += 4 + length;
    while (position + 4 <= stream.length && stream.readUInt16LE(position) === R.CONTINUE) {
      const more = stream.readUInt16LE(position + 2);
      segments.push(stream.subarray(position + 4, position + 4 + more));
      position += 4 + more;
    }
    yield { type, segments, end: position };
  }
}

/** An RK number: a 30-bit integer or the top of a double, possibly divided by 100 (MS-XLS §2.5.217). */
export function decodeRk(rk: number): number {
  let value: number;
  if (rk & 2) value = rk >> 2;
  else {
    const buffer = Buffer.alloc(8);
    buffer.writeInt32LE(rk & ~3, 4);
    value = buffer.readDoubleLE(0);
  }
  return rk & 1 ? value / 100 : value;
}

/**
 * Reads across a record's CONTINUE segments. Strings that cross into a new segment restart with an option byte
 * saying whether their remaining characters are one or two bytes each (MS-XLS §2.5.293).
 */
export class Cursor {
  readonly #segments: Buffer[];
  #segment = 0;
  #position = 0;

  constructor(segments: Buffer[]) {
    this.#segments = segments;
  }

  get done(): boolean {
    return this.#segment >= this.#segments.length;
  }

  skip(bytes: number): void {
    for (let i = 0; i < bytes; i++) this.u8();
  }

  u8(): number {
    let buffer = this.#segments[this.#segment];
    while (buffer && this.#position >= buffer.length) {
      this.#segment++;
      this.#position = 0;
      buffer = this.#segments[this.#segment];
    }
    if (!buffer) throw new RangeError('Record ended early.');
    return buffer.readUInt8(this.#position++);
  }

  u16(): number {
    return this.u8() | (this.u8() << 8);
  }

  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0;
  }

  /** XLUnicodeString (`lengthBytes` 2) or ShortXLUnicodeString (1), without formatting runs. */
  unicodeString(lengthBytes: 1 | 2): string {
    const count = lengthBytes === 1 ? this.u8() : this.u16();
    const flags = this.u8();
    return this.#chars(count, flags);
  }

  /** XLUnicodeRichExtendedString, as the shared string table stores them. */
  richString(): string {
    const count = this.u16();
    const flags = this.u8();
    const runs = flags & 0x08 ? this.u16() : 0;
    const extended = flags & 0x04 ? this.u32() : 0;
    const text = this.#chars(count, flags);
    this.skip(runs * 4 + extended);
    return text;
  }

  /** `count` characters, one byte each or, when bit 0 of the string's option byte (`flags`) is set, two. */
  #chars(count: number, flags: number): string {
    let wide = (flags & 1) === 1;
    let text = '';
    let remaining = count;
    while (remaining > 0) {
      let buffer = this.#segments[this.#segment];
      if (buffer && this.#position >= buffer.length) {
        // A string continued in the next segment: its option byte says how wide the rest of its characters are.
        this.#segment++;
        this.#position = 0;
        buffer = this.#segments[this.#segment];
        if (!buffer) break;
        wide = (buffer.readUInt8(this.#position++) & 1) === 1;
      }
      if (!buffer) throw new RangeError('Record ended early.');
      const available = Math.floor((buffer.length - this.#position) / (wide ? 2 : 1));
      const take = Math.min(remaining, available);
      const end = this.#position + take * (wide ? 2 : 1);
      text += buffer.toString(wide ? 'utf16le' : 'latin1', this.#position, end);
      this.#position = end;
      remaining -= take;
      if (take === 0 && available === 0 && this.#position < buffer.length) throw new RangeError('Misaligned string.');
    }
    return text;
  }
}
