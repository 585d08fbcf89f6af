// The strict ISO date reader: every date a user types (--split-date, --fit-until, --from/--to, ...) and every
// date tsml writes is read here. In core so the one flag module (core/flags.ts) can use it; frame/dates.ts
// re-exports it beside the other time helpers.

import { UsageError } from "./errors.js";

const ISO =
  /^(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?)?$/;

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1-12) of a year, Gregorian. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Epoch ms of a UTC calendar time; setUTCFullYear keeps years 0-99 (Date.UTC would read them as 19xx). */
export function utc(
  year: number,
  month: number,
  day: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(h, mi, s, ms);
  return d.getTime();
}

/**
 * Reads an ISO date strictly: epoch ms, or the reason it is not a real date. Accepted: `YYYY-MM-DD`, `YYYY-MM`
 * (the 1st), and `YYYY-MM-DD[T| ]HH:MM[:SS[.fff]]` with an optional `Z` or `+HH:MM`/`-HH:MM` offset (UTC when
 * none). Nothing rolls over: month 13, day 0, 2019-02-29 and 24:00 are refused.
 */
export function checkIsoDate(text: string): number | string {
  const m = ISO.exec(text.trim());
  if (!m) return "not a date (use YYYY-MM-DD)";
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return `month ${m[2]} does not exist`;
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return `${m[1]}-${m[2]} has days 01 to ${days}, not ${m[3]}`;
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (hour > 23 || minute > 59 || second > 59)
    return `${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ""} is not a time of day`;
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, "0").slice(0, 3));
  let offset = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== "Z") {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(-2));
    if (oh > 23 || om > 59) return `${zone} is not a UTC offset`;
    offset = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return utc(year, month, day, hour, minute, second, millis) - offset;
}

/** checkIsoDate as epoch ms, or null when the text is not a real date (for dates read from files). */
export function parseIsoDate(text: string): number | null {
  const r = checkIsoDate(text);
  return typeof r === "number" ? r : null;
}

/**
 * The one parser for user-typed date flags: epoch ms, or a usage error (exit 2) naming the flag and the reason.
 * @example parseDateFlag("2016-01-04", "--split-date") // Date.UTC(2016, 0, 4)
 * @example parseDateFlag("2019-02-30", "--split-date") // UsageError: 2019-02 has days 01 to 28, not 30
 */
export function parseDateFlag(value: string, flag: string): number {
  const r = checkIsoDate(value);
  if (typeof r === "string")
    throw new UsageError(
      `${flag}: "${value}" is not a real date: ${r}`,
      "use YYYY-MM-DD (or YYYY-MM for the 1st), e.g. 2016-01-04",
    );
  return r;
}
