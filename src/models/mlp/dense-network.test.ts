import { describe, expect, it } from "vitest";
import { Random } from "../../core/random.js";
import { initNetwork, networkGradients, predictNetwork, trainNetwork } from "./dense-network.js";

const rng = new Random(21);
const rows = 37;
const d = 5;
const X = Float64Array.from({ length: rows * d }, () => rng.normal());
const y = Float64Array.from({ length: rows }, (_, r) => (X[r * d] - X[r * d + 2] > 0 ? 1 : 0));
const weight = Float64Array.from({ length: rows }, (_, r) => 0.5 + (r % 3));

/** Mean weighted cross-entropy plus alpha/2 · ‖W‖² / rows, from predictions alone (a closed form). */
function loss(net: ReturnType<typeof initNetwork>, alpha: number): number {
  const p = predictNetwork(net, X, rows);
  let sum = 0;
  for (let r = 0; r < rows; r++) sum -= weight[r] * (y[r] === 1 ? Math.log(p[r]) : Math.log(1 - p[r]));
  let l2 = 0;
  for (const w of net.weights) for (const v of w) l2 += v * v;
  return sum / rows + (alpha / 2) * (l2 / rows);
}

describe.each(["relu", "tanh"] as const)("dense network (%s)", (activation) => {
  it("analytic gradients match central differences", () => {
    // 6 and 7 hidden units: not multiples of the SIMD kernel's 4 columns.
    const net = initNetwork({ inputs: d, hidden: [6, 7], activation }, new Random(3));
    for (const b of net.biases) for (let i = 0; i < b.length; i++) b[i] = 0.1 * rng.normal();
    const alpha = 0.3;
    const g = networkGradients(net, X, y, weight, alpha);
    const eps = 1e-6;
    let checked = 0;
    for (const [params, grads] of [
      [net.weights, g.weights],
      [net.biases, g.biases],
    ] as const)
      params.forEach((p, l) => {
        for (let i = 0; i < p.length; i++) {
          const saved = p[i];
          p[i] = saved + eps;
          const up = loss(net, alpha);
          p[i] = saved - eps;
          const down = loss(net, alpha);
          p[i] = saved;
          const numeric = (up - down) / (2 * eps);
          expect(Math.abs(numeric - grads[l][i])).toBeLessThan(1e-6 + 1e-5 * Math.abs(numeric));
          checked++;
        }
      });
    expect(checked).toBe(5 * 6 + 6 * 7 + 7 + 6 + 7 + 1);
  });

  it("predicts in chunks exactly as row by row, and trains repeatably for a seed", () => {
    const net = initNetwork({ inputs: d, hidden: [9], activation }, new Random(4));
    const settings = {
      solver: "adam" as const,
      learningRate: 0.01,
      alpha: 1e-4,
      batchSize: 8,
      epochs: 3,
      tol: 0,
      patience: 0,
      seed: 2,
    };
    const again = initNetwork({ inputs: d, hidden: [9], activation }, new Random(4));
    expect(trainNetwork(again, X, y, weight, settings)).toEqual(trainNetwork(net, X, y, weight, settings));
    expect(again.weights).toEqual(net.weights);
    const all = predictNetwork(net, X, rows);
    for (const r of [0, 17, 36]) expect(predictNetwork(net, X.subarray(r * d, r * d + d), 1)[0]).toBe(all[r]);
  });
});
