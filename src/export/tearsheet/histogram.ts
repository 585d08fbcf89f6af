// Equal-width bins over the finite values of one or more series (a shared range, so two series compare),
// optionally over the central quantiles only, the tails counted in the end bins (a 2008 crash day would
// otherwise squeeze every ordinary day into a few bins).

export interface Histogram {
  /** Bin edges, bins + 1 of them. */
  edges: number[];
  /** counts[series][bin]. */
  counts: number[][];
}

/**
 * @example histogram([returns, benchmark], 40, 0.005).counts[0] // the strategy's counts per bin
 */
export function histogram(series: readonly ArrayLike<number>[], bins: number, tail = 0): Histogram {
  const all: number[] = [];
  for (const s of series) for (let i = 0; i < s.length; i++) if (Number.isFinite(s[i])) all.push(s[i]);
  if (all.length === 0) return { edges: [], counts: series.map(() => []) };
  all.sort((a, b) => a - b);
  // Nearest-rank quantiles `tail` and 1 - `tail` of every value pooled.
  const at = (q: number) => all[Math.min(all.length - 1, Math.max(0, Math.round(q * (all.length - 1))))];
  const lo = at(tail);
  let hi = at(1 - tail);
  if (hi === lo) hi = lo + 1e-9;
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => lo + k * width);
  const counts = series.map((s) => {
    const c = new Array<number>(bins).fill(0);
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (Number.isFinite(v)) c[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]++;
    }
    return c;
  });
  return { edges, counts };
}
