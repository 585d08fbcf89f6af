// One ticker's backtest: seed 000 arithmetic by default, the realistic simulation when any realism option is
// set, plus equity, drawdown, a buy-and-hold benchmark and train/test/whole metrics, each window on its own
// equity curve.

import {
  accountEquityAt,
  type CapitalMode,
  defaultWindowCapital,
  type WindowMetrics,
  windowMetrics,
} from "../metrics/backtest-window.js";
import { drawdownSeries, equityCurve } from "../metrics/trading.js";
import { type MarketRules, NO_MARKET_RULES } from "./market-presets.js";
import { inferPeriodsPerYear } from "./periods-per-year.js";
import {
  buySellFlags,
  deltaTomorrow,
  type Strategy,
  seedPositions,
  seedProfit,
  splitCumulativeProfit,
} from "./seed-positions.js";
import { type Execution, type Sizing, simulate } from "./simulate.js";

export type { CapitalMode, WindowMetrics } from "../metrics/backtest-window.js";

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
  /** Starting equity of one account over the whole series; null (fixed-shares only) = each window's default. */
  capital: number | null;
  percent: number;
  fractional: boolean;
  costBps: number;
  commission: number;
  slippageBps: number;
  market: MarketRules;
  /** Bars per year for annualising; null = inferred from the bars' dates. */
  periodsPerYear: number | null;
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
  periodsPerYear: null,
};

export interface BacktestResult {
  /** Columns in artifact order (seed names first). */
  columns: Map<string, Float64Array>;
  /** Starting equity of the whole-period account (the `equity` column is this plus cumulative profit). */
  capital: number;
  capitalMode: CapitalMode;
  /** True when the seed 000 arithmetic was used unchanged. */
  seedMode: boolean;
  blockedOrders: number;
  /** Periods per year the metrics were annualised with. */
  periodsPerYear: number;
  /** Lowest cash after any fill in an account run (negative = borrowed, levered); NaN for per-window runs. */
  minCash: number;
  /** Row of minCash, -1 when none. */
  minCashRow: number;
  train: WindowMetrics | null;
  test: WindowMetrics | null;
  whole: WindowMetrics | null;
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

/** Lowest value of `cash` and its row (the first at that value); NaN and -1 when there is none. */
function lowest(cash: Float64Array): { minCash: number; minCashRow: number } {
  let minCash = Number.NaN;
  let minCashRow = -1;
  for (let i = 0; i < cash.length; i++)
    if (Number.isFinite(cash[i]) && !(cash[i] >= minCash)) {
      minCash = cash[i];
      minCashRow = i;
    }
  return { minCash, minCashRow };
}

/**
 * Backtests one ticker.
 * @example runBacktest({ time, price, signal }, { ...DEFAULT_BACKTEST_OPTIONS, splitTime }).columns.get("profit")
 */
export function runBacktest(bars: BacktestBars, options: BacktestOptions): BacktestResult {
  const { time, price, signal } = bars;
  const n = time.length;
  const seedMode = isSeedMode(options);
  const capitalMode: CapitalMode =
    options.capital === null && options.sizing === "fixed-shares" ? "per-window" : "account";
  const periodsPerYear = options.periodsPerYear ?? inferPeriodsPerYear([time]).periodsPerYear;
  const deltaTm = bars.deltaTm ?? deltaTomorrow(price);
  let position: Float64Array;
  let profit: Float64Array;
  let cash: Float64Array | null = null;
  let blockedOrders = 0;
  let buy: Float64Array;
  let sell: Float64Array;
  if (seedMode) {
    position = seedPositions(signal, options.strategy, options.shares);
    profit = seedProfit(position, deltaTm);
    ({ buy, sell } = buySellFlags(position, options.shares));
  } else {
    // Fixed shares earn the same P&L whatever the capital, so a per-window run simulates from 0 cash.
    const sim = simulate(price, bars.open ?? null, signal, { ...options, capital: options.capital ?? 0 });
    position = sim.position;
    profit = sim.profit;
    cash = sim.cash;
    blockedOrders = sim.blockedOrders;
    ({ buy, sell } = longFlags(position));
  }
  const series = { profit, position, price };
  const whole = { start: 0, end: n };
  const split = splitIndex(time, options.splitTime);
  const ranges = { train: { start: 0, end: split }, test: { start: split, end: n } };
  const accountCapital = options.capital ?? 0;
  const capitalOf = (start: number, end: number) =>
    capitalMode === "account"
      ? accountEquityAt(profit, accountCapital, start)
      : defaultWindowCapital(series, start, end, options.shares);
  const capital = capitalOf(whole.start, whole.end);
  let minCash = Number.NaN;
  let minCashRow = -1;
  if (capitalMode === "account") {
    if (!cash) {
      // Seed arithmetic fills at the close: cash = equity at the close - the position's value there.
      cash = new Float64Array(n);
      let equity = capital;
      for (let i = 0; i < n; i++) {
        cash[i] = equity - position[i] * price[i];
        if (Number.isFinite(profit[i])) equity += profit[i];
      }
    }
    ({ minCash, minCashRow } = lowest(cash));
  }
  const cumul = splitCumulativeProfit(time, profit, options.splitTime);
  const equity = equityCurve(profit, capital);
  const benchmark = benchmarkEquity(price, deltaTm, capital);
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
    ["drawdown", drawdownSeries(equity, capital)],
    ["benchmark_equity", benchmark],
  ]);
  const measure = (range: { start: number; end: number }) =>
    range.end > range.start
      ? windowMetrics(series, range.start, range.end, capitalOf(range.start, range.end), periodsPerYear)
      : null;
  return {
    columns,
    capital,
    capitalMode,
    seedMode,
    blockedOrders,
    periodsPerYear,
    minCash,
    minCashRow,
    train: measure(ranges.train),
    test: measure(ranges.test),
    whole: measure(whole),
  };
}

/**
 * The artifact's `benchmark_equity`: `capital` fully invested at the first close, row i holding the equity
 * after the next bar (like `equity`, capital plus cumulative profit); the last row uses `delta_tm` when the
 * input carries it.
 */
function benchmarkEquity(price: Float64Array, deltaTm: Float64Array, capital: number): Float64Array {
  const n = price.length;
  const out = new Float64Array(n);
  let first = -1;
  for (let i = 0; i < n && first < 0; i++) if (Number.isFinite(price[i])) first = i;
  if (first < 0) return out.fill(Number.NaN);
  const units = capital / price[first];
  let last = price[first];
  for (let i = 0; i < n; i++) {
    if (i >= first) {
      const next = i + 1 < n ? price[i + 1] : last + deltaTm[i];
      if (Number.isFinite(next)) last = next;
    }
    out[i] = units * last;
  }
  return out;
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
