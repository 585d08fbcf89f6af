// Growth of 1 invested and the drawdown below its running peak, compounded from bar returns (NaN counts as 0:
// the first close of a window has no return in it).

/** Wealth after each bar: the product of (1 + r) so far, starting from 1 before the first entry. */
export function wealthIndex(returns: ArrayLike<number>): Float64Array {
  const out = new Float64Array(returns.length);
  let w = 1;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i];
    if (Number.isFinite(r)) w *= 1 + r;
    out[i] = w;
  }
  return out;
}

/** Drawdown after each bar as a negative fraction (0 at a new high, -0.2 = 20% below the peak so far). */
export function underwater(wealth: ArrayLike<number>): Float64Array {
  const out = new Float64Array(wealth.length);
  let peak = 1;
  for (let i = 0; i < wealth.length; i++) {
    if (wealth[i] > peak) peak = wealth[i];
    out[i] = peak > 0 ? wealth[i] / peak - 1 : 0;
  }
  return out;
}
