// The deepest drawdown periods of a wealth curve, as quantstats' drawdown table lists them: from the peak the
// curve fell from, through its trough, to the first close back at that peak (or still under water at the end).

export interface DrawdownPeriod {
  /** Row index of the peak (the last close at the high before the fall; -1 = the window's starting equity). */
  peak: number;
  trough: number;
  /** First row back at or above the peak; null while still under water at the window's end. */
  recovery: number | null;
  /** Depth as a positive fraction: 1 - trough / peak. */
  depth: number;
  /** Bars from the peak to the recovery (to the last row when not recovered). */
  bars: number;
}

/**
 * Every drawdown period of `wealth` (a curve starting at 1 before row 0), deepest first, the first `count`.
 * @example worstDrawdowns(wealthIndex(returns), 5)[0].depth // the maximum drawdown
 */
export function worstDrawdowns(wealth: ArrayLike<number>, count = 5): DrawdownPeriod[] {
  const periods: DrawdownPeriod[] = [];
  let peakValue = 1;
  let peak = -1;
  let open: DrawdownPeriod | null = null;
  for (let i = 0; i < wealth.length; i++) {
    const w = wealth[i];
    if (w >= peakValue) {
      if (open) {
        open.recovery = i;
        open.bars = i - open.peak;
        periods.push(open);
        open = null;
      }
      peakValue = w;
      peak = i;
      continue;
    }
    const depth = 1 - w / peakValue;
    if (!open) open = { peak, trough: i, recovery: null, depth, bars: 0 };
    else if (depth > open.depth) {
      open.depth = depth;
      open.trough = i;
    }
  }
  if (open) {
    open.bars = wealth.length - 1 - open.peak;
    periods.push(open);
  }
  return periods.sort((a, b) => b.depth - a.depth || a.peak - b.peak).slice(0, count);
}
