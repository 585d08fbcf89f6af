// Time helpers: tsml keeps time as epoch milliseconds (UTC); dates are midnight UTC.

import { UsageError } from "../core/errors.js";

export const MS_PER_DAY = 86_400_000;

/** "2020-01-31" for an epoch-ms value. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Parses a user-supplied date flag (YYYY-MM-DD or YYYY-MM) to epoch ms, or throws a usage error. */
export function parseDateFlag(value: string, flag: string): number {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value.trim());
  if (!m) throw new UsageError(`${flag}: "${value}" is not a date (use YYYY-MM-DD)`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, m[3] ? Number(m[3]) : 1);
  if (Number.isNaN(ms)) throw new UsageError(`${flag}: "${value}" is not a date (use YYYY-MM-DD)`);
  return ms;
}

/** True when every value is a whole UTC day (so Parquet can store a DATE). */
export function allMidnight(time: Float64Array): boolean {
  for (let i = 0; i < time.length; i++) if (time[i] % MS_PER_DAY !== 0) return false;
  return true;
}
