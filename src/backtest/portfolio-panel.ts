// The universe of a portfolio backtest on one calendar: every ticker's score, close and open aligned to the
// sorted union of their dates, ticker-major in flat Float64Arrays (NaN where a ticker has no row that day).

import { DataError } from "../core/errors.js";

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

function sameTimes(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Sorted distinct dates of every ticker. */
function unionCalendar(series: readonly TickerSeries[]): Float64Array {
  // A universe on one calendar (the usual case) needs no sort at all.
  const first = series[0]?.time ?? new Float64Array(0);
  if (series.every((t) => sameTimes(t.time, first))) return first.slice();
  const total = series.reduce((s, t) => s + t.time.length, 0);
  const all = new Float64Array(total);
  let offset = 0;
  for (const t of series) {
    all.set(t.time, offset);
    offset += t.time.length;
  }
  // A typed-array sort and one pass to drop repeats (a Map keyed by date is ~10x slower on 1M rows).
  all.sort();
  let distinct = 0;
  for (let i = 0; i < total; i++) if (i === 0 || all[i] !== all[i - 1]) all[distinct++] = all[i];
  return all.slice(0, distinct);
}

/**
 * Aligns the tickers on the union of their dates. A ticker's dates must increase strictly (one row per day).
 * @example alignPanel([{ ticker: "A", time, score, close, open }]).close
 */
export function alignPanel(series: readonly TickerSeries[]): PortfolioPanel {
  const time = unionCalendar(series);
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
