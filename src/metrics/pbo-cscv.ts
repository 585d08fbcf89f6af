// The probability of backtest overfitting by combinatorially symmetric cross-validation (Bailey, Borwein,
// López de Prado & Zhu, "The Probability of Backtest Overfitting", 2015): split the trials' returns into S
// blocks of time, and for every choice of half the blocks as in-sample, ask where the in-sample best trial ranks
// out of sample. PBO is the share of splits where it lands at or below the median.

export interface PboResult {
  /** Share of the splits whose in-sample best trial has a non-positive logit out of sample. */
  pbo: number;
  /** Splits evaluated: C(S, S/2). */
  splits: number;
  /** S, the number of time blocks. */
  blocks: number;
  /** The logit λ = ln(ω / (1 − ω)) of each split, ω the OOS relative rank of the IS best. */
  logits: number[];
}

/** Per-period Sharpe (mean / sd, ddof 1) of one trial over the rows of the chosen blocks; sd 0 gives 0. */
function blockSharpe(series: Float64Array, ranges: readonly [number, number][]): number {
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (const [start, end] of ranges)
    for (let i = start; i < end; i++) {
      n++;
      sum += series[i];
      sq += series[i] * series[i];
    }
  if (n < 2) return 0;
  const mean = sum / n;
  const variance = (sq - n * mean * mean) / (n - 1);
  return variance > 1e-30 ? mean / Math.sqrt(variance) : 0;
}

/** Every way to choose k of 0..n-1, in lexicographic order (itertools.combinations). */
function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick: number[] = [];
  const walk = (from: number) => {
    if (pick.length === k) {
      out.push([...pick]);
      return;
    }
    for (let i = from; i <= n - (k - pick.length); i++) {
      pick.push(i);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return out;
}

/**
 * PBO of N trials whose per-period returns are `trials[n]` (all the same length T, aligned in time). Rows are cut
 * into `blocks` (even) contiguous blocks of ⌊T/S⌋ rows (the last rows that do not fill a block are dropped, as in
 * the paper's equal-size submatrices). The IS best is the first trial with the highest IS Sharpe; its OOS rank
 * among the N trials is the average rank under ties (scipy.stats.rankdata), ω = rank / (N + 1).
 * @example probabilityOfBacktestOverfitting([returnsA, returnsB, returnsC], 8).pbo
 */
export function probabilityOfBacktestOverfitting(trials: readonly Float64Array[], blocks = 16): PboResult {
  const n = trials.length;
  if (n < 2) throw new RangeError("PBO needs at least 2 trials");
  if (blocks < 2 || blocks % 2 !== 0)
    throw new RangeError(`PBO needs an even number of blocks, got ${blocks}`);
  const rows = trials[0].length;
  for (const t of trials)
    if (t.length !== rows) throw new RangeError("PBO: every trial needs the same length");
  const size = Math.floor(rows / blocks);
  if (size < 2) throw new RangeError(`PBO: ${rows} rows are too few for ${blocks} blocks`);
  const ranges: [number, number][] = Array.from({ length: blocks }, (_, b) => [b * size, (b + 1) * size]);
  const logits: number[] = [];
  let overfit = 0;
  for (const inSample of combinations(blocks, blocks / 2)) {
    const chosen = new Set(inSample);
    const isRanges = ranges.filter((_, b) => chosen.has(b));
    const oosRanges = ranges.filter((_, b) => !chosen.has(b));
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const s = blockSharpe(trials[k], isRanges);
      if (s > bestScore) {
        bestScore = s;
        best = k;
      }
    }
    const oos = trials.map((t) => blockSharpe(t, oosRanges));
    let below = 0;
    let equal = 0;
    for (const v of oos) {
      if (v < oos[best]) below++;
      else if (v === oos[best]) equal++;
    }
    // Average rank of the IS best among the OOS scores (1 = worst, N = best), ties sharing their mean rank.
    const rank = below + (equal + 1) / 2;
    const omega = rank / (n + 1);
    const logit = Math.log(omega / (1 - omega));
    logits.push(logit);
    if (logit <= 0) overfit++;
  }
  return { pbo: overfit / logits.length, splits: logits.length, blocks, logits };
}
