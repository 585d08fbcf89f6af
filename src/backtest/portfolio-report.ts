// The terminal summary of a portfolio backtest: the portfolio against its equal-weight buy-and-hold benchmark,
// metric by metric, the trading facts, and the two equity curves.

import { lineChart } from "../core/terminal-chart.js";
import { terminalTable } from "../core/terminal-table.js";
import type { CombinedMetrics } from "./combine.js";
import { METRIC_ROWS } from "./summary-table.js";

export interface PortfolioReport {
  strategy: CombinedMetrics;
  benchmark: CombinedMetrics;
  /** Facts printed under the metrics (rebalances, trades, mean turnover and exposure...). */
  facts: [string, string][];
  equity: Float64Array;
  benchmarkEquity: Float64Array;
}

const RETURN_KEYS = new Set<string>([
  "bars",
  "totalReturn",
  "cagr",
  "volatility",
  "sharpe",
  "sortino",
  "maxDrawdown",
  "maxDrawdownDuration",
  "calmar",
]);

/**
 * Blocks of text to print: the metrics table, then (with charts) the portfolio's and the benchmark's equity.
 * @example for (const block of renderPortfolioReport(report, { charts: false, color: false })) console.log(block);
 */
export function renderPortfolioReport(
  report: PortfolioReport,
  options: { charts: boolean; color: boolean },
): string[] {
  const table = terminalTable(["portfolio", "strategy", "equal-weight B&H"], {
    color: options.color,
    compact: true,
  });
  for (const row of METRIC_ROWS) {
    if (!RETURN_KEYS.has(row.key)) continue;
    const key = row.key as keyof CombinedMetrics;
    table.push([row.label, row.format(report.strategy[key]), row.format(report.benchmark[key])]);
  }
  for (const [label, value] of report.facts) table.push([label, value, ""]);
  const blocks = [table.toString()];
  if (options.charts) {
    blocks.push(
      lineChart(report.equity, { title: "portfolio equity" }),
      lineChart(report.benchmarkEquity, { title: "equal-weight buy-and-hold equity" }),
    );
  }
  return blocks;
}
