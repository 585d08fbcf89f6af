// The equal-weight combined line of a multi-ticker backtest: each date's return is the mean of the returns
// of the tickers with a return that date, compounded from 1 over the window's own dates.

import { unionDates } from "../frame/union-dates.js";
import { type TradingReport, tradingMetrics } from "../metrics/trading.js";

/** One ticker's window: its dates and the return realised at each (NaN where none, e.g. the first date). */
export interface TickerReturns {
  time: Float64Array;
  returns: Float64Array;
}

export interface CombinedLine {
  time: Float64Array;
  /** Growth of 1 invested equally across tickers (rebalanced every bar), 1 at the first date. */
  equity: Float64Array;
  /** Mean return across the tickers with a return that date (NaN when none has one). */
  returns: Float64Array;
}

/**
 * Aligns tickers by date and averages their returns; a date where no ticker has a return adds nothing.
 * @example combineEqualWeight([{ time, returns: windowReturns(profit, 0, n, capital) }]).equity
 */
export function combineEqualWeight(tickers: readonly TickerReturns[]): CombinedLine {
  const time = unionDates(tickers.map((t) => t.time));
  const distinct = time.length;
  const sums = new Float64Array(distinct);
  const counts = new Uint32Array(distinct);
  for (const t of tickers) {
    // Each ticker's dates are increasing, so one forward walk finds every date's slot.
    let j = 0;
    for (let i = 0; i < t.time.length; i++) {
      while (time[j] < t.time[i]) j++;
      const r = t.returns[i];
      if (!Number.isFinite(r)) continue;
      sums[j] += r;
      counts[j]++;
    }
  }
  const returns = new Float64Array(distinct);
  const equity = new Float64Array(distinct);
  let value = 1;
  for (let i = 0; i < distinct; i++) {
    returns[i] = counts[i] > 0 ? sums[i] / counts[i] : Number.NaN;
    if (Number.isFinite(returns[i])) value *= 1 + returns[i];
    equity[i] = value;
  }
  return { time, equity, returns };
}

export type CombinedMetrics = Pick<
  TradingReport,
  | "bars"
  | "totalReturn"
  | "cagr"
  | "volatility"
  | "sharpe"
  | "sortino"
  | "maxDrawdown"
  | "maxDrawdownDuration"
  | "calmar"
>;

/**
 * Return and risk metrics of a combined line over its own dates, from 1 at its first date: the bars are the
 * returns after the first date (trade counts do not apply). Null when the line has no date.
 */
export function combinedMetrics(line: CombinedLine, periodsPerYear: number): CombinedMetrics | null {
  const n = line.time.length;
  if (n === 0) return null;
  // Profit on a unit capital reproduces the combined returns exactly; a date without any return adds 0.
  const profit = new Float64Array(n - 1);
  let equity = 1;
  for (let i = 1; i < n; i++) {
    const r = line.returns[i];
    profit[i - 1] = Number.isFinite(r) ? equity * r : 0;
    equity += profit[i - 1];
  }
  const m = tradingMetrics({
    profit,
    position: new Float64Array(profit.length),
    price: new Float64Array(profit.length),
    capital: 1,
    periodsPerYear,
  });
  return curveMetrics(m);
}

/** The metrics of a curve without trades (return, risk, drawdown), from a full trading report. */
export function curveMetrics(m: TradingReport): CombinedMetrics {
  return {
    bars: m.bars,
    totalReturn: m.totalReturn,
    cagr: m.cagr,
    volatility: m.volatility,
    sharpe: m.sharpe,
    sortino: m.sortino,
    maxDrawdown: m.maxDrawdown,
    maxDrawdownDuration: m.maxDrawdownDuration,
    calmar: m.calmar,
  };
}
