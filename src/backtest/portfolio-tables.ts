// The two tables of a portfolio backtest artifact, column-wise: the daily curve (one row per calendar day) and
// the positions and trades (one row per ticker and day where the ticker is held at the close or traded).

import { Frame } from "../frame/frame.js";
import type { BenchmarkResult } from "./portfolio-benchmark.js";
import type { PortfolioPanel } from "./portfolio-panel.js";
import type { PortfolioResult } from "./portfolio-simulate.js";

/** The name the curve's rows carry in the ticker column. */
export const CURVE_TICKER = "portfolio";

/**
 * One row per calendar day: equity, cash, exposure, holdings, costs, turnover (fill days only, else NaN),
 * rebalance (1 on decision days) and the benchmark's equity.
 * @example curveFrame(panel, result, benchmark).get("equity")
 */
export function curveFrame(
  panel: PortfolioPanel,
  result: PortfolioResult,
  benchmark: BenchmarkResult,
): Frame {
  const rebalance = new Float64Array(panel.days);
  for (const day of result.rebalanceDays) rebalance[day] = 1;
  return Frame.fromColumns(CURVE_TICKER, panel.time, {
    equity: result.equity,
    cash: result.cash,
    exposure: result.exposure,
    holdings: result.holdings,
    costs: result.costs,
    turnover: result.turnover,
    rebalance,
    benchmark_equity: benchmark.equity,
  });
}

/**
 * One frame per ticker over a shared ticker dictionary (the fast writer keeps each in its own row group): units
 * held at the close, weight (value over equity, at the ticker's last close), and the day's fill if any
 * (traded_units signed, fill_price, cost; 0/NaN without one).
 */
export function positionFrames(panel: PortfolioPanel, result: PortfolioResult): Frame[] {
  const { days, close, time } = panel;
  const { trades } = result;
  const tradeAt = new Map<number, number>();
  for (let j = 0; j < trades.day.length; j++) tradeAt.set(trades.ticker[j] * days + trades.day[j], j);
  return panel.tickers.map((_, t) => {
    const base = t * days;
    const rows: number[] = [];
    for (let i = 0; i < days; i++) if (result.units[base + i] !== 0 || tradeAt.has(base + i)) rows.push(i);
    const m = rows.length;
    const columns = {
      units: new Float64Array(m),
      weight: new Float64Array(m),
      traded_units: new Float64Array(m),
      fill_price: new Float64Array(m).fill(Number.NaN),
      cost: new Float64Array(m),
    };
    let last = Number.NaN;
    let r = 0;
    for (let i = 0; i < days && r < m; i++) {
      if (Number.isFinite(close[base + i])) last = close[base + i];
      if (rows[r] !== i) continue;
      const units = result.units[base + i];
      columns.units[r] = units;
      columns.weight[r] = units !== 0 ? (units * last) / result.equity[i] : 0;
      const j = tradeAt.get(base + i);
      if (j !== undefined) {
        columns.traded_units[r] = trades.units[j];
        columns.fill_price[r] = trades.price[j];
        columns.cost[r] = trades.cost[j];
      }
      r++;
    }
    return new Frame({
      time: Float64Array.from(rows, (i) => time[i]),
      tickerCodes: new Uint32Array(m).fill(t),
      tickerNames: panel.tickers,
      columns: new Map(Object.entries(columns)),
    });
  });
}
