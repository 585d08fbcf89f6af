// Forecasts from every full window of a series, on the original price scale: the one routine behind both
// `tsml predict` and the trainer's test metrics, so the model artifact and `tsml evaluate` score equal numbers.

import { DataError } from "../../core/errors.js";
import type { Tf } from "./backend.js";
import { predictDenseWindow } from "./dense-window.js";
import type { FusedLstm } from "./fused-lstm.js";
import { predictWindows } from "./lstm-trainer.js";
import type { MatMulEngine } from "./matmul-engine.js";
import type { LoadedSequenceModel } from "./sequence-artifact.js";
import { invertSeriesTransform, type SeriesTransformState } from "./series-transform.js";

/**
 * Raw last-step outputs of the window ending at every row from `steps - 1` on, [rows, outputSize]. Always the
 * same batches for the same series, so the trainer and predict get bit-identical outputs.
 * @example const out = everyWindowOutputs(net, series, 30, engine); // (n - 29) * outputSize values
 */
export function everyWindowOutputs(
  net: FusedLstm,
  series: Float32Array,
  steps: number,
  engine: MatMulEngine,
): Float32Array {
  const starts = Uint32Array.from({ length: Math.max(0, series.length - steps + 1) }, (_, i) => i);
  return predictWindows(net, series, starts, steps, engine);
}

/**
 * Price-scale k-step forecasts: column k - 1 holds, for the window ending at row e = steps - 1 + i, the forecast
 * of the value k bars later, un-scaled at that bar's date (past the last row: `stepMs` apart, which only
 * matters with a detrend).
 * @example const [oneStep] = priceForecasts(out, transform, time, 30, 1, DAY);
 */
export function priceForecasts(
  out: Float32Array,
  transform: SeriesTransformState,
  time: Float64Array,
  steps: number,
  horizon: number,
  stepMs: number,
): Float64Array[] {
  const rows = Math.max(0, time.length - steps + 1);
  return Array.from({ length: horizon }, (_, k) => {
    const column = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const e = steps - 1 + i;
      const at = e + 1 + k < time.length ? time[e + 1 + k] : time[e] + (k + 1) * stepMs;
      column[i] = invertSeriesTransform(transform, at, out[i * horizon + k]);
    }
    return column;
  });
}

/**
 * Raw network outputs of the windows ending at `ends` (rows of `series`, already on the model scale), in order:
 * the fused LSTM on `engine`, a dense-window network on `tf`.
 * @example const out = windowOutputs(loaded, null, jsEngine, series, [series.length - 1]);
 */
export function windowOutputs(
  loaded: LoadedSequenceModel,
  tf: Tf | null,
  engine: MatMulEngine,
  series: Float32Array | Float64Array,
  ends: readonly number[],
): Float32Array {
  const { steps } = loaded.meta;
  if (loaded.lstm) {
    const starts = ends.map((e) => e - steps + 1);
    return predictWindows(loaded.lstm, Float32Array.from(series), starts, steps, engine);
  }
  if (!tf || !loaded.layers) throw new DataError(`${loaded.meta.model}: scoring needs TensorFlow.js`);
  return predictDenseWindow(tf, loaded.layers, series, ends, steps);
}
