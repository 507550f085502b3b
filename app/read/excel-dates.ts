/** Built-in Excel number formats that show dates or times (ECMA-376 §18.8.30, plus the CJK date formats). */
const DATE_FORMAT_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56,
  57, 58,
]);

/**
 * Whether a number format shows a date or a time: a built-in date format, or a custom code with day, month,
 * year, hour or second parts outside quoted text, escapes and [colour] or [$-locale] brackets. Elapsed times
 * (`[h]:mm`) count as times.
 */
export function isDateFormat(id: number, code: string | undefined): boolean {
  if (DATE_FORMAT_IDS.has(id)) return true;
  if (!code) return false;
  const stripped = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?:[hms]+)\]/gi, 'h')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/_.|\*./g, '');
  const section = stripped.split(';')[0] ?? '';
  if (/^general$/i.test(section.trim())) return false;
  return /[dmyhs]/i.test(section) && !/[0#?]/.test(section.replace(/\.0+/g, ''));
}

const DAY_MS = 86_400_000;
/** 1899-12-30: day 0 of the 1900 date system once Excel's phantom 29 February 1900 is accounted for. */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/**
 * An Excel serial date as ISO 8601: `2024-03-04` for a whole day, `2024-03-04T09:30:00` with a time of day
 * (no time zone: a spreadsheet's times have none). Serials 1–59 in the 1900 system sit before Excel's
 * non-existent 29 February 1900, which is shown as 1900-03-01's day before. Returns null for values no date has.
 */
export function excelSerialToIso(serial: number, date1904: boolean): string | null {
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_465) return null;
  let days = serial;
  if (!date1904 && serial < 61) days += 1; // Before the phantom leap day, days are one off.
  const ms = Math.round(((date1904 ? EPOCH_1904 : EPOCH_1900) + days * DAY_MS) / 1000) * 1000;
  const iso = new Date(ms).toISOString();
  const wholeDay = ms % DAY_MS === 0;
  if (serial < 1 && !date1904) return iso.slice(11, 19); // A time without a date.
  return wholeDay ? iso.slice(0, 10) : iso.slice(0, 19);
}
