// Key metrics, strategy and buy-and-hold side by side over the tearsheet window: the backtest's own metrics
// function (so they equal the metrics file) plus the best and worst month and year from the same returns.

import type { TradingReport } from "../../metrics/trading.js";
import { wrapTable } from "../html-tables.js";
import { escapeXml as esc } from "../svg-scale.js";
import { num, pct } from "./format.js";
import type { PeriodReturn } from "./period-returns.js";
import type { TearsheetSeries } from "./tearsheet-series.js";

type Row = [label: string, strategy: string, benchmark: string];

const extreme = (periods: readonly PeriodReturn[], pick: (a: number, b: number) => number) =>
  periods.length === 0 ? Number.NaN : periods.map((p) => p.value).reduce((a, b) => pick(a, b));

function rows(s: Trading, b: Trading, ts: TearsheetSeries): Row[] {
  const both = (label: string, f: (m: TradingReport) => string): Row => [label, f(s), f(b)];
  const ratio = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : v === Infinity ? "inf" : "n/a");
  const st = ts.strategy;
  const bh = ts.benchmark;
  return [
    both("Total return", (m) => pct(m.totalReturn)),
    both("CAGR", (m) => pct(m.cagr)),
    both("Volatility (ann.)", (m) => pct(m.volatility)),
    both("Sharpe", (m) => ratio(m.sharpe)),
    both("Sortino", (m) => ratio(m.sortino)),
    both("Calmar", (m) => ratio(m.calmar)),
    both("Max drawdown", (m) => pct(-m.maxDrawdown)),
    both("Longest drawdown (bars)", (m) => num(m.maxDrawdownDuration)),
    ["Best month", pct(extreme(st.monthly, Math.max)), pct(extreme(bh.monthly, Math.max))],
    ["Worst month", pct(extreme(st.monthly, Math.min)), pct(extreme(bh.monthly, Math.min))],
    ["Best year", pct(extreme(st.yearly, Math.max)), pct(extreme(bh.yearly, Math.max))],
    ["Worst year", pct(extreme(st.yearly, Math.min)), pct(extreme(bh.yearly, Math.min))],
    both("Hit rate (trades)", (m) => pct(m.hitRate)),
    both("Profit factor", (m) => ratio(m.profitFactor)),
    both("Exposure", (m) => pct(m.exposure)),
    both("Turnover (x per year)", (m) => ratio(m.turnover)),
    both("Trades", (m) => num(m.trades)),
    both("Average holding (bars)", (m) =>
      Number.isFinite(m.averageHoldingPeriod) ? m.averageHoldingPeriod.toFixed(1) : "n/a",
    ),
    both("Bars", (m) => num(m.bars)),
  ];
}

type Trading = TradingReport;

/** The side-by-side table. */
export function keyMetricsSection(ts: TearsheetSeries): string {
  const m = ts.window.metrics;
  const body = rows(m.strategy, m.buyAndHold, ts)
    .map(([label, a, b]) => `<tr><th>${esc(label)}</th><td>${esc(a)}</td><td>${esc(b)}</td></tr>`)
    .join("");
  return `<h3>Key metrics</h3>${wrapTable(
    `<thead><tr><th>Metric</th><th>Strategy</th><th>Buy-and-hold</th></tr></thead><tbody>${body}</tbody>`,
    "grid key-metrics",
  )}`;
}

/** How the key metrics are measured (below the table, outside its column). */
export function keyMetricsNote(ts: TearsheetSeries): string {
  return `<p class="note">Sharpe and Sortino with a zero risk-free rate; annualised with ${num(ts.window.periodsPerYear)} bars a year; drawdowns are below the running peak of the equity.</p>`;
}
