// Trading metrics over a P&L series: returns, risk, drawdown, and trade statistics (backtest and evaluate).

/**
 * Inputs for one window of a backtest; every array has one entry per bar, a bar being the step from one close
 * to the next. A window of k rows has k - 1 bars: its callers pass the rows before the window's last one,
 * whose P&L is earned after the window's last close.
 */
export interface TradingSeries {
  /** P&L earned by the position held at bar i over the next bar (seed 000's `profit`); NaN counts as 0. */
  profit: ArrayLike<number>;
  /** Units held from bar i (signed; 0 when flat). */
  position: ArrayLike<number>;
  /** Price at bar i (for turnover: traded units x price). */
  price: ArrayLike<number>;
  /** Equity at the window's first close (returns are P&L over the equity before the bar). */
  capital: number;
  /** Bars per year for annualising (252 trading days; 365 for crypto). */
  periodsPerYear?: number;
}

/**
 * Every trading metric tsml reports; ratios are fractions (0.1 = 10%), durations are in bars. Over zero bars
 * every metric but `bars` is NaN (undefined, never 0).
 */
export interface TradingReport {
  bars: number;
  totalPnl: number;
  totalReturn: number;
  cagr: number;
  volatility: number;
  sharpe: number;
  sortino: number;
  maxDrawdown: number;
  maxDrawdownDuration: number;
  calmar: number;
  hitRate: number;
  profitFactor: number;
  exposure: number;
  turnover: number;
  trades: number;
  averageHoldingPeriod: number;
}

const finite = (x: number) => (Number.isFinite(x) ? x : 0);

/** The report of a window without a single bar: nothing is measured, so nothing is 0. */
function undefinedReport(): TradingReport {
  const nan = Number.NaN;
  return {
    bars: 0,
    totalPnl: nan,
    totalReturn: nan,
    cagr: nan,
    volatility: nan,
    sharpe: nan,
    sortino: nan,
    maxDrawdown: nan,
    maxDrawdownDuration: nan,
    calmar: nan,
    hitRate: nan,
    profitFactor: nan,
    exposure: nan,
    turnover: nan,
    trades: nan,
    averageHoldingPeriod: nan,
  };
}

/**
 * Per-bar simple returns: profit[i] / equity before bar i (equity starts at `capital`).
 * @example barReturns([10, -5], 100) // [0.1, -0.04545...]
 */
export function barReturns(profit: ArrayLike<number>, capital: number): Float64Array {
  const out = new Float64Array(profit.length);
  let equity = capital;
  for (let i = 0; i < profit.length; i++) {
    const p = finite(profit[i]);
    out[i] = equity > 0 ? p / equity : Number.NaN;
    equity += p;
  }
  return out;
}

/** Equity after each bar: capital + cumulative P&L (NaN P&L counts as 0). */
export function equityCurve(profit: ArrayLike<number>, capital: number): Float64Array {
  const out = new Float64Array(profit.length);
  let equity = capital;
  for (let i = 0; i < profit.length; i++) {
    equity += finite(profit[i]);
    out[i] = equity;
  }
  return out;
}

/** Drawdown from the running peak after each bar, as a fraction (0 at a new high, 0.2 = 20% below it). */
export function drawdownSeries(equity: ArrayLike<number>, capital: number): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = capital;
  for (let i = 0; i < equity.length; i++) {
    if (equity[i] > peak) peak = equity[i];
    out[i] = peak > 0 ? 1 - equity[i] / peak : 0;
  }
  return out;
}

/** Largest drawdown and the longest stretch (in bars) spent below a previous peak. */
export function maxDrawdown(equity: ArrayLike<number>, capital: number): { depth: number; duration: number } {
  let peak = capital;
  let depth = 0;
  let run = 0;
  let duration = 0;
  for (let i = 0; i < equity.length; i++) {
    if (equity[i] >= peak) {
      peak = equity[i];
      run = 0;
    } else {
      run++;
      if (run > duration) duration = run;
      const dd = peak > 0 ? 1 - equity[i] / peak : 0;
      if (dd > depth) depth = dd;
    }
  }
  return { depth, duration };
}

/**
 * Trades are maximal runs of bars with the same non-zero position; their P&L is the sum of the run's profit.
 * Returns the P&L and length of each trade.
 */
export function tradeRuns(
  position: ArrayLike<number>,
  profit: ArrayLike<number>,
): { pnl: number[]; length: number[] } {
  const pnl: number[] = [];
  const length: number[] = [];
  let i = 0;
  const n = position.length;
  while (i < n) {
    const p = position[i];
    if (!(p !== 0 && Number.isFinite(p))) {
      i++;
      continue;
    }
    let total = 0;
    let j = i;
    while (j < n && position[j] === p) total += finite(profit[j++]);
    pnl.push(total);
    length.push(j - i);
    i = j;
  }
  return { pnl, length };
}

/**
 * All trading metrics for one window. Sharpe and Sortino use a zero risk-free rate; CAGR and volatility are
 * annualised with `periodsPerYear` (CAGR over bars / periodsPerYear years); turnover is traded notional over
 * mean equity, per year.
 * @example tradingMetrics({ profit: [1, -1], position: [1, 1], price: [10, 11], capital: 10 }).totalPnl // 0
 */
export function tradingMetrics(series: TradingSeries): TradingReport {
  const { profit, position, price, capital } = series;
  const ppy = series.periodsPerYear ?? 252;
  const n = profit.length;
  if (n === 0) return undefinedReport();
  // One fused pass, no allocations (this runs 4x per ticker on 1M-row universes): Welford's mean/variance of
  // bar returns, downside squares, running peak and drawdown, trade runs, exposure and traded notional.
  let equity = capital;
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let downSquares = 0;
  let peak = capital;
  let depth = 0;
  let run = 0;
  let duration = 0;
  let exposed = 0;
  let traded = 0;
  let previous = 0;
  let equitySum = 0;
  let trades = 0;
  let wins = 0;
  let grossWin = 0;
  let grossLoss = 0;
  let holding = 0;
  let tradePnl = 0;
  for (let i = 0; i < n; i++) {
    const pl = finite(profit[i]);
    const r = equity > 0 ? pl / equity : Number.NaN;
    if (Number.isFinite(r)) {
      count++;
      const delta = r - mean;
      mean += delta / count;
      m2 += delta * (r - mean);
      if (r < 0) downSquares += r * r;
    }
    equity += pl;
    equitySum += equity;
    if (equity >= peak) {
      peak = equity;
      run = 0;
    } else {
      run++;
      if (run > duration) duration = run;
      const dd = peak > 0 ? 1 - equity / peak : 0;
      if (dd > depth) depth = dd;
    }
    const p = Number.isFinite(position[i]) ? position[i] : 0;
    if (p !== previous) {
      // A trade ends when the position changes; a new one starts when the new position is not flat.
      if (previous !== 0) {
        if (tradePnl > 0) {
          wins++;
          grossWin += tradePnl;
        } else grossLoss -= tradePnl;
      }
      if (p !== 0) trades++;
      tradePnl = 0;
      traded += Math.abs(p - previous) * finite(price[i]);
    }
    if (p !== 0) {
      exposed++;
      holding++;
      tradePnl += pl;
    }
    previous = p;
  }
  if (previous !== 0) {
    if (tradePnl > 0) {
      wins++;
      grossWin += tradePnl;
    } else grossLoss -= tradePnl;
  }
  const finalEquity = equity;
  const totalReturn = capital > 0 ? finalEquity / capital - 1 : Number.NaN;
  const years = n / ppy;
  const cagr =
    years > 0 && totalReturn > -1
      ? (1 + totalReturn) ** (1 / years) - 1
      : totalReturn <= -1
        ? -1
        : Number.NaN;
  // Sample standard deviation (ddof = 1) as pandas' .std(); downside deviation is the root mean square of
  // negative returns over all bars (Sortino's target-0 semi-deviation).
  if (count === 0) mean = Number.NaN;
  const std = count > 1 ? Math.sqrt(m2 / (count - 1)) : Number.NaN;
  const downside = count > 0 ? Math.sqrt(downSquares / count) : Number.NaN;
  const sqrtPpy = Math.sqrt(ppy);
  const dd = { depth, duration };
  const tradeCount = trades;
  const meanEquity = n > 0 ? equitySum / n : Number.NaN;
  return {
    bars: n,
    totalPnl: finalEquity - capital,
    totalReturn,
    cagr,
    volatility: std * sqrtPpy,
    sharpe: std > 0 ? (mean / std) * sqrtPpy : Number.NaN,
    sortino: downside > 0 ? (mean / downside) * sqrtPpy : Number.NaN,
    maxDrawdown: dd.depth,
    maxDrawdownDuration: dd.duration,
    calmar: dd.depth > 0 ? cagr / dd.depth : Number.NaN,
    hitRate: tradeCount > 0 ? wins / tradeCount : Number.NaN,
    profitFactor: grossLoss > 0 ? grossWin / grossLoss : grossWin > 0 ? Number.POSITIVE_INFINITY : Number.NaN,
    exposure: n > 0 ? exposed / n : Number.NaN,
    turnover: meanEquity > 0 && years > 0 ? traded / meanEquity / years : Number.NaN,
    trades: tradeCount,
    averageHoldingPeriod: tradeCount > 0 ? holding / tradeCount : Number.NaN,
  };
}
