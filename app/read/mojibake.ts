/**
 * Text that was decoded with the wrong encoding: the replacement character `�` (bytes the chosen encoding could
 * not read), C1 control characters (legacy bytes read as Latin-1), and "mojibake" — UTF-8 read as a Windows code
 * page, where each accented letter becomes two or three characters (`Ã©` for `é`, `â€™` for `’`, `Ð¿` for `п`).
 * Pure and cheap: it runs on every cell of the Preview's check, so text is first scanned once, character by character,
 * against a table of the characters a misdecoding needs; only text that has them is looked at closer.
 */
export interface Misdecoding {
  kind: 'replacement' | 'control' | 'mojibake';
  /** The characters that gave it away, as they are in the text. */
  found: string;
  /** What they most likely were (mojibake only). */
  meant?: string;
}

const C1_CONTROL = /[\u0080-\u009F]/;

/** The code pages UTF-8 is most often misread in; Cyrillic needs two sequences in a row to be sure. */
const CODE_PAGES: readonly { encoding: string; run: number }[] = [
  { encoding: 'windows-1252', run: 1 },
  { encoding: 'windows-1250', run: 1 },
  { encoding: 'windows-1251', run: 2 },
];

let tables: Map<string, number>[] | null = null;
/** Per UTF-16 code unit: SUSPECT (�, a C1 control), LEAD and CONTINUATION (of a UTF-8 sequence in a code page). */
let kinds: Uint8Array | null = null;
const SUSPECT = 1;
const LEAD = 2;
const CONTINUATION = 4;

/** Each code page's characters for the bytes 0x80–0xFF, turned round: character → byte. */
function codePageTables(): Map<string, number>[] {
  if (tables) return tables;
  tables = CODE_PAGES.map(({ encoding }) => {
    const decoder = new TextDecoder(encoding);
    const map = new Map<string, number>();
    for (let byte = 0x80; byte <= 0xff; byte++) {
      const char = decoder.decode(Uint8Array.of(byte));
      if (char !== '\uFFFD' && !map.has(char)) map.set(char, byte);
    }
    return map;
  });
  // What any misdecoding needs somewhere: �, a C1 control, or a lead character right before a continuation one.
  kinds = new Uint8Array(0x10000);
  kinds[0xfffd] = SUSPECT;
  for (let code = 0x80; code <= 0x9f; code++) kinds[code] = SUSPECT;
  for (const map of tables) {
    for (const [char, byte] of map) {
      const code = char.charCodeAt(0);
      if (byte >= 0xc2 && byte <= 0xf4) kinds[code] = (kinds[code] ?? 0) | LEAD;
      else if (byte >= 0x80 && byte <= 0xbf) kinds[code] = (kinds[code] ?? 0) | CONTINUATION;
    }
  }
  return tables;
}

/**
 * Whether `text` has what any misdecoding needs: �, a C1 control, or a lead character right before a continuation
 * one. One pass over its characters; ASCII ones (most of any file) cost a comparison each.
 */
function suspicious(text: string, table: Uint8Array): boolean {
  let previous = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code < 0x80) {
      previous = 0;
      continue;
    }
    const kind = table[code] as number;
    if (kind & SUSPECT || (previous & LEAD && kind & CONTINUATION)) return true;
    previous = kind;
  }
  return false;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** What in `text` shows it was decoded with the wrong encoding, or null when nothing does. */
export function findMisdecoding(text: string): Misdecoding | null {
  // Most text is ASCII, and most of the rest has nothing suspect: one pass tells.
  const pages = codePageTables();
  if (!kinds || !suspicious(text, kinds)) return null;
  if (text.includes('\uFFFD')) return { kind: 'replacement', found: '\uFFFD' };
  const control = C1_CONTROL.exec(text);
  if (control) return { kind: 'control', found: control[0] };
  for (let page = 0; page < pages.length; page++) {
    const table = pages[page];
    const run = CODE_PAGES[page]?.run ?? 1;
    if (!table) continue;
    for (let at = 0; at < text.length; at++) {
      const first = sequenceAt(text, at, table);
      if (!first) continue;
      let found = first.found;
      let meant = first.meant;
      let next = at + first.found.length;
      let ok = true;
      for (let more = 1; more < run; more++) {
        const following = sequenceAt(text, next, table);
        if (!following) {
          ok = false;
          break;
        }
        found += following.found;
        meant += following.meant;
        next += following.found.length;
      }
      if (ok) return { kind: 'mojibake', found, meant };
    }
  }
  return null;
}

/** Whether `text` looks decoded with the wrong encoding (see `findMisdecoding`). */
export function textLooksMisdecoded(text: string): boolean {
  return findMisdecoding(text) !== null;
}

/** How a misdecoding is told to the user, completing "… “value” …". */
export function describeMisdecoding(found: Misdecoding): string {
  switch (found.kind) {
    case 'replacement':
      return 'has characters the chosen encoding could not read (shown as �)';
    case 'control':
      return 'has invisible control characters, typical of text read in the wrong encoding';
    case 'mojibake':
      return `looks wrongly decoded: “${found.found}” is probably “${found.meant ?? ''}” read in the wrong encoding`;
  }
}

/** A UTF-8 sequence written in `table`'s code page starting at `at`, when its character is one text uses. */
function sequenceAt(text: string, at: number, table: Map<string, number>): { found: string; meant: string } | null {
  const lead = table.get(text[at] ?? '');
  if (lead === undefined || lead < 0xc2 || lead > 0xf4) return null;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  const bytes = new Uint8Array(length);
  bytes[0] = lead;
  for (let i = 1; i < length; i++) {
    const byte = table.get(text[at + i] ?? '');
    if (byte === undefined || byte < 0x80 || byte > 0xbf) return null;
    bytes[i] = byte;
  }
  let meant: string;
  try {
    meant = utf8.decode(bytes);
  } catch {
    return null;
  }
  return plausible(meant) ? { found: text.slice(at, at + length), meant } : null;
}

/**
 * Whether a character is one real text uses: two-byte ones only from the blocks of European, Hebrew and Arabic
 * letters and Latin-1's symbols (so that `ĘŚ` in Polish capitals, which would read as the IPA letter `ʌ`, stays
 * unflagged); longer ones when they are letters, digits, punctuation or symbols.
 */
function plausible(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x800) {
    return (
      (code >= 0xa0 && code <= 0x17f) ||
      (code >= 0x370 && code <= 0x4ff) ||
      (code >= 0x5d0 && code <= 0x5ea) ||
      (code >= 0x600 && code <= 0x6ff)
    );
  }
  return /[\p{L}\p{N}\p{P}\p{S}]/u.test(char);
}
