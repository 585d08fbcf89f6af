// Why a ticker kept no feature rows: inputs missing on every row (no volume), or too few bars for warm-up + labels.

import { DataError } from "../core/errors.js";
import type { BarSeries } from "./bar-series.js";
import type { FeatureBlock } from "./feature-block.js";

/** The facts behind a ticker whose features kept 0 rows. */
export interface EmptyTicker {
  ticker: string;
  rowsIn: number;
  /** Bar inputs (close, high, low, open, volume) missing on every row: absent from the bars, or all NaN. */
  missingInputs: string[];
  /** Output columns missing (NaN or infinite) on every row, labels that look past the data excepted. */
  emptyColumns: string[];
  /** Labels missing on every row because they look at least as many rows ahead as there are bars. */
  blindLabels: string[];
  /** Rows before the latest first value of any non-label column. */
  warmUp: number;
  /** Rows the furthest-looking label reads ahead. */
  horizon: number;
}

const INPUTS = ["close", "high", "low", "open", "volume"] as const;

function allMissing(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] - values[i] === 0) return false;
  return true;
}

/** Collects the facts for one ticker's block (called only when no row was kept, so the cost does not matter). */
export function emptyTicker(ticker: string, bars: BarSeries, block: FeatureBlock): EmptyTicker {
  const horizons = new Map(block.labels.map((l) => [l.name, l.horizon]));
  const labels = new Set(horizons.keys());
  const emptyColumns: string[] = [];
  const blindLabels: string[] = [];
  let warmUp = 0;
  for (const [name, values] of block.columns) {
    if (allMissing(values)) {
      if ((horizons.get(name) ?? -1) >= values.length) blindLabels.push(name);
      else emptyColumns.push(name);
      continue;
    }
    if (labels.has(name)) continue;
    let first = 0;
    while (first < values.length && !(values[first] - values[first] === 0)) first++;
    warmUp = Math.max(warmUp, first);
  }
  return {
    ticker,
    rowsIn: bars.close.length,
    missingInputs: bars.close.length === 0 ? [] : INPUTS.filter((k) => allMissing(bars[k])),
    emptyColumns,
    blindLabels,
    warmUp,
    horizon: Math.max(0, ...block.labels.map((l) => l.horizon)),
  };
}

/**
 * The data error for features that kept no row: which input or column is missing, and what to run instead.
 * @example noRowsError("bars/MSFT.parquet", "seed000", empty) // "... the bars have no volume ..."
 */
export function noRowsError(label: string, what: string, e: EmptyTicker): DataError {
  const where = `features: ${what} on ${label} (${e.ticker || "no ticker"})`;
  if (e.rowsIn === 0) return new DataError(`${where}: the input has no bars`, "ingest some bars first");
  const head = `${where} kept 0 of ${e.rowsIn} rows`;
  const shown = e.emptyColumns.slice(0, 8).join(", ") + (e.emptyColumns.length > 8 ? ", ..." : "");
  if (e.missingInputs.includes("volume") && e.emptyColumns.length > 0)
    return new DataError(
      `${head}: the bars have no volume, so ${shown} ${e.emptyColumns.length === 1 ? "is" : "are"} missing on every row`,
      "this set needs volume; without it use price-only indicators, e.g. " +
        "tsml features --indicators rsi:14,macd,sma:20 --labels up_down_tm (or ingest bars that carry volume)",
    );
  if (e.missingInputs.length > 0)
    return new DataError(
      `${head}: input ${e.missingInputs.join(", ")} missing on every row` +
        (e.emptyColumns.length > 0 ? `, so ${shown} ${e.emptyColumns.length === 1 ? "is" : "are"} too` : ""),
      "check the bars' columns (tsml ls), or choose indicators that do not need the missing input",
    );
  // Every input is there: a column with no value on any row has a warm-up longer than the data, or prices that
  // leave it undefined (constant prices make seed 000's CCI 0/0 everywhere).
  if (e.emptyColumns.length > 0)
    return new DataError(
      `${head}: ${shown} ${e.emptyColumns.length === 1 ? "has" : "have"} no value on any row (a warm-up longer ` +
        `than the ${e.rowsIn} bars, or prices that leave ${e.emptyColumns.length === 1 ? "it" : "them"} undefined, such as constant prices)`,
      "give more bars (a longer date range), or drop or shorten those indicators",
    );
  if (e.blindLabels.length > 0)
    return new DataError(
      `${head}: too few bars, label${e.blindLabels.length === 1 ? "" : "s"} ${e.blindLabels.join(", ")} ` +
        `look${e.blindLabels.length === 1 ? "s" : ""} ${e.horizon} rows ahead`,
      "give more bars (a longer date range), a shorter label horizon, or --keep-incomplete to keep the unlabelled rows",
    );
  if (e.rowsIn > e.warmUp + e.horizon)
    return new DataError(
      `${head}: every row has a missing or infinite value in some column`,
      "look for zero or repeated prices and empty fields in the bars (tsml ls, tsml export)",
    );
  return new DataError(
    `${head}: too few bars, the warm-up (${e.warmUp} rows) plus the labels' horizon (${e.horizon} rows) needs ` +
      `more than ${e.warmUp + e.horizon}`,
    "give more bars (a longer date range), or shorter indicator periods and label horizons",
  );
}
