// Time helpers: tsml keeps time as epoch milliseconds (UTC); dates are midnight UTC. Every date a user types
// (--split-date, --fit-until, --from/--to, ...) goes through parseDateFlag, the one strict parser.

import { UsageError } from "../core/errors.js";

export const MS_PER_DAY = 86_400_000;

/** "2020-01-31" for an epoch-ms value. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** "2020-01-31" at midnight UTC, else "2020-01-31T14:07:03Z" (milliseconds only when not 0): how artifacts store a date. */
export function isoDateOrTime(ms: number): string {
  if (ms % MS_PER_DAY === 0) return isoDate(ms);
  const text = new Date(ms).toISOString();
  return ms % 1000 === 0 ? `${text.slice(0, 19)}Z` : text;
}

export { checkIsoDate, daysInMonth, parseDateFlag, parseIsoDate, utc } from "../core/iso-date.js";

/**
 * Requires a split date to fall inside the data: at least one row before it (unless `needBefore` is false) and
 * one on or after it. Otherwise a usage error naming the flag and the data's first and last dates (`what` says
 * whose data, e.g. the ticker).
 * @example requireSplitInside(frame.time, parseDateFlag(d, "--split-date"), "--split-date", "SPX")
 */
export function requireSplitInside(
  time: ArrayLike<number>,
  split: number,
  flag: string,
  what: string,
  needBefore = true,
): void {
  if (time.length === 0) return;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < time.length; i++) {
    if (time[i] < first) first = time[i];
    if (time[i] > last) last = time[i];
  }
  const range = `${what} runs ${isoDateOrTime(first)} to ${isoDateOrTime(last)}`;
  const hint = `choose a date after ${isoDateOrTime(first)} and on or before ${isoDateOrTime(last)}`;
  if (needBefore && split <= first)
    throw new UsageError(
      `${flag} ${isoDateOrTime(split)} is outside the data: no rows before it (${range})`,
      hint,
    );
  if (split > last)
    throw new UsageError(
      `${flag} ${isoDateOrTime(split)} is outside the data: no rows on or after it (${range})`,
      hint,
    );
}

/** True when every value is a whole UTC day (so Parquet can store a DATE). */
export function allMidnight(time: Float64Array): boolean {
  for (let i = 0; i < time.length; i++) if (time[i] % MS_PER_DAY !== 0) return false;
  return true;
}
