/**
 * The text encodings a delimited file can be read in: every one the WHATWG `TextDecoder` decodes (by its
 * canonical name), so any choice the user makes is read by the same decoder in every host. No Node imports: the
 * renderer shows these through the contract.
 */

export const ENCODING_LABELS: Record<Encoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  'windows-1252': 'Windows-1252 (Western European, Latin-1)',
  'iso-8859-15': 'ISO-8859-15 (Western European with €)',
  macintosh: 'Mac Roman (old Mac, Western European)',
  'windows-1250': 'Windows-1250 (Central European)',
  'iso-8859-2': 'ISO-8859-2 (Central European)',
  'iso-8859-16': 'ISO-8859-16 (South-Eastern European)',
  'windows-1257': 'Windows-1257 (Baltic)',
  'iso-8859-13': 'ISO-8859-13 (Baltic)',
  'iso-8859-4': 'ISO-8859-4 (North European)',
  'iso-8859-10': 'ISO-8859-10 (Nordic)',
  'iso-8859-14': 'ISO-8859-14 (Celtic)',
  'iso-8859-3': 'ISO-8859-3 (South European)',
  'windows-1254': 'Windows-1254 (Turkish)',
  'windows-1258': 'Windows-1258 (Vietnamese)',
  'windows-1251': 'Windows-1251 (Cyrillic)',
  'koi8-r': 'KOI8-R (Russian)',
  'koi8-u': 'KOI8-U (Ukrainian)',
  'iso-8859-5': 'ISO-8859-5 (Cyrillic)',
  ibm866: 'IBM 866 (DOS Cyrillic)',
  'x-mac-cyrillic': 'Mac Cyrillic',
  'windows-1253': 'Windows-1253 (Greek)',
  'iso-8859-7': 'ISO-8859-7 (Greek)',
  'windows-1255': 'Windows-1255 (Hebrew)',
  'iso-8859-8': 'ISO-8859-8 (Hebrew, visual order)',
  'iso-8859-8-i': 'ISO-8859-8-I (Hebrew, logical order)',
  'windows-1256': 'Windows-1256 (Arabic)',
  'iso-8859-6': 'ISO-8859-6 (Arabic)',
  'windows-874': 'Windows-874 (Thai)',
  shift_jis: 'Shift_JIS (Japanese)',
  'euc-jp': 'EUC-JP (Japanese)',
  'iso-2022-jp': 'ISO-2022-JP (Japanese)',
  gb18030: 'GB18030 (Simplified Chinese)',
  gbk: 'GBK (Simplified Chinese, read as GB18030)',
  big5: 'Big5 (Traditional Chinese)',
  'euc-kr': 'EUC-KR (Korean)',
  'x-user-defined': 'x-user-defined (bytes kept as they are)',
};

/** The encodings in groups, as the Upload step's list shows them. */
export const ENCODING_GROUPS = [
  { label: 'Unicode', encodings: ['utf-8', 'utf-16le', 'utf-16be'] },
  {
    label: 'European (Latin script)',
    encodings: [
      'windows-1252',
      'iso-8859-15',
      'macintosh',
      'windows-1250',
      'iso-8859-2',
      'iso-8859-16',
      'windows-1257',
      'iso-8859-13',
      'iso-8859-4',
      'iso-8859-10',
      'iso-8859-14',
      'iso-8859-3',
      'windows-1254',
      'windows-1258',
    ],
  },
  { label: 'Cyrillic', encodings: ['windows-1251', 'koi8-r', 'koi8-u', 'iso-8859-5', 'ibm866', 'x-mac-cyrillic'] },
  {
    label: 'Greek, Hebrew, Arabic, Thai',
    encodings: [
      'windows-1253',
      'iso-8859-7',
      'windows-1255',
      'iso-8859-8',
      'iso-8859-8-i',
      'windows-1256',
      'iso-8859-6',
      'windows-874',
    ],
  },
  { label: 'East Asian', encodings: ['shift_jis', 'euc-jp', 'iso-2022-jp', 'gb18030', 'gbk', 'big5', 'euc-kr'] },
  { label: 'Other', encodings: ['x-user-defined'] },
] as const satisfies readonly { label: string; encodings: readonly string[] }[];

export type Encoding = (typeof ENCODING_GROUPS)[number]['encodings'][number];

/** Every encoding, in the groups' order (UTF-8 first). */
export const ENCODINGS = ENCODING_GROUPS.flatMap((group) => group.encodings) as readonly Encoding[] as readonly [
  Encoding,
  ...Encoding[],
];
