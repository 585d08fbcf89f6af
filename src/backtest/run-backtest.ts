// One ticker's backtest: seed 000 arithmetic by default, the realistic simulation when any realism option is
// set, plus equity, drawdown, a buy-and-hold benchmark and train/test trading metrics.

import { drawdownSeries, equityCurve, type TradingReport, tradingMetrics } from "../metrics/trading.js";
import { type MarketRules, NO_MARKET_RULES } from "./market-presets.js";
import {
  buySellFlags,
  deltaTomorrow,
  type Strategy,
  seedPositions,
  seedProfit,
  splitCumulativeProfit,
} from "./seed-positions.js";
import { type Execution, type Sizing, simulate } from "./simulate.js";

export interface BacktestBars {
  time: Float64Array;
  /** Close (seed: `price`). */
  price: Float64Array;
  open?: Float64Array | null;
  /** 0/1 signal per bar (NaN = no signal = not 1). */
  signal: Float64Array;
  /** Next bar's price change when the input carries it (seed features do); else computed from `price`. */
  deltaTm?: Float64Array | null;
}

export interface BacktestOptions {
  strategy: Strategy;
  shares: number;
  /** Rows with time < splitTime are the train window; -Infinity makes the whole series the test window. */
  splitTime: number;
  execution: Execution;
  sizing: Sizing;
  /** Starting equity; null = shares x the first price (the cost of the seed's 100 shares). */
  capital: number | null;
  percent: number;
  fractional: boolean;
  costBps: number;
  commission: number;
  slippageBps: number;
  market: MarketRules;
  periodsPerYear: number;
}

export const DEFAULT_BACKTEST_OPTIONS: BacktestOptions = {
  strategy: "long-only",
  shares: 100,
  splitTime: Number.NEGATIVE_INFINITY,
  execution: "close",
  sizing: "fixed-shares",
  capital: null,
  percent: 1,
  fractional: false,
  costBps: 0,
  commission: 0,
  slippageBps: 0,
  market: NO_MARKET_RULES,
  periodsPerYear: 252,
};

export interface WindowMetrics {
  strategy: TradingReport;
  buyAndHold: TradingReport;
}

export interface BacktestResult {
  /** Columns in artifact order (seed names first). */
  columns: Map<string, Float64Array>;
  capital: number;
  /** True when the seed 000 arithmetic was used unchanged. */
  seedMode: boolean;
  blockedOrders: number;
  train: WindowMetrics | null;
  test: WindowMetrics | null;
}

/** True when no realism option departs from seed 000 (close fills, fixed 100-share style sizing, no costs). */
export function isSeedMode(o: BacktestOptions): boolean {
  return (
    o.execution === "close" &&
    o.sizing === "fixed-shares" &&
    !o.fractional &&
    o.costBps === 0 &&
    o.commission === 0 &&
    o.slippageBps === 0 &&
    o.market === NO_MARKET_RULES
  );
}

function firstFinite(values: Float64Array): number {
  for (const v of values) if (Number.isFinite(v)) return v;
  return Number.NaN;
}

/**
 * Backtests one ticker.
 * @example runBacktest({ time, price, signal }, { ...DEFAULT_BACKTEST_OPTIONS, splitTime }).columns.get("profit")
 */
export function runBacktest(bars: BacktestBars, options: BacktestOptions): BacktestResult {
  const { time, price, signal } = bars;
  const n = time.length;
  const first = firstFinite(price);
  const capital = options.capital ?? (Number.isFinite(first) ? options.shares * first : 0);
  const seedMode = isSeedMode(options);
  const deltaTm = bars.deltaTm ?? deltaTomorrow(price);
  let position: Float64Array;
  let profit: Float64Array;
  let blockedOrders = 0;
  let buy: Float64Array;
  let sell: Float64Array;
  if (seedMode) {
    position = seedPositions(signal, options.strategy, options.shares);
    profit = seedProfit(position, deltaTm);
    ({ buy, sell } = buySellFlags(position, options.shares));
  } else {
    const sim = simulate(price, bars.open ?? null, signal, { ...options, capital });
    position = sim.position;
    profit = sim.profit;
    blockedOrders = sim.blockedOrders;
    ({ buy, sell } = longFlags(position));
  }
  const cumul = splitCumulativeProfit(time, profit, options.splitTime);
  const equity = equityCurve(profit, capital);
  const drawdown = drawdownSeries(equity, capital);
  const holdUnits = buyAndHoldUnits(options, first, capital);
  const holdPosition = new Float64Array(n).fill(holdUnits);
  const benchmarkProfit = seedProfit(holdPosition, deltaTm);
  const columns = new Map<string, Float64Array>([
    ["price", price],
    ["signal", signal],
    ["position", position],
    ["profit", profit],
    ["buy", buy],
    ["sell", sell],
    ["profit_cumul_train", cumul.train],
    ["profit_cumul_test", cumul.test],
    ["equity", equity],
    ["drawdown", drawdown],
    ["benchmark_equity", equityCurve(benchmarkProfit, capital)],
  ]);
  const split = splitIndex(time, options.splitTime);
  const window = (start: number, end: number): WindowMetrics | null => {
    if (end <= start) return null;
    const metrics = (p: Float64Array, pos: Float64Array) =>
      tradingMetrics({
        profit: p.subarray(start, end),
        position: pos.subarray(start, end),
        price: price.subarray(start, end),
        capital,
        periodsPerYear: options.periodsPerYear,
      });
    return {
      strategy: metrics(profit, position),
      buyAndHold: metrics(benchmarkProfit, holdPosition),
    };
  };
  return {
    columns,
    capital,
    seedMode,
    blockedOrders,
    train: window(0, split),
    test: window(split, n),
  };
}

/** Buy-and-hold on the same window: the seed's share count, or the capital's worth of units at the first price. */
function buyAndHoldUnits(options: BacktestOptions, firstPrice: number, capital: number): number {
  if (options.sizing === "fixed-shares" || !(firstPrice > 0)) return options.shares;
  const units = capital / firstPrice;
  if (options.fractional) return units;
  const lot = Math.max(1, options.market.lotSize);
  return Math.floor(units / lot + 1e-9) * lot;
}

/** Generalised seed flags for varying unit counts: buy on entering a long, sell on leaving one. */
function longFlags(position: Float64Array): { buy: Float64Array; sell: Float64Array } {
  const n = position.length;
  const buy = new Float64Array(n);
  const sell = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const long = position[i] > 0;
    const wasLong = i > 0 && position[i - 1] > 0;
    buy[i] = long && !wasLong ? 1 : 0;
    sell[i] = !long && wasLong ? 1 : 0;
  }
  return { buy, sell };
}

/** First row at or after the split time (rows are in time order). */
export function splitIndex(time: Float64Array, splitTime: number): number {
  let i = 0;
  while (i < time.length && time[i] < splitTime) i++;
  return i;
}
