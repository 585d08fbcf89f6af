// Trading metrics against small hand-worked cases.

import { describe, expect, it } from "vitest";
import {
  barReturns,
  drawdownSeries,
  equityCurve,
  maxDrawdown,
  tradeRuns,
  tradingMetrics,
} from "./trading.js";

describe("trading metrics", () => {
  // Capital 100; P&L +10, -11, +0, +5.5 -> equity 110, 99, 99, 104.5.
  const profit = new Float64Array([10, -11, 0, 5.5]);
  const position = new Float64Array([1, 1, 0, -1]);
  const price = new Float64Array([100, 110, 99, 99]);

  it("returns, equity and drawdown", () => {
    expect([...barReturns(profit, 100)]).toEqual([0.1, -0.1, 0, 5.5 / 99]);
    expect([...equityCurve(profit, 100)]).toEqual([110, 99, 99, 104.5]);
    const dd = drawdownSeries(equityCurve(profit, 100), 100);
    expect(dd[0]).toBe(0);
    expect(dd[1]).toBeCloseTo(0.1, 12);
    expect(dd[3]).toBeCloseTo(1 - 104.5 / 110, 12);
    expect(maxDrawdown(equityCurve(profit, 100), 100)).toEqual({
      depth: expect.closeTo(0.1, 12),
      duration: 3,
    });
  });

  it("trades are runs of the same non-zero position", () => {
    expect(tradeRuns(position, profit)).toEqual({ pnl: [-1, 5.5], length: [2, 1] });
  });

  it("the full report", () => {
    const r = tradingMetrics({ profit, position, price, capital: 100, periodsPerYear: 4 });
    expect(r.totalPnl).toBeCloseTo(4.5, 12);
    expect(r.totalReturn).toBeCloseTo(0.045, 12);
    // One year of 4 bars: CAGR equals the total return.
    expect(r.cagr).toBeCloseTo(0.045, 12);
    const rets = [0.1, -0.1, 0, 5.5 / 99];
    const mean = rets.reduce((a, b) => a + b) / 4;
    const sd = Math.sqrt(rets.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
    expect(r.volatility).toBeCloseTo(sd * 2, 12);
    expect(r.sharpe).toBeCloseTo((mean / sd) * 2, 12);
    expect(r.sortino).toBeCloseTo((mean / Math.sqrt(0.01 / 4)) * 2, 12);
    expect(r.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(r.maxDrawdownDuration).toBe(3);
    expect(r.calmar).toBeCloseTo(0.045 / 0.1, 12);
    expect(r.trades).toBe(2);
    expect(r.hitRate).toBe(0.5);
    expect(r.profitFactor).toBeCloseTo(5.5, 12);
    expect(r.exposure).toBe(0.75);
    expect(r.averageHoldingPeriod).toBe(1.5);
    // Traded units x price: 1 x 100 (enter) + 1 x 99 (exit) + 1 x 99 (short) = 298 over mean equity 103.125.
    expect(r.turnover).toBeCloseTo(298 / 103.125, 12);
  });

  it("degenerate windows give NaN rather than throwing", () => {
    // Zero bars measure nothing: every metric but the bar count is undefined, never 0.
    const empty = tradingMetrics({ profit: [], position: [], price: [], capital: 100 });
    expect(empty.bars).toBe(0);
    for (const [key, value] of Object.entries(empty))
      if (key !== "bars") expect(Number.isNaN(value), key).toBe(true);
    const flat = tradingMetrics({ profit: [0, 0, 0], position: [0, 0, 0], price: [1, 1, 1], capital: 100 });
    expect(Number.isNaN(flat.sharpe)).toBe(true);
    expect(flat.trades).toBe(0);
    expect(flat.maxDrawdown).toBe(0);
  });

  it("the fused pass agrees with the helper functions on a random walk", () => {
    let seed = 1;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const n = 500;
    const price = new Float64Array(n);
    const position = new Float64Array(n);
    const pnl = new Float64Array(n);
    let p = 100;
    for (let i = 0; i < n; i++) {
      price[i] = p;
      position[i] = rand() < 0.1 ? (rand() < 0.5 ? 0 : 10) : i > 0 ? position[i - 1] : 0;
      const next = p * (1 + (rand() - 0.5) * 0.04);
      pnl[i] = position[i] * (next - p);
      p = next;
    }
    const r = tradingMetrics({ profit: pnl, position, price, capital: 1000 });
    const returns = [...barReturns(pnl, 1000)];
    const mean = returns.reduce((a, b) => a + b) / n;
    const sd = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    expect(r.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(252), 10);
    const dd = maxDrawdown(equityCurve(pnl, 1000), 1000);
    expect(r.maxDrawdown).toBeCloseTo(dd.depth, 12);
    expect(r.maxDrawdownDuration).toBe(dd.duration);
    const trades = tradeRuns(position, pnl);
    expect(r.trades).toBe(trades.pnl.length);
    expect(r.hitRate).toBeCloseTo(trades.pnl.filter((x) => x > 0).length / trades.pnl.length, 12);
    expect(r.averageHoldingPeriod).toBeCloseTo(
      trades.length.reduce((a, b) => a + b) / trades.length.length,
      12,
    );
  });
});
