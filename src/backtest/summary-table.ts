// Terminal summaries of backtest metrics: train, test and whole-period windows side by side against
// buy-and-hold, and a compact one-row-per-ticker table for large universes.

import { terminalTable } from "../core/terminal-table.js";
import type { WindowMetrics } from "../metrics/backtest-window.js";
import type { TradingReport } from "../metrics/trading.js";

type Row = { label: string; key: keyof TradingReport; format: (x: number) => string };

// Beyond a trillion (an in-sample fit compounding for decades) digits stop saying anything: exponent form.
const HUGE = 1e12;
const pct = (x: number) =>
  Number.isFinite(x)
    ? Math.abs(x * 100) >= HUGE
      ? `${(x * 100).toExponential(3)}%`
      : `${(x * 100).toFixed(2)}%`
    : x === Infinity
      ? "inf"
      : "-";
const num = (digits: number) => (x: number) =>
  Number.isFinite(x)
    ? Math.abs(x) >= HUGE
      ? x.toExponential(3)
      : x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : x === Infinity
      ? "inf"
      : "-";

export const METRIC_ROWS: readonly Row[] = [
  { label: "bars (returns)", key: "bars", format: num(0) },
  { label: "total P&L", key: "totalPnl", format: num(2) },
  { label: "total return", key: "totalReturn", format: pct },
  { label: "CAGR", key: "cagr", format: pct },
  { label: "volatility (ann.)", key: "volatility", format: pct },
  { label: "Sharpe", key: "sharpe", format: num(2) },
  { label: "Sortino", key: "sortino", format: num(2) },
  { label: "max drawdown", key: "maxDrawdown", format: pct },
  { label: "max DD duration (bars)", key: "maxDrawdownDuration", format: num(0) },
  { label: "Calmar", key: "calmar", format: num(2) },
  { label: "hit rate", key: "hitRate", format: pct },
  { label: "profit factor", key: "profitFactor", format: num(2) },
  { label: "exposure", key: "exposure", format: pct },
  { label: "turnover (x/yr)", key: "turnover", format: num(2) },
  { label: "trades", key: "trades", format: num(0) },
  { label: "avg holding (bars)", key: "averageHoldingPeriod", format: num(1) },
];

/**
 * One ticker: metric rows; columns train, train buy-and-hold, test, test buy-and-hold, and the whole period
 * when it differs from the test window (absent windows skipped). The first row is each window's starting
 * equity.
 * @example metricsTable("SPX", result, false)
 */
export function metricsTable(
  ticker: string,
  result: { train: WindowMetrics | null; test: WindowMetrics | null; whole: WindowMetrics | null },
  color: boolean,
): string {
  const windows: [string, TradingReport, number][] = [];
  const add = (name: string, w: WindowMetrics | null) => {
    if (w) windows.push([name, w.strategy, w.capital], [`${name} B&H`, w.buyAndHold, w.capital]);
  };
  add("train", result.train);
  add("test", result.test);
  if (result.train && result.test) add("whole", result.whole);
  const table = terminalTable([ticker, ...windows.map(([name]) => name)], { color: color, compact: true });
  table.push(["start equity", ...windows.map(([, , capital]) => num(2)(capital))]);
  for (const row of METRIC_ROWS) table.push([row.label, ...windows.map(([, r]) => row.format(r[row.key]))]);
  return table.toString();
}

/** Many tickers: one row each with the test window's headline numbers. */
export function compactTable(
  rows: readonly { ticker: string; window: WindowMetrics | null }[],
  color: boolean,
): string {
  const table = terminalTable(
    ["ticker", "bars", "total P&L", "return", "B&H return", "Sharpe", "max DD", "trades", "hit rate"],
    { color: color, compact: true },
  );
  for (const { ticker, window } of rows) {
    if (!window) {
      table.push([ticker, "0", "-", "-", "-", "-", "-", "-", "-"]);
      continue;
    }
    const s = window.strategy;
    table.push([
      ticker,
      String(s.bars),
      num(2)(s.totalPnl),
      pct(s.totalReturn),
      pct(window.buyAndHold.totalReturn),
      num(2)(s.sharpe),
      pct(s.maxDrawdown),
      String(s.trades),
      pct(s.hitRate),
    ]);
  }
  return table.toString();
}
