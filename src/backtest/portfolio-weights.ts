// Target weights of the tickers a rebalance holds: equal, or proportional to the score, each capped at
// max-weight; what a cap cuts off stays in cash (it is not handed to the other holdings).

export type WeightScheme = "equal" | "score";

/**
 * Weights (fractions of equity) for `selected`, in the same order. Score weights use each ticker's score on
 * `day` (negative scores count as 0); when the scores sum to 0 the weights are equal.
 * @example targetWeights([0, 1], score, 0, 1, "equal", 0.4) // Float64Array [0.4, 0.4]
 */
export function targetWeights(
  selected: readonly number[],
  score: Float64Array,
  day: number,
  days: number,
  scheme: WeightScheme,
  maxWeight: number,
): Float64Array {
  const m = selected.length;
  const weights = new Float64Array(m);
  if (m === 0) return weights;
  let total = 0;
  if (scheme === "score") for (const t of selected) total += Math.max(0, score[t * days + day]);
  for (let j = 0; j < m; j++) {
    const raw =
      scheme === "score" && total > 0 ? Math.max(0, score[selected[j] * days + day]) / total : 1 / m;
    weights[j] = Math.min(raw, maxWeight);
  }
  return weights;
}
