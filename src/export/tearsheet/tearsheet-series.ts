// Everything the tearsheet draws, derived once from the window's two return series so that every chart and
// table on the page reads the same numbers.

import { monthlyReturns, type PeriodReturn, yearlyReturns } from "./period-returns.js";
import { rollingStats, rollingWindow } from "./rolling-stats.js";
import type { TearsheetWindow } from "./tearsheet-window.js";
import { underwater, wealthIndex } from "./wealth.js";
import { type DrawdownPeriod, worstDrawdowns } from "./worst-drawdowns.js";

export interface SideSeries {
  returns: Float64Array;
  wealth: Float64Array;
  drawdown: Float64Array;
  monthly: PeriodReturn[];
  yearly: PeriodReturn[];
  rollingSharpe: Float64Array;
  rollingVolatility: Float64Array;
  worst: DrawdownPeriod[];
}

export interface TearsheetSeries {
  window: TearsheetWindow;
  strategy: SideSeries;
  benchmark: SideSeries;
  /** Bars in the rolling window. */
  rolling: number;
  /** Whether the cumulative chart uses a log axis. */
  logY: boolean;
}

export type LogScaleChoice = "auto" | "log" | "linear";

/** Log when asked, or (auto) when the growth curves span more than 10x from their lowest to highest point. */
export function useLogScale(choice: LogScaleChoice, curves: readonly Float64Array[]): boolean {
  if (choice !== "auto") return choice === "log";
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const c of curves)
    for (let i = 0; i < c.length; i++) {
      if (c[i] > 0 && c[i] < lo) lo = c[i];
      if (c[i] > hi) hi = c[i];
    }
  return Number.isFinite(lo) && hi / lo > 10;
}

function side(w: TearsheetWindow, returns: Float64Array, rolling: number): SideSeries {
  const wealth = wealthIndex(returns);
  const stats = rollingStats(returns, rolling, w.periodsPerYear);
  return {
    returns,
    wealth,
    drawdown: underwater(wealth),
    monthly: monthlyReturns(w.time, returns),
    yearly: yearlyReturns(w.time, returns),
    rollingSharpe: stats.sharpe,
    rollingVolatility: stats.volatility,
    worst: worstDrawdowns(wealth, 5),
  };
}

/** @example tearsheetSeries(window, "auto").strategy.worst[0].depth */
export function tearsheetSeries(window: TearsheetWindow, logScale: LogScaleChoice): TearsheetSeries {
  const rolling = rollingWindow(window.periodsPerYear);
  const strategy = side(window, window.strategy, rolling);
  const benchmark = side(window, window.benchmark, rolling);
  return {
    window,
    strategy,
    benchmark,
    rolling,
    logY: useLogScale(logScale, [strategy.wealth, benchmark.wealth]),
  };
}
