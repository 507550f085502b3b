import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guessEncoding } from '../../../app/read/charset.ts';
import { detectEncoding } from '../../../app/read/sniff.ts';
import { FIXTURES } from '../../fixtures/encodings/make.ts';
import { encodeLegacy } from '../../support/legacy-encode.ts';
import { readBytes } from '../../support/read.ts';
import { tempDir } from '../../support/temp.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/encodings/${name}`, import.meta.url));

const WESTERN =
  'Name,City,Notes\nRené Müller,Montréal,Großhändler für Käse\nJosé Núñez,São Paulo,Ação rápida\nFrançois,Besançon,Élève très doué\n';
const CENTRAL =
  'Jméno,Město,Poznámka\nJiří Novák,Praha,Žluťoučký kůň úpěl ďábelské ódy\nŁukasz Wiśniewski,Łódź,Zażółć gęślą jaźń\n';
const RUSSIAN =
  'Имя,Город,Заметки\nИван Петров,Москва,Постоянный клиент с 2019 года\nМария Сидорова,Санкт-Петербург,Просит звонить после обеда\n';
const JAPANESE =
  '名前,会社,メモ\n山田太郎,株式会社テスト,よろしくお願いします\n鈴木花子,東京商事,来週のミーティングについて\n';
const SIMPLIFIED = '姓名,公司,备注\n张伟,北京科技有限公司,这是我们的重要客户\n李娜,上海贸易公司,下个月需要续约\n';
const TRADITIONAL = '姓名,公司,備註\n張偉,台北科技有限公司,這是我們的重要客戶\n李娜,高雄貿易公司,下個月需要續約\n';
const KOREAN =
  '이름,회사,메모\n김철수,서울전자 주식회사,중요한 고객입니다\n이영희,부산무역,다음 달에 계약을 갱신해야 합니다\n';

describe('guessing the encoding of a file that is not UTF-8', () => {
  it.each([
    ['windows-1252', WESTERN, 0.7],
    ['windows-1250', CENTRAL, 0.9],
    ['iso-8859-2', CENTRAL, 0.9],
    ['windows-1251', RUSSIAN, 0.9],
    ['koi8-r', RUSSIAN, 0.9],
    ['shift_jis', JAPANESE, 0.9],
    ['euc-jp', JAPANESE, 0.9],
    ['gb18030', SIMPLIFIED, 0.9],
    ['big5', TRADITIONAL, 0.9],
    ['euc-kr', KOREAN, 0.9],
  ])('%s', (encoding, text, sure) => {
    const guess = guessEncoding(encodeLegacy(text, encoding));
    expect(guess.encoding).toBe(encoding);
    expect(guess.confidence).toBeGreaterThanOrEqual(sure);
  });

  it.each([
    ['windows-1250', 'Név,Város\nKovács Péter,Győr\nSzabó Éva,Pécs\nTóth Ödön,Kőszeg, Fűzfő\n'],
    ['windows-1250', 'Ime,Grad\nČedomir Šimić,Đakovo\nŽeljka Ćosić,Split\n'],
    ['windows-1252', 'Nombre,Ciudad\nJosé Pérez,Málaga\nMaría Núñez,Cádiz\n¿Qué tal?,Logroño\n'],
    ['windows-1252', 'Navn,By\nSøren Ærø,Århus\nBjörk,Göteborg\n'],
  ])('guesses %s for a few short rows of other languages, and says what else is likely', (encoding, text) => {
    const guess = guessEncoding(encodeLegacy(text, encoding));
    expect(guess.encoding).toBe(encoding);
    expect(guess.alternatives).toContain(encoding === 'windows-1252' ? 'windows-1250' : 'windows-1252');
  });

  it('is unsure, and says what else is likely, when a short sample reads well in several', () => {
    const guess = guessEncoding(encodeLegacy('Name,City\nRené,Montréal\nIñés,Málaga\n', 'windows-1252'));
    expect(guess.encoding).toBe('windows-1252');
    expect(guess.confidence).toBeLessThan(0.9);
    expect(guess.alternatives.length).toBeGreaterThan(0);
  });

  it('keeps UTF-8 for a UTF-8 file with a stray byte, rather than misreading every accent', () => {
    const bytes = Buffer.concat([
      Buffer.from('Name,City\nZoë,Köln\nRené,Montréal\nAnaïs,Düsseldorf\n'),
      Buffer.of(0xe9, 0x0a),
    ]);
    expect(guessEncoding(bytes).encoding).toBe('utf-8');
  });

  it('keeps the fast path: a byte-order mark, UTF-16 and valid UTF-8 are certain without statistics', () => {
    expect(detectEncoding(Buffer.from('\uFEFFa,b\n'))).toEqual({ encoding: 'utf-8', confidence: 1, alternatives: [] });
    expect(detectEncoding(Buffer.from('a,b\nZoë,1\n'))).toMatchObject({ encoding: 'utf-8', confidence: 0.99 });
    expect(detectEncoding(Buffer.from('a,b\nx,1\n'))).toMatchObject({ encoding: 'utf-8', confidence: 1 });
    expect(detectEncoding(Buffer.from('a,b\nZoë,1\n', 'utf16le'))).toMatchObject({ encoding: 'utf-16le' });
  });
});

describe('legacy-encoded files are read as they were written', () => {
  it.each(Object.entries(FIXTURES))('%s', async (name, { encoding, text }) => {
    const { result, rows } = await readBytes(tempDir(), name, fixture(name));
    expect(result.encoding).toBe(encoding);
    expect(result.detected.encodingConfidence).toBeGreaterThanOrEqual(0.9);
    const lines = text.trimEnd().split('\r\n');
    const delimiter = result.delimiter;
    expect(result.columns.map((column) => column.name)).toEqual(lines[0]?.split(delimiter));
    expect(rows.map(([, ...cells]) => cells.join(delimiter))).toEqual(lines.slice(1));
    expect(result.notes).toEqual([]);
  });

  it('a Windows-1250 file read as UTF-8 by choice is flagged on Upload, its column names too', async () => {
    const name = 'contacts-windows-1250.csv';
    const { result } = await readBytes(tempDir(), name, fixture(name), { encoding: 'utf-8' });
    expect(result.detected.encoding).toBe('windows-1250');
    expect(result.notes.map((note) => note.kind)).toEqual(['undecodable-text', 'misdecoded-header']);
    expect(result.notes[1]?.message).toBe(
      '4 column names look wrongly decoded: A “ID ��tu”, B “N�zev”, C “M�sto” and 1 more. Names read wrongly do ' +
        'not match templates or the names you expect: try choosing another encoding.',
    );
  });

  it('a UTF-8 file read as Windows-1252 by choice is flagged on Upload, by row, the header apart', async () => {
    const text = 'Name,Straße\nGröße & Söhne,Hauptstraße 1\nAcme,Main St\nCafé Zoë,Köln\n';
    const { result } = await readBytes(tempDir(), 'de.csv', text, { encoding: 'windows-1252' });
    expect(result.detected).toMatchObject({ encoding: 'utf-8', encodingConfidence: 0.99 });
    expect(result.notes).toEqual([
      {
        kind: 'misdecoded-text',
        count: 2,
        rows: [2, 4],
        message:
          '2 rows have text that looks wrongly decoded: “Ã¶” is probably “ö” read in the wrong encoding. The file ' +
          'may use another encoding: try choosing one.',
      },
      {
        kind: 'misdecoded-header',
        count: 1,
        rows: [1],
        message:
          'The name of column B “StraÃŸe” looks wrongly decoded. Names read wrongly do not match templates or the ' +
          'names you expect: try choosing another encoding.',
      },
    ]);
  });
});
