// Cumulative returns of the strategy against buy-and-hold: growth of 1 invested at the window's first close,
// on a log axis when asked or when the curves span more than 10x (25 years of AAPL would otherwise sit flat
// near zero until the last few years).

import { lineChart } from "../line-chart.js";
import { BENCHMARK, STRATEGY } from "./colors.js";
import type { TearsheetSeries } from "./tearsheet-series.js";

/** "x1.5", "x10": growth multiples. */
export function growthTick(v: number): string {
  if (v >= 100) return `×${Math.round(v)}`;
  return `×${Number(v.toPrecision(2))}`;
}

export function cumulativeChart(ticker: string, ts: TearsheetSeries): string {
  const time = ts.window.time;
  return lineChart({
    title: `Cumulative returns of ${ticker} vs buy-and-hold${ts.logY ? " (log scale)" : ""}`,
    series: [
      { name: "strategy", x: time, y: ts.strategy.wealth, color: STRATEGY },
      { name: "buy-and-hold", x: time, y: ts.benchmark.wealth, color: BENCHMARK, dashed: true },
    ],
    logY: ts.logY,
    yFormat: growthTick,
    referenceY: 1,
    yLabel: "growth of 1",
  });
}
