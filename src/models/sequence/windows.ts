// Window builders over a Float32Array series: seed 004's random sorted batches, time-major network input,
// shifted sequence targets, k-step targets, and per-window [0, 1] scaling (seed 002).

import { Random } from "../../core/random.js";

/**
 * Seed 004's make_training_sequences indices: `batch` distinct window starts from [0, count), drawn with a
 * generator seeded `seed + iteration`, sorted ascending.
 */
export function sampleWindowStarts(
  count: number,
  batch: number,
  seed: number,
  iteration: number,
): Uint32Array {
  return new Random(seed + iteration).sample(count, batch).sort();
}

/** Time-major input [steps, starts.length, 1]: x[t][b] = series[starts[b] + t]. */
export function timeMajorWindows(
  series: Float32Array,
  starts: ArrayLike<number>,
  steps: number,
): Float32Array {
  const batch = starts.length;
  const out = new Float32Array(steps * batch);
  for (let b = 0; b < batch; b++) {
    const s = starts[b];
    for (let t = 0; t < steps; t++) out[t * batch + b] = series[s + t];
  }
  return out;
}

/** Sequence targets shifted by one step, time-major like the input: y[t][b] = series[starts[b] + t + 1]. */
export function shiftedTargets(series: Float32Array, starts: ArrayLike<number>, steps: number): Float32Array {
  const batch = starts.length;
  const out = new Float32Array(steps * batch);
  for (let b = 0; b < batch; b++) {
    const s = starts[b] + 1;
    for (let t = 0; t < steps; t++) out[t * batch + b] = series[s + t];
  }
  return out;
}

/** The next `horizon` values after each window, [batch, horizon]: seed 003's 60-in, 5-out targets. */
export function horizonTargets(
  series: Float32Array,
  starts: ArrayLike<number>,
  steps: number,
  horizon: number,
): Float32Array {
  const out = new Float32Array(starts.length * horizon);
  for (let b = 0; b < starts.length; b++) {
    for (let k = 0; k < horizon; k++) out[b * horizon + k] = series[starts[b] + steps + k];
  }
  return out;
}

/** Row-major [starts.length, steps] windows, each min-max scaled to [0, 1] on its own values (seed 002). */
export function minMaxWindows(
  series: ArrayLike<number>,
  starts: ArrayLike<number>,
  steps: number,
): Float32Array {
  const out = new Float32Array(starts.length * steps);
  for (let b = 0; b < starts.length; b++) {
    const s = starts[b];
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let t = 0; t < steps; t++) {
      const v = series[s + t];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const range = hi - lo;
    for (let t = 0; t < steps; t++) out[b * steps + t] = range > 0 ? (series[s + t] - lo) / range : 0.5;
  }
  return out;
}
