// Rolling Sharpe ratio and volatility over a trailing window of bar returns, annualised like the backtest's
// metrics (sample standard deviation, zero risk-free rate, x sqrt(periods per year)).

/**
 * The rolling window: half a year of bars (126 daily, 26 weekly, 6 monthly), as quantstats' six-month rolling
 * charts, and never fewer than 3 bars.
 */
export function rollingWindow(periodsPerYear: number): number {
  return Math.max(3, Math.round(periodsPerYear / 2));
}

/**
 * Annualised Sharpe and volatility of the `window` returns ending at each row (NaN until the window is full;
 * NaN returns are skipped, as the backtest's metrics skip them).
 */
export function rollingStats(
  returns: ArrayLike<number>,
  window: number,
  periodsPerYear: number,
): { sharpe: Float64Array; volatility: Float64Array } {
  const n = returns.length;
  const sharpe = new Float64Array(n).fill(Number.NaN);
  const volatility = new Float64Array(n).fill(Number.NaN);
  const annual = Math.sqrt(periodsPerYear);
  let sum = 0;
  let squares = 0;
  let count = 0;
  const value = (i: number) => (Number.isFinite(returns[i]) ? returns[i] : Number.NaN);
  for (let i = 0; i < n; i++) {
    const r = value(i);
    if (!Number.isNaN(r)) {
      sum += r;
      squares += r * r;
      count++;
    }
    if (i >= window) {
      const old = value(i - window);
      if (!Number.isNaN(old)) {
        sum -= old;
        squares -= old * old;
        count--;
      }
    }
    if (i < window - 1 || count < 2) continue;
    const mean = sum / count;
    const variance = Math.max(0, (squares - count * mean * mean) / (count - 1));
    const std = Math.sqrt(variance);
    volatility[i] = std * annual;
    sharpe[i] = std > 1e-15 ? (mean / std) * annual : Number.NaN;
  }
  return { sharpe, volatility };
}
