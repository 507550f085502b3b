import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { BoundedReader, ENGINEER_WORDS, HEAP_LIMIT_MB, type Outcome } from './bounded.ts';

/**
 * Fuzzing the readers: random bytes, valid files cut short anywhere, and valid files with bytes (or, inside a
 * workbook's zip, XML) changed at random. Every read must end with rows or a ReadError in plain words — never
 * another exception, never a hang, never more than the heap cap of `bounded.ts` — within a time budget. Runs are
 * few, so the suite stays fast on a busy machine; fast-check prints the seed of any failure to replay it.
 */

/** What one fuzzed read may take. The process is given longer, so a slow read is measured, not cut off. */
const READ_MS = 2_000;
const DEADLINE_MS = 10_000;
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

const reader = new BoundedReader();
afterAll(() => reader.close());

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url)));
const FORMATS = ['xlsx', 'ods', 'xls', 'csv'] as const;
type Format = (typeof FORMATS)[number];
const FIXTURES: Record<Format, Uint8Array> = {
  xlsx: fixture('accounts-book.xlsx'),
  ods: fixture('accounts-book.ods'),
  xls: fixture('accounts-book.xls'),
  csv: fixture('accounts.csv'),
};
const MAGIC: Record<Format, number[]> = {
  xlsx: [0x50, 0x4b, 0x03, 0x04],
  ods: [0x50, 0x4b, 0x03, 0x04],
  xls: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
  csv: [],
};
const READ_ERROR_CODES = [
  'EMPTY',
  'NO_DATA_ROWS',
  'NOT_A_SPREADSHEET',
  'PASSWORD_PROTECTED',
  'UNSUPPORTED_FORMAT',
  'UNREADABLE',
];

/** Reads the bytes and checks how the read ended. */
async function check(format: Format, bytes: Uint8Array): Promise<Outcome> {
  const outcome = await reader.read(`fuzzed.${format}`, bytes, DEADLINE_MS);
  const detail = outcome.kind === 'crashed' ? `: ${outcome.error}` : '';
  expect(outcome.kind, `the read ended as ${outcome.kind}${detail}`).toMatch(/^(rows|refused)$/);
  expect(outcome.ms, 'the read took too long').toBeLessThan(READ_MS);
  if (outcome.kind === 'refused') {
    expect(READ_ERROR_CODES).toContain(outcome.code);
    // It names the file, or the sheet whose content is at fault.
    expect(outcome.message).toMatch(/“fuzzed\.|^The sheet “/);
    expect(outcome.message).not.toMatch(ENGINEER_WORDS);
    expect(outcome.message).not.toContain('error in the app');
  }
  return outcome;
}

/** Offsets where a file's structure changes: zip headers and directories, Office container sectors, line ends. */
function structuralOffsets(bytes: Uint8Array): number[] {
  const offsets = new Set([0, 1, 4, 8, 30, 512, bytes.length - 22, bytes.length - 1]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 4 <= bytes.length; at++) {
    const word = view.getUint32(at, true);
    if (word === 0x04034b50 || word === 0x02014b50 || word === 0x06054b50) {
      for (const delta of [0, 2, 4, 26, 30, 46]) offsets.add(at + delta);
    }
    if (bytes[at] === 0x0a) offsets.add(at + 1);
  }
  for (let at = 512; at < bytes.length; at += 512) offsets.add(at);
  return [...offsets].filter((at) => at >= 0 && at < bytes.length).sort((a, b) => a - b);
}

const byteChanges = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 });

function mutate(bytes: Uint8Array, changes: [number, number][]): Uint8Array {
  const copy = Uint8Array.from(bytes);
  for (const [at, value] of changes) copy[at % copy.length] = value;
  return copy;
}

/** Pieces of markup and values that reach the readers' edge cases when dropped into a workbook's XML. */
const XML_PIECES = [
  '<',
  '>',
  '&',
  '&amp;',
  '&#0;',
  '&#x110000;',
  '"',
  '/>',
  '</row>',
  '<row r="1048577">',
  '<c r="XFE1"><v>1</v></c>',
  '<c r="A1" t="s"><v>99999</v></c>',
  '<![CDATA[',
  ']]>',
  '<!--',
  '<!DOCTYPE x [<!ENTITY a "b">]>',
  ' table:number-columns-repeated="16384"',
  ' table:number-rows-repeated="1048576"',
  '<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="9999"/>',
  '<text:s text:c="99999999"/>',
  '\u0000',
  '\uFFFD',
  '9'.repeat(30),
];

const xmlEdits = fc.array(
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...XML_PIECES), fc.string({ maxLength: 6 })), fc.nat({ max: 40 })),
  { minLength: 1, maxLength: 6 },
);

/** A workbook with one of its XML parts edited: each edit deletes a few characters at a place and inserts a piece. */
function editXml(bytes: Uint8Array, partIndex: number, edits: [number, string, number][]): Uint8Array {
  const parts = unzipSync(bytes);
  const names = Object.keys(parts).filter((name) => name.endsWith('.xml') || name.endsWith('.rels'));
  const name = names[partIndex % names.length] ?? '';
  let xml = strFromU8(parts[name] ?? new Uint8Array());
  for (const [at, piece, deleted] of edits) {
    const place = at % (xml.length + 1);
    xml = xml.slice(0, place) + piece + xml.slice(place + deleted);
  }
  parts[name] = strToU8(xml);
  return zipSync(parts);
}

describe(`fuzzed files end with rows or a plain ReadError, within ${READ_MS} ms and ${HEAP_LIMIT_MB} MB`, () => {
  it.each(FORMATS)('random bytes named .%s (after its signature)', { timeout: 60_000 }, async (format) => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (random) => {
        await check(format, Uint8Array.from([...MAGIC[format], ...random]));
      }),
      { numRuns: RUNS },
    );
  });

  it.each(FORMATS)(
    'the .%s fixture cut short at structural and random offsets',
    { timeout: 60_000 },
    async (format) => {
      const bytes = FIXTURES[format];
      const cut = fc.oneof(fc.constantFrom(...structuralOffsets(bytes)), fc.integer({ min: 0, max: bytes.length - 1 }));
      await fc.assert(
        fc.asyncProperty(cut, async (at) => {
          await check(format, bytes.subarray(0, at));
        }),
        { numRuns: RUNS },
      );
    },
  );

  it.each(FORMATS)('the .%s fixture with bytes changed', { timeout: 60_000 }, async (format) => {
    await fc.assert(
      fc.asyncProperty(byteChanges, async (changes) => {
        await check(format, mutate(FIXTURES[format], changes));
      }),
      // Found here: an .xls whose workbook stream has no content crashed the reader.
      { numRuns: RUNS, examples: format === 'xls' ? [[[[1043999483, 128]]]] : [] },
    );
  });

  it.each(['xlsx', 'ods'] as const)('the .%s fixture with its XML edited', { timeout: 60_000 }, async (format) => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), xmlEdits, async (part, edits) => {
        await check(format, editXml(FIXTURES[format], part, edits));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('the .csv fixture cut short at every offset', { timeout: 60_000 }, async () => {
    const bytes = FIXTURES.csv;
    for (let at = 0; at <= bytes.length; at++) await check('csv', bytes.subarray(0, at));
  });

  it('still reads the fixtures themselves', { timeout: 60_000 }, async () => {
    for (const format of FORMATS) {
      const outcome = await check(format, FIXTURES[format]);
      expect(outcome.kind === 'rows' && outcome.rows).toBeGreaterThan(1);
    }
  });
});
