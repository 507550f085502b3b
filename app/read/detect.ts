import Papa from 'papaparse';

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export const DELIMITER_LABELS: Record<Delimiter, string> = {
  ',': 'Comma',
  ';': 'Semicolon',
  '\t': 'Tab',
  '|': 'Pipe',
};

export function isDelimiter(value: string): value is Delimiter {
  return (DELIMITERS as readonly string[]).includes(value);
}

/**
 * The delimiter that splits the sample into the most columns, most consistently: each candidate parses the first
 * rows, and scores by how many rows share the commonest column count (above one). Ties go to the file's extension
 * (tab for .tsv), then to the comma.
 */
export function detectDelimiter(
  sample: string,
  preferred: Delimiter = ',',
  newline: '\n' | '\r\n' | '\r' = '\n',
): Delimiter {
  let best: { delimiter: Delimiter; score: number } = { delimiter: preferred, score: 0 };
  for (const delimiter of [preferred, ...DELIMITERS.filter((d) => d !== preferred)]) {
    const rows = Papa.parse<string[]>(sample, { delimiter, preview: 60, newline }).data;
    const complete = rows.length > 1 ? rows.slice(0, -1) : rows; // The sample's last row may be cut short.
    const counts = new Map<number, number>();
    for (const row of complete) if (row.length > 1) counts.set(row.length, (counts.get(row.length) ?? 0) + 1);
    let score = 0;
    for (const [width, rowsWithWidth] of counts) score = Math.max(score, rowsWithWidth * Math.log2(width + 1));
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/** Number of cells up to and including the last one that is not blank. */
export function filledWidth(row: readonly string[]): number {
  for (let i = row.length - 1; i >= 0; i--) if ((row[i] ?? '').trim() !== '') return i + 1;
  return 0;
}

/**
 * The index of the header row among the first rows: the first row that is about as wide as the data below it.
 * Title rows ("Accounts export — November") and blank rows above the header are narrower, so they are skipped.
 */
export function detectHeaderRow(rows: readonly (readonly string[])[]): number {
  const widths = rows.map(filledWidth);
  const counts = new Map<number, number>();
  for (const width of widths) if (width > 0) counts.set(width, (counts.get(width) ?? 0) + 1);
  let typical = 0;
  let typicalCount = 0;
  for (const [width, count] of counts) {
    if (count > typicalCount || (count === typicalCount && width > typical)) [typical, typicalCount] = [width, count];
  }
  const limit = Math.min(rows.length, 25);
  for (let i = 0; i < limit; i++) {
    const row = rows[i] ?? [];
    const width = widths[i] ?? 0;
    if (width === 0) continue;
    const filled = row.slice(0, width).filter((cell) => cell.trim() !== '').length;
    if (width >= typical * 0.75 && filled >= Math.max(1, Math.ceil(width * 0.5))) return i;
  }
  return Math.max(
    0,
    widths.findIndex((width) => width > 0),
  );
}

/** `A`, `B`, … `Z`, `AA`: the spreadsheet letter of a 0-based column index. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

export interface Column {
  /** A unique, visible name: the header text, or `Column F` for a blank one, or `Email (2)` for a repeat. */
  name: string;
  /** The header cell exactly as it was in the file. */
  original: string;
}

/** Names every column uniquely and visibly while keeping the original header text. */
export function nameColumns(header: readonly string[], width: number): Column[] {
  const used = new Set<string>();
  const columns: Column[] = [];
  for (let i = 0; i < width; i++) {
    const original = header[i] ?? '';
    const base = original.trim() || `Column ${columnLetter(i)}`;
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base} (${n})`;
    used.add(name.toLowerCase());
    columns.push({ name, original });
  }
  return columns;
}
