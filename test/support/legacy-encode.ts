/**
 * Text to bytes in a legacy encoding, for tests: Node encodes only UTF-8, so the table is made by decoding every
 * byte and byte pair with the WHATWG `TextDecoder` and turning it round. Characters the encoding cannot write throw.
 */
const tables = new Map<string, Map<string, number[]>>();

function table(encoding: string): Map<string, number[]> {
  let map = tables.get(encoding);
  if (map) return map;
  map = new Map();
  const decoder = new TextDecoder(encoding, { fatal: true });
  const add = (bytes: number[]) => {
    let text: string;
    try {
      text = decoder.decode(Uint8Array.from(bytes));
    } catch {
      return;
    }
    if (text.length > 0 && [...text].length === 1 && !map.has(text)) map.set(text, bytes);
  };
  for (let byte = 0; byte < 256; byte++) add([byte]);
  if (MULTI_BYTE.has(encoding)) {
    for (let lead = 0x81; lead <= 0xfe; lead++) for (let trail = 0x40; trail <= 0xfe; trail++) add([lead, trail]);
  }
  tables.set(encoding, map);
  return map;
}

const MULTI_BYTE = new Set(['shift_jis', 'euc-jp', 'gb18030', 'gbk', 'big5', 'euc-kr']);

export function encodeLegacy(text: string, encoding: string): Uint8Array {
  const map = table(encoding);
  const out: number[] = [];
  for (const char of text) {
    const bytes = map.get(char);
    if (!bytes) throw new Error(`${encoding} cannot write “${char}”`);
    out.push(...bytes);
  }
  return Uint8Array.from(out);
}
