import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asRecords, readBytes } from '../../support/read.ts';
import { tempDir } from '../../support/temp.ts';

// The npm package keeps the CRLF files byte for byte (the copy in ../shared has lost their carriage returns).
const spectrum = dirname(createRequire(import.meta.url).resolve('csv-spectrum/package.json'));
// location_coordinates is inconsistent upstream (its JSON is not a list of rows and holds another phone number);
// it is checked on its own below.
const cases = readdirSync(join(spectrum, 'csvs'))
  .map((file) => file.replace(/\.csv$/, ''))
  .filter((name) => name !== 'location_coordinates');

describe('the csv-spectrum acid test', () => {
  it('has its cases', () => expect(cases.length).toBeGreaterThanOrEqual(11));

  it.each(cases)('%s', async (name) => {
    const dir = tempDir();
    const { result, rows } = await readBytes(dir, `${name}.csv`, readFileSync(join(spectrum, 'csvs', `${name}.csv`)));
    const expected = JSON.parse(readFileSync(join(spectrum, 'json', `${name}.json`), 'utf8')) as unknown;
    expect(asRecords(result, rows)).toEqual(expected);
    expect(result.notes).toEqual([]);
  });
});

describe('a quote inside an unquoted cell (csv-spectrum location_coordinates)', () => {
  it('is kept as a literal character', async () => {
    const name = 'location_coordinates.csv';
    const { rows } = await readBytes(tempDir(), name, readFileSync(join(spectrum, 'csvs', name)));
    expect(rows).toEqual([[2, '2095257564', '37\uFFFD36\'37.8"N 121\uFFFD2\'17.9"W', 'Modesto', 'Stanislaus']]);
  });
});
