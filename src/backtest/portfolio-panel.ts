// The universe of a portfolio backtest on one calendar: every ticker's score, close and open aligned to the
// sorted union of their dates, ticker-major in flat Float64Arrays (NaN where a ticker has no row that day).

import { DataError } from "../core/errors.js";
import { unionDates } from "../frame/union-dates.js";

/** One ticker's rows as read: increasing dates, its score (e.g. proba), close and open on those dates. */
export interface TickerSeries {
  ticker: string;
  time: Float64Array;
  score: Float64Array;
  close: Float64Array;
  open: Float64Array;
}

/** The aligned universe: value of ticker t on calendar day i at index t * days + i. */
export interface PortfolioPanel {
  tickers: readonly string[];
  time: Float64Array;
  days: number;
  score: Float64Array;
  close: Float64Array;
  open: Float64Array;
}

/**
 * Aligns the tickers on the union of their dates. A ticker's dates must increase strictly (one row per day).
 * @example alignPanel([{ ticker: "A", time, score, close, open }]).close
 */
export function alignPanel(series: readonly TickerSeries[]): PortfolioPanel {
  const time = unionDates(series.map((t) => t.time));
  const days = time.length;
  const cells = series.length * days;
  const score = new Float64Array(cells).fill(Number.NaN);
  const close = new Float64Array(cells).fill(Number.NaN);
  const open = new Float64Array(cells).fill(Number.NaN);
  series.forEach((s, t) => {
    const base = t * days;
    // Both date lists increase, so one forward walk finds every row's day.
    let i = 0;
    for (let r = 0; r < s.time.length; r++) {
      if (r > 0 && !(s.time[r] > s.time[r - 1]))
        throw new DataError(
          `${s.ticker}: dates are not strictly increasing at row ${r}`,
          "one row per ticker and day",
        );
      while (time[i] < s.time[r]) i++;
      score[base + i] = s.score[r];
      close[base + i] = s.close[r];
      open[base + i] = s.open[r];
    }
  });
  return { tickers: series.map((s) => s.ticker), time, days, score, close, open };
}

/** The first calendar day on which every ticker has a close, or -1 when the tickers never overlap. */
export function firstCommonDay(panel: PortfolioPanel): number {
  const { days, close } = panel;
  const n = panel.tickers.length;
  for (let i = 0; i < days; i++) {
    let all = true;
    for (let t = 0; t < n && all; t++) all = Number.isFinite(close[t * days + i]);
    if (all) return i;
  }
  return -1;
}
