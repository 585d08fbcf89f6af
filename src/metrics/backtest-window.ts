// One window of a backtest (train, test or the whole period) measured on its own equity curve: from its first
// close to its last, from a starting equity, against buy-and-hold fully invested over the same closes.

import { type TradingReport, tradingMetrics } from "./trading.js";

/** The columns a window is measured from (one entry per row; `profit[i]` is earned from close i to i + 1). */
export interface WindowColumns {
  profit: Float64Array;
  position: Float64Array;
  price: Float64Array;
}

/**
 * How windows get their starting equity. `account`: one account from --capital over the whole series, each
 * window starting at its equity there. `per-window`: fixed shares without --capital, where P&L does not
 * depend on capital, so each window is its own account with defaultWindowCapital.
 */
export type CapitalMode = "account" | "per-window";

export interface WindowMetrics {
  /** Rows [start, end) of the ticker's series. */
  start: number;
  end: number;
  /** Equity at the window's first close: where the strategy and buy-and-hold both start. */
  capital: number;
  strategy: TradingReport;
  buyAndHold: TradingReport;
}

const finite = (x: number) => (Number.isFinite(x) ? x : 0);

function firstFinite(values: Float64Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if (Number.isFinite(values[i])) return i;
  return -1;
}

/**
 * Account equity at close `start` when the account starts at `capital` on row 0: capital plus the P&L of
 * the bars before it (the artifact's `equity` one row earlier).
 */
export function accountEquityAt(profit: Float64Array, capital: number, start: number): number {
  let equity = capital;
  for (let i = 0; i < start; i++) equity += finite(profit[i]);
  return equity;
}

/**
 * Default capital of a fixed-shares window without --capital: the least starting equity that covers, at
 * every close of the window, the value of the position taken there (|units| x close) out of the equity the
 * window has reached (capital + P&L so far), and never less than `shares` at the window's first close. With
 * fills at the close and no costs this is the least cash that never goes below zero, so a long-only strategy
 * is never levered: its drawdown stays within 100%, and buy-and-hold needs exactly shares x first close.
 * @example defaultWindowCapital(columns, split, n, 100) // test window's capital
 */
export function defaultWindowCapital(
  columns: WindowColumns,
  start: number,
  end: number,
  shares: number,
): number {
  const { profit, position, price } = columns;
  const first = firstFinite(price, start, end);
  let need = first >= 0 ? Math.abs(shares) * price[first] : Number.NaN;
  let pnl = 0;
  // The position taken at the window's last close earns nothing inside the window.
  for (let t = start; t < end - 1; t++) {
    const value = Math.abs(position[t]) * price[t];
    if (Number.isFinite(value) && value - pnl > need) need = value - pnl;
    pnl += finite(profit[t]);
  }
  return need;
}

/**
 * Buy-and-hold over rows [start, end): `capital` fully invested (fractional units, no costs) at the first
 * finite close, so its equity is capital x close / first close and its total return close[last] / close[first]
 * - 1 exactly. Missing prices carry the last one forward.
 */
function buyAndHold(price: Float64Array, start: number, end: number, capital: number) {
  const bars = Math.max(0, end - 1 - start);
  const profit = new Float64Array(bars);
  const position = new Float64Array(bars);
  const first = firstFinite(price, start, end);
  if (first < 0) return { profit: profit.fill(Number.NaN), position };
  const units = capital / price[first];
  let last = price[first];
  for (let t = first; t < end - 1; t++) {
    const next = price[t + 1];
    const carried = Number.isFinite(next) ? next : last;
    profit[t - start] = units * (carried - last);
    position[t - start] = units;
    last = carried;
  }
  return { profit, position };
}

/**
 * The strategy and buy-and-hold metrics of rows [start, end) from `capital` at the window's first close; a
 * window of k rows has k - 1 bars (the P&L of its last row is earned after its last close). Null when empty.
 * @example windowMetrics(columns, split, n, capitalAtSplit, 252)?.strategy.sharpe
 */
export function windowMetrics(
  columns: WindowColumns,
  start: number,
  end: number,
  capital: number,
  periodsPerYear: number,
): WindowMetrics | null {
  if (end <= start) return null;
  const last = end - 1;
  const { profit, position, price } = columns;
  const strategy = tradingMetrics({
    profit: profit.subarray(start, last),
    position: position.subarray(start, last),
    price: price.subarray(start, last),
    capital,
    periodsPerYear,
  });
  const hold = buyAndHold(price, start, end, capital);
  const benchmark = tradingMetrics({
    profit: hold.profit,
    position: hold.position,
    price: price.subarray(start, last),
    capital,
    periodsPerYear,
  });
  return { start, end, capital, strategy, buyAndHold: benchmark };
}

/**
 * The strategy's bar returns over rows [start, end), aligned to rows: entry k is the return realised at close
 * start + k (P&L over the equity before it); entry 0 is NaN (the window's first close has no return in it).
 */
export function windowReturns(
  profit: Float64Array,
  start: number,
  end: number,
  capital: number,
): Float64Array {
  const out = new Float64Array(Math.max(0, end - start));
  if (out.length === 0) return out;
  out[0] = Number.NaN;
  let equity = capital;
  for (let t = start; t < end - 1; t++) {
    const p = finite(profit[t]);
    out[t - start + 1] = equity > 0 ? p / equity : Number.NaN;
    equity += p;
  }
  return out;
}

/** Buy-and-hold's bar returns over rows [start, end), aligned like windowReturns (close over previous close). */
export function priceReturns(price: Float64Array, start: number, end: number): Float64Array {
  const out = new Float64Array(Math.max(0, end - start)).fill(Number.NaN);
  let last = Number.NaN;
  for (let t = start; t < end; t++) {
    const p = price[t];
    if (!Number.isFinite(p)) {
      if (Number.isFinite(last)) out[t - start] = 0;
      continue;
    }
    if (Number.isFinite(last)) out[t - start] = p / last - 1;
    last = p;
  }
  return out;
}
