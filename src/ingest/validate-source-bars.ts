// The CSV path's price rules for bars that come from an API (Alpha Vantage, TWSE): high, low, close and adjusted close positive and finite,
// open not negative or infinite, volume not negative or infinite, high not below low. A bad row is exit 3.

import { DataError } from "../core/errors.js";
import type { Frame } from "../frame/frame.js";

const POSITIVE = ["high", "low", "close", "adj_close"] as const;
const HINT = "prices must be positive and finite; this looks like a bad response: retry later with --refresh";

/**
 * Throws a DataError naming the date, the field and the value of the first row that breaks a rule.
 * Missing values (NaN) pass: they are the stages' business, as in the CSV path.
 * @example validateSourceBars(frame, "Alpha Vantage TIME_SERIES_DAILY IBM")
 */
export function validateSourceBars(frame: Frame, label: string): void {
  const date = (i: number) => new Date(frame.time[i]).toISOString().slice(0, 10);
  const fail = (i: number, message: string, hint = HINT): never => {
    throw new DataError(`${label}: ${date(i)}: ${message}`, hint);
  };
  const what = (v: number) => (v === 0 ? "zero" : v < 0 ? "negative" : "infinite");
  for (const field of POSITIVE) {
    if (!frame.has(field)) continue;
    const values = frame.get(field);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v <= 0 || v === Number.POSITIVE_INFINITY) fail(i, `${field} ${v} is ${what(v)}`);
    }
  }
  if (frame.has("open")) {
    const open = frame.get("open");
    for (let i = 0; i < open.length; i++)
      if (open[i] < 0 || open[i] === Number.POSITIVE_INFINITY) fail(i, `open ${open[i]} is ${what(open[i])}`);
  }
  if (frame.has("volume")) {
    const volume = frame.get("volume");
    for (let i = 0; i < volume.length; i++)
      if (volume[i] < 0 || volume[i] === Number.POSITIVE_INFINITY)
        fail(i, `volume ${volume[i]} is negative or infinite`);
  }
  if (frame.has("high") && frame.has("low")) {
    const high = frame.get("high");
    const low = frame.get("low");
    for (let i = 0; i < high.length; i++)
      if (high[i] < low[i]) fail(i, `high ${high[i]} is below low ${low[i]}`);
  }
}
