// Rolling Sharpe ratio and rolling volatility over a trailing half year of bars (rolling-stats.ts), strategy
// against buy-and-hold.

import { lineChart } from "../line-chart.js";
import { BENCHMARK, STRATEGY } from "./colors.js";
import { percentTick } from "./format.js";
import type { TearsheetSeries } from "./tearsheet-series.js";

export function rollingCharts(ticker: string, ts: TearsheetSeries): string {
  const time = ts.window.time;
  const window = `${ts.rolling}-bar window`;
  return (
    lineChart({
      title: `Rolling Sharpe of ${ticker} (${window})`,
      series: [
        { name: "strategy", x: time, y: ts.strategy.rollingSharpe, color: STRATEGY },
        { name: "buy-and-hold", x: time, y: ts.benchmark.rollingSharpe, color: BENCHMARK, dashed: true },
      ],
      referenceY: 0,
      height: 240,
    }) +
    lineChart({
      title: `Rolling volatility of ${ticker}, annualised (${window})`,
      series: [
        { name: "strategy", x: time, y: ts.strategy.rollingVolatility, color: STRATEGY },
        { name: "buy-and-hold", x: time, y: ts.benchmark.rollingVolatility, color: BENCHMARK, dashed: true },
      ],
      yFormat: percentTick,
      height: 240,
    })
  );
}
