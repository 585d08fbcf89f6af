// One account across a universe: at every rebalance day the top-k tickers by score get target weights of the
// equity at that close; orders fill at the next day's open (sells first, then buys best-ranked first, each buy
// cut to what the cash pays for, costs included), whole lots, so cash never goes below zero. Fill prices, costs
// and lots are the single-ticker engine's (simulate.ts: fillCost, affordableUnits, roundUnits).

import type { PortfolioPanel } from "./portfolio-panel.js";
import { selectHoldings } from "./portfolio-selection.js";
import { targetWeights, type WeightScheme } from "./portfolio-weights.js";
import { affordableUnits, type FillRules, fillCost, roundUnits } from "./simulate.js";

export interface PortfolioRules extends FillRules {
  topK: number;
  /** At most this many holdings replaced per rebalance (TopkDropout); Infinity = the top k, freely. */
  nDrop: number;
  /** Days of the universe's calendar (the union of its dates) between rebalances: decisions on days 0, r, 2r, ...
   * (r >= days: the first day only). */
  rebalanceEvery: number;
  weights: WeightScheme;
  /** Cap per holding as a fraction of equity, in (0, 1]. */
  maxWeight: number;
  capital: number;
  slippageBps: number;
}

/** Every fill, one entry per order (columns). */
export interface PortfolioTrades {
  day: Int32Array;
  ticker: Int32Array;
  /** Signed units (+ buy, - sell). */
  units: Float64Array;
  price: Float64Array;
  cost: Float64Array;
}

export interface PortfolioResult {
  /** Equity at each day's close (cash + units x the ticker's last close). */
  equity: Float64Array;
  cash: Float64Array;
  /** Value held over equity at each close. */
  exposure: Float64Array;
  /** Traded notional (both sides) over the decision close's equity, on fill days; NaN on other days. */
  turnover: Float64Array;
  /** Costs paid per day. */
  costs: Float64Array;
  /** Tickers held at each close. */
  holdings: Float64Array;
  /** Units held at each close, ticker-major like the panel. */
  units: Float64Array;
  trades: PortfolioTrades;
  /** Calendar indices a rebalance was decided on. */
  rebalanceDays: Int32Array;
  /** Orders not filled: no open on the fill day, or a sell whose costs exceed the cash it would leave. */
  missedOrders: number;
  /** Orders refused at a daily price limit (a buy at limit-up, a sell at limit-down). */
  blockedOrders: number;
}

/** Growable trade columns. */
class TradeLog {
  day: number[] = [];
  ticker: number[] = [];
  units: number[] = [];
  price: number[] = [];
  cost: number[] = [];
  add(day: number, ticker: number, units: number, price: number, cost: number) {
    this.day.push(day);
    this.ticker.push(ticker);
    this.units.push(units);
    this.price.push(price);
    this.cost.push(cost);
  }
  columns(): PortfolioTrades {
    return {
      day: Int32Array.from(this.day),
      ticker: Int32Array.from(this.ticker),
      units: Float64Array.from(this.units),
      price: Float64Array.from(this.price),
      cost: Float64Array.from(this.cost),
    };
  }
}

/**
 * Runs the portfolio over the panel's calendar.
 * @example simulatePortfolio(alignPanel(series), { topK: 10, nDrop: Infinity, rebalanceEvery: 5, ... }).equity
 */
export function simulatePortfolio(panel: PortfolioPanel, rules: PortfolioRules): PortfolioResult {
  const { days, score, close, open } = panel;
  const n = panel.tickers.length;
  const slip = rules.slippageBps / 1e4;
  const limit = rules.market.priceLimit;
  const units = new Float64Array(n);
  const lastClose = new Float64Array(n).fill(Number.NaN);
  const unitsPath = new Float64Array(n * days);
  const equity = new Float64Array(days);
  const cashPath = new Float64Array(days);
  const exposure = new Float64Array(days);
  const turnover = new Float64Array(days).fill(Number.NaN);
  const costs = new Float64Array(days);
  const holdings = new Float64Array(days);
  const trades = new TradeLog();
  const rebalanceDays: number[] = [];
  let cash = rules.capital;
  let missed = 0;
  let blocked = 0;
  // The pending order: target weight per ticker (NaN = no order), the rank order of buys, the decision equity.
  const weight = new Float64Array(n).fill(Number.NaN);
  let buyOrder: number[] = [];
  let pending = false;
  let decisionEquity = 0;
  for (let i = 0; i < days; i++) {
    if (pending) {
      let traded = 0;
      let dayCost = 0;
      // A fill at the open of day i; the previous close (for price limits) is the ticker's last close.
      const fill = (t: number, delta: number): boolean => {
        const reference = open[t * days + i];
        if (!Number.isFinite(reference)) {
          missed++;
          return false;
        }
        const previous = lastClose[t];
        if (
          limit !== null &&
          ((delta > 0 && reference >= previous * (1 + limit) * (1 - 1e-9)) ||
            (delta < 0 && reference <= previous * (1 - limit) * (1 + 1e-9)))
        ) {
          blocked++;
          return false;
        }
        let size = delta;
        const price = reference * (1 + Math.sign(delta) * slip);
        if (delta > 0) size = Math.min(delta, affordableUnits(rules, cash, price));
        if (!(Math.abs(size) > 0)) return false;
        const cost = fillCost(rules, size, price);
        // A sell whose fixed costs exceed its proceeds (a small trim, a minimum commission) could overdraw the
        // account: it is not filled, so cash never goes below zero.
        if (cash - (size * price + cost) < 0) {
          missed++;
          return false;
        }
        cash -= size * price + cost;
        units[t] += size;
        traded += Math.abs(size) * price;
        dayCost += cost;
        trades.add(i, t, size, price, cost);
        return true;
      };
      // Sized at the fill day's open: the order is "this weight of the decision close's equity".
      const target = (t: number) => {
        const w = Number.isNaN(weight[t]) ? 0 : weight[t];
        const reference = open[t * days + i];
        return w > 0 && reference > 0 ? roundUnits(rules, (w * decisionEquity) / reference) : 0;
      };
      for (let t = 0; t < n; t++) {
        if (units[t] > 0 && target(t) < units[t]) fill(t, target(t) - units[t]);
      }
      for (const t of buyOrder) {
        const want = target(t) - units[t];
        if (want > 0) fill(t, want);
      }
      turnover[i] = decisionEquity > 0 ? traded / decisionEquity : Number.NaN;
      costs[i] = dayCost;
      weight.fill(Number.NaN);
      pending = false;
    }
    let value = 0;
    let count = 0;
    for (let t = 0; t < n; t++) {
      const c = close[t * days + i];
      if (Number.isFinite(c)) lastClose[t] = c;
      if (units[t] !== 0) {
        value += units[t] * lastClose[t];
        unitsPath[t * days + i] = units[t];
        count++;
      }
    }
    equity[i] = cash + value;
    cashPath[i] = cash;
    exposure[i] = equity[i] > 0 ? value / equity[i] : Number.NaN;
    holdings[i] = count;
    // A decision on the last day would have no open to fill at.
    if (i % rules.rebalanceEvery === 0 && i + 1 < days) {
      const candidates: number[] = [];
      const held: number[] = [];
      for (let t = 0; t < n; t++) {
        if (Number.isFinite(score[t * days + i]) && Number.isFinite(close[t * days + i])) candidates.push(t);
        if (units[t] > 0) held.push(t);
      }
      buyOrder = selectHoldings(candidates, held, score, i, days, rules.topK, rules.nDrop);
      const w = targetWeights(buyOrder, score, i, days, rules.weights, rules.maxWeight);
      buyOrder.forEach((t, j) => {
        weight[t] = w[j];
      });
      decisionEquity = equity[i];
      pending = true;
      rebalanceDays.push(i);
    }
  }
  return {
    equity,
    cash: cashPath,
    exposure,
    turnover,
    costs,
    holdings,
    units: unitsPath,
    trades: trades.columns(),
    rebalanceDays: Int32Array.from(rebalanceDays),
    missedOrders: missed,
    blockedOrders: blocked,
  };
}
