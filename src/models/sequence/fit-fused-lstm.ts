// `fit` of the fused-LSTM families (lstm forecasting values, lstm-clf classifying up/down): scale the series on
// the training rows, train, and return the outputs of every window for the test metrics.

import { DataError } from "../../core/errors.js";
import { trainLstm } from "./lstm-trainer.js";
import { lstmEngine } from "./matmul-engine.js";
import type { SequenceFit, SequenceFitInput } from "./sequence-fit.js";
import { applySeriesTransform, fitSeriesTransform } from "./series-transform.js";
import { everyWindowOutputs } from "./window-forecasts.js";

/** Up/down labels per row: a label column (> 0 is up), or whether the next target value is higher. */
function upDownLabels(values: Float64Array, column: Float64Array | null): Float64Array {
  if (column) return Float64Array.from(column, (v) => (Number.isFinite(v) ? (v > 0 ? 1 : 0) : Number.NaN));
  return Float64Array.from(values, (v, i) =>
    i + 1 < values.length ? (values[i + 1] > v ? 1 : 0) : Number.NaN,
  );
}

/**
 * @example const fit = await fitFusedLstm("regression", input); // fit.outputs.kind === "forecast"
 */
export async function fitFusedLstm(
  task: "regression" | "classification",
  input: SequenceFitInput,
): Promise<SequenceFit> {
  const p = input.params;
  const detrend = p.detrend as "none" | "linear";
  const params = {
    steps: p.steps as number,
    horizon: task === "classification" ? 1 : (p.horizon as number),
    layers: p.layers as number,
    units: p.units as number,
    lr: p.lr as number,
    batch: p.batch as number,
    iterations: p.iterations as number,
    epochs: p.epochs as number | null,
    validation: p.validation as number,
    patience: p.patience as number,
    seed: input.seed,
    detrend,
  };
  const transform = fitSeriesTransform(input.time, input.values, input.trainRows, detrend === "linear");
  const series = applySeriesTransform(transform, input.time, input.values);
  const classification = task === "classification";
  const labelColumn = classification && input.label ? input.column(input.label) : null;
  if (classification && input.label && !labelColumn)
    throw new DataError(
      `${input.source}: no label column "${input.label}"`,
      "run tsml features --labels up_down_tm",
    );
  const labels = classification ? upDownLabels(input.values, labelColumn) : undefined;
  const engine = lstmEngine(input.backend, input.jobs);
  const total = params.epochs ?? params.iterations;
  const bar = input.progress(total);
  let lastEpoch = 0;
  const { net, report } = trainLstm(
    { kind: task, series, trainRows: input.trainRows, labels },
    params,
    engine,
    (step, all, loss) => {
      if (params.epochs === null) bar.tick(`loss ${loss.toFixed(5)}`);
      else if (Math.floor((step * params.epochs) / all) > lastEpoch) {
        lastEpoch = Math.floor((step * params.epochs) / all);
        bar.tick(`epoch ${lastEpoch} loss ${loss.toFixed(5)}`);
      }
    },
  );
  bar.done();
  // Every window in the batches tsml predict uses, so the test metrics are the numbers evaluate gets from its
  // predictions.
  const out = everyWindowOutputs(net, series, params.steps, engine);
  return {
    params,
    training: { ...report },
    transform,
    shape: net.shape,
    classes: classification ? [0, 1] : [],
    label: classification ? (input.label ?? null) : null,
    weights: { lstm: net },
    outputs: classification
      ? { kind: "up-down", out, labels: labels as Float64Array }
      : { kind: "forecast", out },
  };
}
