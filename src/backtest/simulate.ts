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
  /** Orders refused by a daily price limit. */
  blockedOrders: number;
}

/** Units for a new position of direction `sign` at `price`, before lot rounding. */
function targetUnits(options: SimulationOptions, price: number, equity: number): number {
  if (options.sizing === "fixed-shares") return options.shares;
  const notional = options.sizing === "fixed-cash" ? options.capital : Math.max(0, equity) * options.percent;
  return price > 0 ? notional / price : 0;
}

function roundUnits(options: SimulationOptions, units: number): number {
  if (options.fractional) return units;
  const lot = Math.max(1, options.market.lotSize);
  return Math.floor(units / lot + 1e-9) * lot;
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
      const target =
        direction === 0 ? 0 : direction * roundUnits(options, targetUnits(options, reference, equityBefore));
      const delta = target - units;
      const limit = market.priceLimit;
      const atLimitUp = limit !== null && reference >= previousClose * (1 + limit) * (1 - 1e-9);
      const atLimitDown = limit !== null && reference <= previousClose * (1 - limit) * (1 + 1e-9);
      if ((delta > 0 && atLimitUp) || (delta < 0 && atLimitDown)) {
        blocked++;
      } else if (delta !== 0) {
        fillPrice = reference * (1 + Math.sign(delta) * slip);
        const notional = Math.abs(delta) * fillPrice;
        cost = notional * (options.costBps / 1e4) + options.commission;
        if (market.commissionRate > 0)
          cost += Math.max(notional * market.commissionRate, market.minCommission);
        if (delta < 0) cost += notional * market.sellTaxRate;
        cash -= delta * fillPrice + cost;
        newUnits = target;
      }
    }
    position[i] = newUnits;
    costs[i] = cost;
    if (i + 1 >= n) {
      profit[i] = cost > 0 ? -cost : Number.NaN;
    } else {
      // Cash already holds the fill, so for next-open the old units earn close i -> open i+1 and the new
      // units open i+1 -> close i+1; for close execution the new units earn the whole next bar.
      profit[i] = cash + newUnits * close[i + 1] - equityBefore;
    }
    units = newUnits;
  }
  return { position, profit, costs, blockedOrders: blocked };
}
