// The window a tearsheet analyses, measured exactly as `tsml backtest` measured it: the test window the backtest
// recorded (else the whole series), its starting equity, and the strategy's and buy-and-hold's bar returns over
// it. Every chart and table of the tearsheet reads these two return series, so they agree with the metrics file.

import { parseIsoDate } from "../../core/iso-date.js";
import type { Frame } from "../../frame/frame.js";
import {
  priceReturns,
  type WindowMetrics,
  windowMetrics,
  windowReturns,
} from "../../metrics/backtest-window.js";
import { recordedBacktest } from "../../metrics/recorded-backtest.js";

export interface TearsheetWindow {
  /** "test" (out of sample when the backtest says so) or "whole" when no split was recorded. */
  name: "test" | "whole";
  /** What the window's P&L is, as the backtest labelled it ("out-of-sample", "in-sample"), when it did. */
  sample: string | null;
  /** Rows [start, end) of the backtest table. */
  start: number;
  end: number;
  /** Epoch ms of each row in the window. */
  time: Float64Array;
  /** Return realised at each close of the window (entry 0 is NaN: the first close has no return in it). */
  strategy: Float64Array;
  benchmark: Float64Array;
  capital: number;
  periodsPerYear: number;
  /** The backtest's own metrics function over this window (strategy and buy-and-hold). */
  metrics: WindowMetrics;
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === "object" && v !== null && !Array.isArray(v);

/** First row at or after `from` and one past the last row at or before `to` (ISO dates or timestamps). */
function rowRange(time: Float64Array, from: string, to: string): [number, number] {
  // The artifact's own ISO spellings, read by the one strict parser; an unreadable date bounds nothing (NaN).
  const lo = parseIsoDate(from) ?? Number.NaN;
  // A date-only `to` covers its whole day.
  const hi = (parseIsoDate(to) ?? Number.NaN) + (/^\d{4}-\d{2}-\d{2}$/.test(to) ? 86_400_000 - 1 : 0);
  let start = 0;
  while (start < time.length && time[start] < lo) start++;
  let end = start;
  while (end < time.length && time[end] <= hi) end++;
  return [start, end];
}

/**
 * The tearsheet window of one ticker's backtest table, or null when the table lacks profit/position/price.
 * `details` is the backtest's details merged with the metrics summary's entry for the ticker.
 * @example tearsheetWindow(backtest, details, "SPX")?.metrics.strategy.totalReturn
 */
export function tearsheetWindow(
  backtest: Frame,
  details: Loose | null,
  ticker: string,
): TearsheetWindow | null {
  if (!["profit", "position", "price"].every((c) => backtest.has(c)) || backtest.length < 2) return null;
  const d = details ?? {};
  const columns = {
    profit: backtest.get("profit"),
    position: backtest.get("position"),
    price: backtest.get("price"),
  };
  const ppy =
    recordedBacktest(d, ticker)?.periodsPerYear ??
    (typeof d.periodsPerYear === "number" && d.periodsPerYear > 0 ? d.periodsPerYear : 252);
  const windows = isObject(d.windows) && isObject(d.windows[ticker]) ? d.windows[ticker] : {};
  const recorded = (name: "test" | "whole") => {
    const w = windows[name];
    if (
      !isObject(w) ||
      typeof w.from !== "string" ||
      typeof w.to !== "string" ||
      typeof w.capital !== "number"
    )
      return null;
    const [start, end] = rowRange(backtest.time, w.from, w.to);
    return end - start >= 2 ? { name, start, end, capital: w.capital } : null;
  };
  let chosen = recorded("test") ?? recorded("whole");
  if (!chosen) {
    // Files written before windows were recorded: the whole series from the equity before its first bar.
    const equity = backtest.has("equity") ? backtest.get("equity") : null;
    const p0 = Number.isFinite(columns.profit[0]) ? columns.profit[0] : 0;
    const capital =
      equity && Number.isFinite(equity[0])
        ? equity[0] - p0
        : typeof d.capital === "number"
          ? d.capital
          : Number.NaN;
    if (!Number.isFinite(capital)) return null;
    chosen = { name: "whole" as const, start: 0, end: backtest.length, capital };
  }
  const { name, start, end, capital } = chosen;
  const metrics = windowMetrics(columns, start, end, capital, ppy);
  if (!metrics) return null;
  const sample =
    isObject(d.sample) && typeof d.sample.test === "string" && name === "test" ? d.sample.test : null;
  return {
    name,
    sample,
    start,
    end,
    time: backtest.time.subarray(start, end),
    strategy: windowReturns(columns.profit, start, end, capital),
    benchmark: priceReturns(columns.price, start, end),
    capital,
    periodsPerYear: ppy,
    metrics,
  };
}
