// Realistic fills: a cash-and-units simulation with execution timing, costs, taxes, slippage, sizing, lots
// and price limits. The decision at bar i uses only bars 0..i (its signal and prices); fills happen at bar i's
// close or at bar i+1's open, never earlier.

import type { MarketRules } from "./market-presets.js";
import type { Strategy } from "./seed-positions.js";

export type Execution = "close" | "next-open";
export type Sizing = "fixed-shares" | "fixed-cash" | "percent-equity";

export interface SimulationOptions {
  strategy: Strategy;
  execution: Execution;
  sizing: Sizing;
  /** Units per position for fixed-shares. */
  shares: number;
  /** Starting equity; also the notional per position for fixed-cash. */
  capital: number;
  /** Fraction of equity per position for percent-equity (1 = all of it). */
  percent: number;
  /** Allow fractional units (crypto); otherwise units are rounded down to whole lots. */
  fractional: boolean;
  /** Flat cost in basis points of traded notional, both sides. */
  costBps: number;
  /** Fixed commission per fill, in the quote currency. */
  commission: number;
  /** Fill price moves against the trade by this many basis points. */
  slippageBps: number;
  market: MarketRules;
}

export interface SimulationResult {
  /** Units held from the fill the decision at bar i produced (what the bar's P&L is earned on). */
  position: Float64Array;
  /** Equity change from bar i's close to bar i+1's close, costs included (NaN on the last bar without a fill). */
  profit: Float64Array;
  /** Costs paid per bar (commission, tax, flat cost; slippage is in the fill price). */
  costs: Float64Array;
  /** Cash after bar i's fill (negative = borrowed: the position is levered). */
  cash: Float64Array;
  /** Orders refused by a daily price limit. */
  blockedOrders: number;
}

/** What a fill's cost and sizing read: the portfolio backtest (portfolio-simulate.ts) shares them. */
export type FillRules = Pick<SimulationOptions, "costBps" | "commission" | "market" | "fractional">;

/** Units rounded down to whole lots (unless fractional). */
export function roundUnits(options: FillRules, units: number): number {
  if (options.fractional) return units;
  const lot = Math.max(1, options.market.lotSize);
  return Math.floor(units / lot + 1e-9) * lot;
}

/** Costs of one fill of `units` (signed) at `fillPrice`: flat bps, fixed commission, market commission, tax. */
export function fillCost(options: FillRules, units: number, fillPrice: number): number {
  const { market } = options;
  const notional = Math.abs(units) * fillPrice;
  let cost = notional * (options.costBps / 1e4) + options.commission;
  if (market.commissionRate > 0) cost += Math.max(notional * market.commissionRate, market.minCommission);
  if (units < 0) cost += notional * market.sellTaxRate;
  return cost;
}

/**
 * The most units (whole lots unless fractional) a buy at `fillPrice` can take so that units x price plus
 * every cost of the fill stays within `budget`: floor((budget - fixed commission) / (price x (1 + cost
 * rate))), cost rate = cost-bps + the market's commission rate, and a market minimum commission must fit too.
 */
export function affordableUnits(options: FillRules, budget: number, fillPrice: number): number {
  if (!(fillPrice > 0) || !(budget > 0)) return 0;
  const flat = options.costBps / 1e4;
  const { commissionRate, minCommission } = options.market;
  const available = budget - options.commission;
  // notional x (1 + flat) + max(notional x rate, minimum) <= available, both branches of the max.
  let notional = available / (1 + flat + commissionRate);
  if (commissionRate > 0) notional = Math.min(notional, (available - minCommission) / (1 + flat));
  let units = roundUnits(options, notional / fillPrice);
  if (!(units > 0)) return 0;
  // Rounding in the division can leave a spend a hair over the budget: step down until it fits. The step
  // doubles, so huge unit counts (where one lot is below float precision) still end in a few steps.
  let step = options.fractional ? units * 1e-12 : Math.max(1, options.market.lotSize);
  while (units > 0 && units * fillPrice + fillCost(options, units, fillPrice) > budget) {
    units = options.fractional ? units - step : roundUnits(options, units - step);
    step *= 2;
  }
  return Math.max(0, units);
}

/**
 * Target units for a new position of `direction` (+1 long, -1 short) filled at `fillPrice`, holding `units`
 * now with `cash` and `equity` before the fill. Buys are sized so the fill and its costs fit in the budget
 * (percent-equity: cash beyond (1 - percent) x equity, so cash never goes below zero at 100%; fixed-cash:
 * the capital); shorts take the budget's worth of units at the fill price.
 */
function targetUnits(
  options: SimulationOptions,
  direction: number,
  fillPrice: number,
  units: number,
  cash: number,
  equity: number,
): number {
  if (direction === 0) return 0;
  if (options.sizing === "fixed-shares") return direction * roundUnits(options, options.shares);
  if (direction < 0) {
    const notional =
      options.sizing === "fixed-cash" ? options.capital : Math.max(0, equity) * options.percent;
    return fillPrice > 0 ? -roundUnits(options, notional / fillPrice) : 0;
  }
  if (options.sizing === "fixed-cash") {
    // The capital buys the new long; covering a short first is paid from cash like any other fill.
    return affordableUnits(options, options.capital, fillPrice);
  }
  // percent-equity: the whole order (covering a short included) must leave (1 - percent) x equity in cash.
  const budget = cash - (1 - options.percent) * Math.max(0, equity);
  const delta = affordableUnits(options, budget, fillPrice);
  const lot = options.fractional ? 0 : Math.max(1, options.market.lotSize);
  const target = units + delta;
  return Math.max(0, lot > 0 ? Math.floor(target / lot + 1e-9) * lot : target);
}

/**
 * Runs the simulation. `open` is needed only for next-open execution.
 * @example simulate(close, null, signal, { ...options, execution: "close" }).profit
 */
export function simulate(
  close: Float64Array,
  open: Float64Array | null,
  signal: ArrayLike<number>,
  options: SimulationOptions,
): SimulationResult {
  const n = close.length;
  const position = new Float64Array(n);
  const profit = new Float64Array(n);
  const costs = new Float64Array(n);
  const cashPath = new Float64Array(n);
  const { market } = options;
  const slip = options.slippageBps / 1e4;
  let cash = options.capital;
  let units = 0;
  let blocked = 0;
  const nextOpen = options.execution === "next-open";
  for (let i = 0; i < n; i++) {
    const s = signal[i];
    const direction = s === 1 ? 1 : options.strategy === "long-short" ? -1 : 0;
    // Reference fill price and the previous close used for the daily price limit.
    const fillBar = nextOpen ? i + 1 : i;
    const reference = nextOpen ? (fillBar < n && open ? open[fillBar] : Number.NaN) : close[i];
    const previousClose = nextOpen ? close[i] : i > 0 ? close[i - 1] : Number.NaN;
    const equityBefore = cash + units * close[i];
    let cost = 0;
    let fillPrice = reference;
    let newUnits = units;
    if (Number.isFinite(reference) && Math.sign(units) !== direction) {
      // Sized at the price the fill will get: slippage moves it against the new position's direction.
      const sizingPrice = reference * (1 + direction * slip);
      const target = targetUnits(options, direction, sizingPrice, units, cash, equityBefore);
      const delta = target - units;
      const limit = market.priceLimit;
      const atLimitUp = limit !== null && reference >= previousClose * (1 + limit) * (1 - 1e-9);
      const atLimitDown = limit !== null && reference <= previousClose * (1 - limit) * (1 + 1e-9);
      if ((delta > 0 && atLimitUp) || (delta < 0 && atLimitDown)) {
        blocked++;
      } else if (delta !== 0) {
        fillPrice = reference * (1 + Math.sign(delta) * slip);
        cost = fillCost(options, delta, fillPrice);
        cash -= delta * fillPrice + cost;
        newUnits = target;
      }
    }
    position[i] = newUnits;
    costs[i] = cost;
    cashPath[i] = cash;
    if (i + 1 >= n) {
      profit[i] = cost > 0 ? -cost : Number.NaN;
    } else {
      // Cash already holds the fill, so for next-open the old units earn close i -> open i+1 and the new
      // units open i+1 -> close i+1; for close execution the new units earn the whole next bar.
      profit[i] = cash + newUnits * close[i + 1] - equityBefore;
    }
    units = newUnits;
  }
  return { position, profit, costs, cash: cashPath, blockedOrders: blocked };
}
