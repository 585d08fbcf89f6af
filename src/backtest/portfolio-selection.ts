// Which tickers a rebalance holds: the top k by score among the tickers with a score that day, optionally
// replacing at most n of the current holdings (qlib's TopkDropoutStrategy, qlib/contrib/strategy/signal_strategy.py).

/**
 * Descending score, ties broken by the ticker's position in the universe (the lower index first), so a tie
 * always resolves the same way.
 */
function byScore(score: Float64Array, base: (t: number) => number) {
  return (a: number, b: number) => score[base(b)] - score[base(a)] || a - b;
}

/**
 * The tickers to hold after the rebalance decided on calendar day `day`, best first.
 * `candidates`: tickers with a score and a close that day. `held`: tickers held now (a held ticker that is not
 * a candidate cannot be ranked and is always dropped). `nDrop` = Infinity: the top k, replacing freely; a
 * finite nDrop follows TopkDropout: the `nDrop + k - |held|` best non-held candidates are considered, the
 * nDrop lowest-ranked of held + considered are the ones to sell if held, and as many of the considered are
 * bought as keep k held.
 * @example selectHoldings([0, 1, 2], [], score, 0, 3, 2, Infinity) // the two best of 0, 1, 2
 */
export function selectHoldings(
  candidates: readonly number[],
  held: readonly number[],
  score: Float64Array,
  day: number,
  days: number,
  k: number,
  nDrop: number,
): number[] {
  const compare = byScore(score, (t) => t * days + day);
  const ranked = [...candidates].sort(compare);
  if (!Number.isFinite(nDrop)) return ranked.slice(0, k);
  const isCandidate = new Set(candidates);
  const last = held.filter((t) => isCandidate.has(t)).sort(compare);
  const heldSet = new Set(last);
  const today = ranked.filter((t) => !heldSet.has(t)).slice(0, Math.max(0, nDrop + k - last.length));
  const comb = [...last, ...today].sort(compare);
  const dropped = new Set(comb.slice(Math.max(0, comb.length - nDrop)));
  const sell = last.filter((t) => dropped.has(t));
  const buy = today.slice(0, Math.max(0, sell.length + k - last.length));
  const sold = new Set(sell);
  return [...last.filter((t) => !sold.has(t)), ...buy].sort(compare);
}
