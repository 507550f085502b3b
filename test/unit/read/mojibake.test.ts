import { describe, expect, it } from 'vitest';
import { buildRow } from '../../../app/messages/builder.ts';
import { describeMisdecoding, findMisdecoding, textLooksMisdecoded } from '../../../app/read/mojibake.ts';
import { encodeLegacy } from '../../support/legacy-encode.ts';
import { accountMessage, mappingOf } from '../../support/mapping.ts';

/** Text written in one encoding and read in another, as a user who chose the wrong one would see it. */
const misread = (text: string, written: string, read: string) =>
  new TextDecoder(read).decode(written === 'utf-8' ? Buffer.from(text) : encodeLegacy(text, written));

describe('text decoded with the wrong encoding', () => {
  it.each([
    ['UTF-8 read as Windows-1252', misread('Größe & Söhne', 'utf-8', 'windows-1252'), 'ö'],
    ['a curly apostrophe', misread('don’t', 'utf-8', 'windows-1252'), '’'],
    ['UTF-8 read as Windows-1250', misread('Kraków', 'utf-8', 'windows-1250'), 'ó'],
    ['Cyrillic UTF-8 read as Windows-1251', misread('Привет', 'utf-8', 'windows-1251'), 'Пр'],
    ['Japanese UTF-8 read as Windows-1252', misread('日本', 'utf-8', 'windows-1252'), '日'],
    ['a non-breaking space', misread('10\u00A0000', 'utf-8', 'windows-1252'), '\u00A0'],
  ])('finds mojibake: %s', (_, text, meant) => {
    expect(findMisdecoding(text)).toMatchObject({ kind: 'mojibake', meant });
  });

  it('finds characters the encoding could not read, and control characters', () => {
    expect(findMisdecoding(misread('Umsatz (€)', 'windows-1252', 'utf-8'))).toEqual({
      kind: 'replacement',
      found: '�',
    });
    expect(findMisdecoding(misread('Gruß, Zoë', 'windows-1252', 'utf-8'))).toMatchObject({ kind: 'replacement' });
    // Shift_JIS punctuation read as Windows-1252 leaves C1 control characters.
    expect(findMisdecoding(misread('東京、大阪', 'shift_jis', 'windows-1252'))).toMatchObject({ kind: 'control' });
  });

  it.each([
    'Acme Inc.',
    'Größe & Söhne',
    'Élève, déjà vu – «très» “bien” … 10 €',
    'Zażółć gęślą jaźń, ŁÓDŹ, ZIĘŚ',
    'Příliš žluťoučký kůň úpěl ďábelské ódy',
    'Привет, Рівне, Ёлка, РЁВ',
    'Ελληνικά',
    '日本語のテキスト、東京',
    '한국어 텍스트',
    'São Paulo, Açaí, NÃO, MÃE',
    'Øresund, Åland, Ærø',
    'emoji 😀🎉',
  ])('leaves real text alone: %s', (text) => {
    expect(findMisdecoding(text)).toBeNull();
    expect(textLooksMisdecoded(text)).toBe(false);
  });

  it('says what was found in plain words', () => {
    const found = findMisdecoding('CafÃ©');
    expect(found).not.toBeNull();
    if (found)
      expect(describeMisdecoding(found)).toBe('looks wrongly decoded: “Ã©” is probably “é” read in the wrong encoding');
  });
});

describe('the Preview warns on each cell read in the wrong encoding', () => {
  const mapping = mappingOf(
    accountMessage('ID', [
      { column: 'Name', key: 'name', type: 'text' },
      { column: 'City', key: 'city', type: 'text' },
    ]),
  );
  const context = { columns: ['ID', 'Name', 'City'], runTimestamp: '2026-11-23T10:00:00.000Z' };

  it('names the row, the column and what the text probably was, and still sends the row', () => {
    const name = misread('Größe & Söhne', 'utf-8', 'windows-1252');
    const built = buildRow(mapping, context, [3, 'A1', name, 'Berlin']);
    expect(built.messages).toHaveLength(1);
    expect(built.problems).toEqual([
      {
        rowNumber: 3,
        column: 'Name',
        value: name,
        code: 'misdecoded-text',
        severity: 'warning',
        params: { kind: 'mojibake', found: 'Ã¶', meant: 'ö' },
        message:
          'Row 3, column “Name”: “GrÃ¶ÃŸe & SÃ¶hne” looks wrongly decoded: “Ã¶” is probably “ö” read in the wrong ' +
          'encoding; the file may be in another encoding: choose it in Upload.',
      },
    ]);
  });

  it('warns on � too, in an ID as in a trait, and not on clean text', () => {
    const built = buildRow(mapping, context, [4, 'M\uFFFDller-1', 'Gr\uFFFD\uFFFDe', 'München']);
    expect(built.problems.map((problem) => [problem.column, problem.code])).toEqual([
      ['ID', 'misdecoded-text'],
      ['Name', 'misdecoded-text'],
    ]);
  });
});
