// Date cells in the layouts real price files use, parsed to epoch milliseconds (UTC); NaN when unreadable.
// ISO dates and timestamps, YYYYMMDD, MM/DD/YYYY (Excel), YYYY/MM/DD, "Jan 1 2000", "1-Jan-2000",
// epoch seconds or milliseconds, and ROC (Minguo) dates such as "112/10/02" or " 89/01/04" (year + 1911).

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
/** ROC (Republic of China, Minguo) year 1 is 1912. */
const ROC_OFFSET = 1911;

/** Epoch ms of a calendar day, or NaN when the day does not exist (2021-02-30). */
export function utcDay(year: number, month: number, day: number): number {
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return Number.NaN;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))
    return Number.NaN;
  return daysFromCivil(year, month, day) * 86_400_000;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil): integer arithmetic
 * instead of Date.UTC, which cost a tenth of CSV ingest's time, and which also reads years 0-99 as 1900-1999.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const digit = (text: string, i: number) => text.charCodeAt(i) - 48;

/** Fast path for the most common layout, `YYYY-MM-DD` exactly (no regex, no allocation). */
function parseIsoDay(text: string): number {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Number.NaN;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = digit(text, i);
    if (d < 0 || d > 9) return Number.NaN;
    year = year * 10 + d;
  }
  const m1 = digit(text, 5);
  const m2 = digit(text, 6);
  const d1 = digit(text, 8);
  const d2 = digit(text, 9);
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return Number.NaN;
  return utcDay(year, m1 * 10 + m2, d1 * 10 + d2);
}

const ISO_TIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;
const SLASH_YMD = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/;
const MDY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const ROC = /^(\d{2,3})\/(\d{1,2})\/(\d{1,2})$/;
const MONTH_FIRST = /^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})$/;
const DAY_FIRST = /^(\d{1,2})[\s-]([A-Za-z]{3})[a-z]*[\s,-]+(\d{4})$/;
const DIGITS = /^\d+$/;

/** The non-ISO layouts, tried in order; each reads its match into epoch ms. */
const LAYOUTS: readonly [RegExp, (m: RegExpExecArray) => number][] = [
  [SLASH_YMD, (m) => utcDay(Number(m[1]), Number(m[2]), Number(m[3]))],
  [
    MDY,
    (m) =>
      utcDay(Number(m[3]), Number(m[1]), Number(m[2])) +
      (m[4] === undefined ? 0 : ((Number(m[4]) * 60 + Number(m[5])) * 60 + Number(m[6] ?? 0)) * 1000),
  ],
  [ROC, (m) => utcDay(Number(m[1]) + ROC_OFFSET, Number(m[2]), Number(m[3]))],
  [MONTH_FIRST, (m) => monthNameDay(m[3], m[1], m[2])],
  [DAY_FIRST, (m) => monthNameDay(m[3], m[2], m[1])],
];

/**
 * Parses a date or timestamp cell to epoch ms (UTC). Returns NaN for text it cannot read.
 * @example
 * parseDateCell("2000-01-03")  // Date.UTC(2000, 0, 3)
 * parseDateCell(" 89/01/04")   // Date.UTC(2000, 0, 4)   (ROC year 89)
 * parseDateCell("Jan 1 2000")  // Date.UTC(2000, 0, 1)
 */
export function parseDateCell(raw: string): number {
  const fast = parseIsoDay(raw);
  if (!Number.isNaN(fast)) return fast;
  const text = raw.trim();
  if (text.length === 0) return Number.NaN;
  const m = ISO_TIME.exec(text);
  if (m) {
    const day = utcDay(Number(m[1]), Number(m[2]), Number(m[3]));
    if (m[4] === undefined) return day;
    const hours = Number(m[4]);
    const minutes = Number(m[5]);
    const seconds = m[6] === undefined ? 0 : Number(m[6]);
    if (hours > 23 || minutes > 59 || seconds > 60) return Number.NaN;
    const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
    return day + ((hours * 60 + minutes) * 60 + seconds) * 1000 + fraction - zoneOffsetMs(m[8]);
  }
  if (DIGITS.test(text)) return parseDigitsDate(text);
  for (const [pattern, read] of LAYOUTS) {
    const match = pattern.exec(text);
    if (match) return read(match);
  }
  return Number.NaN;
}

function monthNameDay(year: string, monthName: string, day: string): number {
  const month = MONTHS[monthName.toLowerCase()];
  return month === undefined ? Number.NaN : utcDay(Number(year), month, Number(day));
}

/** All digits: YYYYMMDD (8), epoch seconds (9-10) or epoch milliseconds (12-13). */
function parseDigitsDate(text: string): number {
  if (text.length === 8) {
    return utcDay(Number(text.slice(0, 4)), Number(text.slice(4, 6)), Number(text.slice(6, 8)));
  }
  if (text.length === 9 || text.length === 10) return Number(text) * 1000;
  if (text.length === 12 || text.length === 13) return Number(text);
  return Number.NaN;
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || /^(z|utc)$/i.test(zone)) return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}
