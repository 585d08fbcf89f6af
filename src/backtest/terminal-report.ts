// The human-readable backtest report: metric tables per ticker (or one compact table) and the charts.

import { lineChart } from "../core/terminal-chart.js";
import type { CombinedLine } from "./combine.js";
import { type BacktestResult, splitIndex } from "./run-backtest.js";
import { compactTable, metricsTable } from "./summary-table.js";

/** Joins the seed's two cumulative-profit columns into one drawable line (train then test, each from 0). */
export function joinTrainTest(train: ArrayLike<number>, test: ArrayLike<number>): Float64Array {
  const out = new Float64Array(train.length);
  for (let i = 0; i < train.length; i++) out[i] = Number.isFinite(train[i]) ? train[i] : test[i];
  return out;
}

export interface TickerBacktest {
  ticker: string;
  time: Float64Array;
  result: BacktestResult;
  splitTime: number;
}

/** Per-ticker tables beyond this many tickers collapse into one row per ticker. */
export const MAX_TABLES = 10;

/**
 * Blocks of text to print: tables, then for one ticker its price (with buy/sell markers), cumulative P&L and
 * drawdown charts, for many tickers the combined equal-weight line.
 * @example for (const block of renderReport(results, null, split, { charts: true, color: false })) console.log(block);
 */
export function renderReport(
  results: readonly TickerBacktest[],
  combined: CombinedLine | null,
  split: number,
  options: { charts: boolean; color: boolean },
): string[] {
  const blocks =
    results.length <= MAX_TABLES
      ? results.map((r) => metricsTable(r.ticker, r.result, options.color))
      : [
          compactTable(
            results.map((r) => ({ ticker: r.ticker, window: r.result.test })),
            options.color,
          ),
        ];
  if (!options.charts) return blocks;
  if (results.length === 1) {
    const { ticker, time, result, splitTime } = results[0];
    const boundary = splitIndex(time, splitTime);
    const c = (name: string) => result.columns.get(name) as Float64Array;
    blocks.push(
      lineChart(c("price"), {
        title: `${ticker} price (B buy, S sell)`,
        boundary,
        buy: c("buy"),
        sell: c("sell"),
      }),
      lineChart(joinTrainTest(c("profit_cumul_train"), c("profit_cumul_test")), {
        title: `${ticker} cumulative P&L (train, then test from 0)`,
        boundary,
      }),
      lineChart(
        c("drawdown").map((d) => -d * 100),
        { title: `${ticker} drawdown (%)`, boundary, height: 6 },
      ),
    );
  } else if (combined) {
    blocks.push(
      lineChart(combined.equity, {
        title: `equal-weight combined equity (${results.length} tickers, growth of 1)`,
        boundary: splitIndex(combined.time, split),
      }),
    );
  }
  return blocks;
}
