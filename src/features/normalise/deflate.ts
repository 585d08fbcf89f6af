// Deflation by a price index (seed 004): monthly CPI interpolated linearly over business days, prices divided by it.

import { DataError } from "../../core/errors.js";
import { MS_PER_DAY, parseIsoDate } from "../../frame/dates.js";

export interface IndexSeries {
  /** Epoch ms (UTC midnight), increasing. */
  time: Float64Array;
  values: Float64Array;
}

/**
 * Parses a CSV of `date,value` rows (a header line such as `DATE,CPIAUCSL` is skipped; FRED's "." is missing).
 * @example parseIndexCsv("DATE,CPIAUCSL\n2000-01-01,169.3\n", "cpi.csv")
 */
export function parseIndexCsv(text: string, label: string): IndexSeries {
  const time: number[] = [];
  const values: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const cells = line.split(",").map((s) => s.trim().replace(/^"|"$/g, ""));
    refusePriceFile(cells, i, label);
    const [d, v] = cells;
    // Strict: 2019-02-30 is refused, not rolled over to March 2 as Date.parse does.
    const ms = parseIsoDate(d ?? "");
    if (ms === null) {
      if (i === 0) return; // header
      throw new DataError(
        `${label}: row ${i + 1}: "${d}" is not a date`,
        "expected date,value rows (YYYY-MM-DD)",
      );
    }
    const value = v === "." || v === "" || v === undefined ? Number.NaN : Number(v);
    if (Number.isNaN(value) && v !== "." && v !== "")
      throw new DataError(`${label}: row ${i + 1}: "${v}" is not a number`);
    time.push(ms);
    values.push(value);
  });
  if (time.length < 2) throw new DataError(`${label}: needs at least two dated values`);
  for (let i = 1; i < time.length; i++)
    if (time[i] <= time[i - 1]) throw new DataError(`${label}: row ${i + 1}: dates must increase`);
  return { time: Float64Array.from(time), values: Float64Array.from(values) };
}

/** Column names of price files (Yahoo, Stooq, tsml CSV exports): never the value of a price index. */
const PRICE_COLUMNS = new Set(["open", "high", "low", "close", "adj close", "adj_close", "price", "volume"]);
const NOT_AN_INDEX_HINT =
  "--deflate takes a price index of date,value rows (e.g. FRED CPIAUCSL), not a price file: dividing prices by their own prices leaves about 1.0";

/**
 * A price file given as the index (`Date,Open,High,Low,Close,...`) would silently deflate every price to about
 * 1.0 (price / open): a header naming a price column, or a row with more than two values, is refused.
 */
function refusePriceFile(cells: readonly string[], line: number, label: string): void {
  const filled = cells.filter((c) => c !== "");
  const named = line === 0 ? filled.find((c) => PRICE_COLUMNS.has(c.toLowerCase())) : undefined;
  if (named !== undefined)
    throw new DataError(
      `${label}: looks like a price file (column "${named}"), not a price index`,
      NOT_AN_INDEX_HINT,
    );
  if (filled.length > 2)
    throw new DataError(
      `${label}: row ${line + 1} has ${filled.length} values; a price index has two (date,value)`,
      NOT_AN_INDEX_HINT,
    );
}

const isBusinessDay = (ms: number) => {
  const day = new Date(ms).getUTCDay();
  return day !== 0 && day !== 6;
};

/**
 * The index on each of `dates`, as pandas' `cpi.resample('B').asfreq().interpolate()` gives it: the index values
 * that fall on business days are placed on a business-day grid, and the gaps are filled linearly by grid
 * position (trailing gaps repeat the last value, leading ones stay NaN). Dates off the grid are NaN.
 */
export function indexOnDates(index: IndexSeries, dates: Float64Array): Float64Array {
  const first = index.time[0];
  const last = index.time[index.time.length - 1];
  const grid: number[] = [];
  for (let ms = first; ms <= last; ms += MS_PER_DAY) if (isBusinessDay(ms)) grid.push(ms);
  const gridValues = new Float64Array(grid.length).fill(Number.NaN);
  const position = new Map(grid.map((ms, i) => [ms, i]));
  for (let i = 0; i < index.time.length; i++) {
    const at = position.get(index.time[i]);
    if (at !== undefined) gridValues[at] = index.values[i];
  }
  let prev = -1;
  for (let i = 0; i < grid.length; i++) {
    if (Number.isNaN(gridValues[i])) continue;
    if (prev >= 0 && i - prev > 1) {
      const step = (gridValues[i] - gridValues[prev]) / (i - prev);
      for (let j = prev + 1; j < i; j++) gridValues[j] = gridValues[prev] + step * (j - prev);
    }
    prev = i;
  }
  if (prev >= 0) for (let j = prev + 1; j < grid.length; j++) gridValues[j] = gridValues[prev];
  const out = new Float64Array(dates.length).fill(Number.NaN);
  for (let i = 0; i < dates.length; i++) {
    const at = position.get(dates[i]);
    if (at !== undefined) out[i] = gridValues[at];
  }
  return out;
}

/** Divides each price by the index on its date (NaN where the index has no value). */
export function deflate(prices: Float64Array, indexValues: Float64Array): Float64Array {
  const out = new Float64Array(prices.length);
  for (let i = 0; i < prices.length; i++) out[i] = prices[i] / indexValues[i];
  return out;
}
