// Seed 000's backtest arithmetic, exactly: positions from 0/1 signals, buy/sell flags, profit = position x
// delta_tm, and cumulative profit accumulated separately before and from the test date.

/** Long-only holds `shares` on a 1 and nothing otherwise; long-short holds +shares or -shares. */
export type Strategy = "long-only" | "long-short";

/**
 * Seed: `np.where(pred == 1, n_shares, 0)` (long-only) or `np.where(pred == 1, n_shares, -n_shares)`.
 * Anything but exactly 1 (0, NaN) counts as "not 1", as numpy does.
 * @example seedPositions(new Float64Array([1, 0]), "long-short", 100) // [100, -100]
 */
export function seedPositions(signal: ArrayLike<number>, strategy: Strategy, shares: number): Float64Array {
  const off = strategy === "long-short" ? -shares : 0;
  const out = new Float64Array(signal.length);
  for (let i = 0; i < signal.length; i++) out[i] = signal[i] === 1 ? shares : off;
  return out;
}

/**
 * Seed: buy = position == n & position.shift(1) != n; sell = position != n & position.shift(1) == n.
 * shift(1) is NaN on the first row, so row 0 is a buy when long and never a sell.
 */
export function buySellFlags(
  position: ArrayLike<number>,
  shares: number,
): { buy: Float64Array; sell: Float64Array } {
  const n = position.length;
  const buy = new Float64Array(n);
  const sell = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const long = position[i] === shares;
    const wasLong = i > 0 && position[i - 1] === shares;
    buy[i] = long && !wasLong ? 1 : 0;
    sell[i] = !long && wasLong ? 1 : 0;
  }
  return { buy, sell };
}

/**
 * Next bar's price change, the seed's `delta_tm = (price - price.shift(1)).shift(-1)`; NaN on the last bar.
 * This is a forward-looking label by name: it is only ever used to score a position already taken at bar i.
 */
export function deltaTomorrow(price: ArrayLike<number>): Float64Array {
  const n = price.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) out[i] = price[i + 1] - price[i];
  if (n > 0) out[n - 1] = Number.NaN;
  return out;
}

/** Seed: `profit = position * delta_tm` (NaN where delta_tm is NaN). */
export function seedProfit(position: ArrayLike<number>, deltaTm: ArrayLike<number>): Float64Array {
  const out = new Float64Array(position.length);
  for (let i = 0; i < position.length; i++) out[i] = position[i] * deltaTm[i];
  return out;
}

/**
 * Seed: `df.loc[time < date_test, "profit"].cumsum()` and `df.loc[time >= date_test, "profit"].cumsum()`:
 * each column is NaN outside its window; inside, pandas' cumsum skips NaN (the row stays NaN, the sum goes on).
 */
export function splitCumulativeProfit(
  time: ArrayLike<number>,
  profit: ArrayLike<number>,
  splitTime: number,
): { train: Float64Array; test: Float64Array } {
  const n = profit.length;
  const train = new Float64Array(n).fill(Number.NaN);
  const test = new Float64Array(n).fill(Number.NaN);
  let sumTrain = 0;
  let sumTest = 0;
  for (let i = 0; i < n; i++) {
    const p = profit[i];
    if (time[i] < splitTime) {
      if (!Number.isNaN(p)) {
        sumTrain += p;
        train[i] = sumTrain;
      }
    } else if (!Number.isNaN(p)) {
      sumTest += p;
      test[i] = sumTest;
    }
  }
  return { train, test };
}
