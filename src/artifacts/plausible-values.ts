// A read-side guard against corrupted tables: magnitudes no price, volume, feature or prediction reaches
// (a Parquet page with flipped bytes can still decode, into numbers such as 2e183) and dates outside years
// 1..9999 stop the read on exit 3, naming the column and row, instead of flowing into training.

import { DataError } from "../core/errors.js";
import type { Frame } from "../frame/frame.js";

/**
 * No real series comes near it: prices stay far below 1e12, share or coin volumes below 1e16, and cumulative
 * volume indicators (OBV over a century of a meme coin's volume) below 1e19; a random 64-bit pattern read as
 * a double lies beyond it about half the time, so corruption is caught where it matters most.
 */
export const IMPLAUSIBLE_MAGNITUDE = 1e20;
/** 0001-01-01 and 9999-12-31 (the years an ISO date can write); Date.UTC would read year 1 as 1901. */
const FIRST_TIME = -62_135_596_800_000;
const LAST_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Throws a DataError naming the first value beyond `IMPLAUSIBLE_MAGNITUDE` (infinities and NaN are left to the
 * stages, which treat NaN as missing) or the first time outside years 1..9999.
 * @example checkPlausibleValues(frame, "features/SPX.parquet")
 */
export function checkPlausibleValues(frame: Frame, label: string): void {
  const time = frame.time;
  for (let i = 0; i < time.length; i++) {
    if (time[i] < FIRST_TIME || time[i] > LAST_TIME) {
      throw new DataError(
        `${label}: row ${i + 1} (${frame.ticker(i)}): the date is outside years 1 to 9999 (${time[i]} ms)`,
        "the file is probably corrupted: re-create it by running the stage that wrote it again",
      );
    }
  }
  for (const name of frame.columnNames) {
    const values = frame.get(name);
    // A branch-free pass first (about a nanosecond a value, NaN ignored); the row is looked for only on a hit.
    let largest = 0;
    for (let i = 0; i < values.length; i++) {
      const magnitude = Math.abs(values[i]);
      if (magnitude > largest) largest = magnitude;
    }
    if (largest < IMPLAUSIBLE_MAGNITUDE) continue;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!(Math.abs(v) >= IMPLAUSIBLE_MAGNITUDE) || !Number.isFinite(v)) continue;
      throw new DataError(
        `${label}: column "${name}", row ${i + 1} (${frame.ticker(i)} ${new Date(time[i]).toISOString().slice(0, 10)}): ${v} is beyond any plausible value (|x| >= 1e20)`,
        "the file is probably corrupted: re-create it by running the stage that wrote it again",
      );
    }
  }
}
