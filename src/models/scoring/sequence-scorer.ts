// A loaded sequence model as a scorer: prices in (oldest first), one output row per full window out, decoded by
// the model's family (per-horizon prices for lstm, class and probabilities for the classifiers).

import { DataError } from "../../core/errors.js";
import type { Tf } from "../sequence/backend.js";
import type { MatMulEngine } from "../sequence/matmul-engine.js";
import type { LoadedSequenceModel } from "../sequence/sequence-artifact.js";
import { sequenceFamily } from "../sequence/sequence-family.js";
import { applySeriesTransform } from "../sequence/series-transform.js";
import { windowOutputs } from "../sequence/window-forecasts.js";
import type { SequenceScorer } from "./model-scorer.js";

/**
 * @example
 * const scorer = sequenceScorer(await loadSequenceModel(folder, null), null, simdEngine());
 * scorer.forecast(lastPrices).at(-1); // the forecast after the newest price
 */
export function sequenceScorer(
  loaded: LoadedSequenceModel,
  tf: Tf | null,
  engine: MatMulEngine,
): SequenceScorer {
  const { meta } = loaded;
  const family = sequenceFamily(meta.model);
  if (!family) throw new DataError(`${loaded.folder}: "${meta.model}" is not a sequence model`);
  const columns = family.columns(meta);
  return {
    kind: "sequence",
    model: meta.model,
    task: family.task,
    steps: meta.steps,
    horizon: meta.horizon,
    columns,
    forecast(prices, times) {
      const n = prices.length;
      if (n < meta.steps)
        throw new DataError(
          `${n} prices, the model needs windows of ${meta.steps}`,
          `send at least ${meta.steps}`,
        );
      if (times !== undefined && times.length !== n)
        throw new DataError(`${times.length} dates for ${n} prices`, "send one date per price, or none");
      // Undated prices are taken as the bars right after the training data (only a detrend reads the dates).
      const t = Float64Array.from(
        { length: n },
        (_, i) => times?.[i] ?? meta.lastTime + (i + 1) * meta.stepMs,
      );
      const series = meta.transform
        ? applySeriesTransform(meta.transform, t, prices)
        : Float64Array.from(prices);
      const ends = Array.from({ length: n - meta.steps + 1 }, (_, i) => i + meta.steps - 1);
      const out = windowOutputs(loaded, tf, engine, series, ends);
      return ends.map((e, i) =>
        family.decode(meta, out, i, (k) => (e + 1 + k < n ? t[e + 1 + k] : t[e] + (k + 1) * meta.stepMs)),
      );
    },
  };
}
