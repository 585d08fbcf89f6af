// Forward-looking label optimal_position (seed 002): the hindsight-best long/short/flat path, by dynamic programming.

import type { FeatureBlock } from "../feature-block.js";

/**
 * Positions q[t] in {-1, 0, +1} held from t to t+1 earn q[t] ln(close[t+1]/close[t]) and pay `cost` per unit
 * of position change |q[t] - q[t-1]| (starting flat). Backward induction over the 3 states maximises the total;
 * the forward pass reads the best path. The last row is NaN (no next return). The label depends on the whole
 * future path; its recorded horizon is 1 (the return it earns), so purge generously when cost is large.
 * @example optimalPositionLabel(close, 0.001)
 */
export function optimalPositionLabel(close: Float64Array, cost = 0.001): FeatureBlock {
  const n = close.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const steps = n - 1;
  if (steps >= 1) {
    // value[t*3 + s]: best total from t onward when the previous position is s-1.
    const value = new Float64Array((steps + 1) * 3);
    const choice = new Int8Array(steps * 3);
    for (let t = steps - 1; t >= 0; t--) {
      const r = Math.log(close[t + 1] / close[t]);
      const ret = Number.isFinite(r) ? r : 0;
      for (let s = 0; s < 3; s++) {
        let best = Number.NEGATIVE_INFINITY;
        let bestQ = 1;
        for (const q of [1, 0, 2]) {
          const v = (q - 1) * ret - cost * Math.abs(q - s) + value[(t + 1) * 3 + q];
          if (v > best) {
            best = v;
            bestQ = q;
          }
        }
        value[t * 3 + s] = best;
        choice[t * 3 + s] = bestQ;
      }
    }
    let s = 1;
    for (let t = 0; t < steps; t++) {
      s = choice[t * 3 + s];
      out[t] = s - 1;
    }
  }
  return {
    columns: new Map([["optimal_position", out]]),
    labels: [{ name: "optimal_position", horizon: 1, kind: "classification" }],
  };
}
