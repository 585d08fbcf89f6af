// The realised values for forecasts whose table does not carry their target column: the ticker's target series
// from its bars, on the rows where it is finite (the rows the sequence models read), in date order.

import type { Frame } from "../frame/frame.js";
import type { TargetSeries } from "./evaluate-table.js";

/**
 * `ticker`'s `target` column from a bars frame (one ticker or a panel), finite rows only, sorted by date; null
 * when the bars have no such column.
 * @example targetSeriesFromBars(bars, "SPX", "close") // { time, values } for evaluateSequencePredictions
 */
export function targetSeriesFromBars(bars: Frame, ticker: string, target: string): TargetSeries | null {
  const own = (bars.tickers().length > 1 ? bars.forTicker(ticker) : bars).sortByTickerTime();
  if (!own.has(target)) return null;
  const values = own.get(target);
  const finite = own.filter(Uint8Array.from(values, (v) => (Number.isFinite(v) ? 1 : 0)));
  return { time: finite.time, values: finite.get(target) };
}
