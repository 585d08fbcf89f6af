// `tsml train --model lstm|lstm-clf|dense-window`: windows over one ticker's target series -> a sequence model
// folder models/<T>/<model>/ with test metrics on the original price scale.

import { join } from "node:path";
import { makeProvenance } from "../artifacts/provenance.js";
import { tickerFileName, WORKSPACE_DIRS } from "../artifacts/workspace.js";
import { DataError, UsageError } from "../core/errors.js";
import { classificationReport } from "../metrics/classification.js";
import { regressionReport, symmetricMape } from "../metrics/regression.js";
import { loadBackend, parseBackend } from "../models/sequence/backend.js";
import {
  buildDenseWindowModel,
  predictDenseWindow,
  trainDenseWindow,
} from "../models/sequence/dense-window.js";
import { predictWindows, trainLstm } from "../models/sequence/lstm-trainer.js";
import { tfEngine } from "../models/sequence/matmul-engine.js";
import {
  isSequenceModel,
  type SequenceModelMeta,
  saveSequenceModel,
} from "../models/sequence/sequence-artifact.js";

export { isSequenceModel };

import {
  applySeriesTransform,
  fitSeriesTransform,
  invertSeriesTransform,
  medianStepMs,
} from "../models/sequence/series-transform.js";
import type { RunContext } from "./run-context.js";
import { readSequenceInput, sequenceInputPath } from "./sequence-input.js";

export interface TrainSequenceOptions {
  model: string;
  input?: string;
  ticker?: string;
  target?: string;
  label?: string;
  splitDate?: string;
  output?: string;
  steps?: string | number;
  layers?: string | number;
  units?: string | number;
  lr?: string | number;
  batch?: string | number;
  iterations?: string | number;
  epochs?: string | number;
  horizon?: string | number;
  detrend?: string;
  backend?: string;
  validation?: string | number;
  patience?: string | number;
}

function num(name: string, value: string | number | undefined, fallback: number, integer = true): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  if (!Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v)))
    throw new UsageError(
      `--${name} ${value}: expected a ${integer ? "non-negative integer" : "non-negative number"}`,
    );
  return v;
}

/** Rows strictly before the split date (default: the first 80%). */
function trainRowCount(time: Float64Array, splitDate: string | undefined): number {
  if (!splitDate) return Math.floor(time.length * 0.8);
  const ms = Date.parse(`${splitDate}${splitDate.length === 10 ? "T00:00:00Z" : ""}`);
  if (Number.isNaN(ms)) throw new UsageError(`--split-date ${splitDate}: not a date`, "use YYYY-MM-DD");
  let n = 0;
  while (n < time.length && time[n] < ms) n++;
  return n;
}

/** Up/down labels per row: a label column (> 0 is up), or whether the next target value is higher. */
function upDownLabels(values: Float64Array, column: Float64Array | null): Float64Array {
  if (column) return Float64Array.from(column, (v) => (Number.isFinite(v) ? (v > 0 ? 1 : 0) : Number.NaN));
  return Float64Array.from(values, (v, i) =>
    i + 1 < values.length ? (values[i + 1] > v ? 1 : 0) : Number.NaN,
  );
}

/**
 * Trains one sequence model and writes its folder.
 * @example
 * await trainSequence({ model: "lstm", ticker: "SPX", iterations: 200, splitDate: "2015-01-01" }, ctx);
 */
export async function trainSequence(options: TrainSequenceOptions, ctx: RunContext) {
  if (!isSequenceModel(options.model)) throw new UsageError(`--model ${options.model}: not a sequence model`);
  const model = options.model;
  const seed = ctx.seed ?? 0;
  const inputPath = sequenceInputPath(ctx.workspace, options.input, options.ticker);
  const input = await readSequenceInput(inputPath, options.ticker, options.target, ctx.workspace);
  const { time, values } = input;
  const trainRows = trainRowCount(time, options.splitDate);
  const dense = model === "dense-window";
  const steps = num("steps", options.steps, dense ? 50 : 30);
  const horizon = model === "lstm" ? num("horizon", options.horizon, 1) : 1;
  if (steps < 1 || horizon < 1) throw new UsageError("--steps and --horizon must be at least 1");
  if (trainRows < steps + horizon + 1)
    throw new DataError(
      `${inputPath}: ${trainRows} training rows before the split, need more than ${steps + horizon}`,
      "move --split-date later or lower --steps",
    );
  const detrend = options.detrend ?? "none";
  if (detrend !== "none" && detrend !== "linear")
    throw new UsageError(`--detrend ${detrend}: use none or linear`);
  const loaded = await loadBackend(parseBackend(options.backend));
  const bar = ctx.progress(1, `train ${model} ${input.ticker}`);
  const started = performance.now();
  const testEnds: number[] = [];
  const firstEnd = Math.max(trainRows - 1, steps - 1);
  const lastEnd =
    model === "lstm" ? time.length - 1 - horizon : model === "lstm-clf" ? time.length - 2 : time.length - 1;
  for (let e = firstEnd; e <= lastEnd; e++) testEnds.push(e);
  let params: Record<string, unknown>;
  let metrics: Record<string, unknown>;
  let training: Record<string, unknown>;
  let transform: SequenceModelMeta["transform"] = null;
  let classes: number[] = [];
  let saveWith: Parameters<typeof saveSequenceModel>[3];
  let label: string | null = null;
  let shape: SequenceModelMeta["shape"] = null;

  if (!dense) {
    const lstmParams = {
      steps,
      horizon,
      layers: num("layers", options.layers, 3),
      units: num("units", options.units, 100),
      lr: num("lr", options.lr, 0.001, false),
      batch: num("batch", options.batch, 100),
      iterations: num("iterations", options.iterations, 1500),
      epochs: options.epochs === undefined ? null : num("epochs", options.epochs, 1),
      validation: num("validation", options.validation, 0.1, false),
      patience: num("patience", options.patience, 5),
      seed,
      detrend,
    };
    params = lstmParams;
    transform = fitSeriesTransform(time, values, trainRows, detrend === "linear");
    const series = applySeriesTransform(transform, time, values);
    const classification = model === "lstm-clf";
    if (classification && options.label && !input.frame.has(options.label))
      throw new DataError(
        `${inputPath}: no label column "${options.label}"`,
        "run tsml features --labels up_down_tm",
      );
    label = classification ? (options.label ?? null) : null;
    const labels = classification ? upDownLabels(values, label ? input.frame.get(label) : null) : undefined;
    const engine = tfEngine(loaded);
    const total = lstmParams.epochs ?? lstmParams.iterations;
    const stepBar = ctx.progress(total, `train ${model} ${input.ticker}`);
    let lastEpoch = 0;
    const { net, report } = trainLstm(
      { kind: classification ? "classification" : "regression", series, trainRows, labels },
      lstmParams,
      engine,
      (step, all, loss) => {
        if (lstmParams.epochs === null) stepBar.tick(`loss ${loss.toFixed(5)}`);
        else if (Math.floor((step * lstmParams.epochs) / all) > lastEpoch) {
          lastEpoch = Math.floor((step * lstmParams.epochs) / all);
          stepBar.tick(`epoch ${lastEpoch} loss ${loss.toFixed(5)}`);
        }
      },
    );
    stepBar.done();
    shape = net.shape;
    training = { ...report };
    const starts = testEnds.map((e) => e - steps + 1);
    const out = predictWindows(net, series, starts, steps, engine);
    if (classification) {
      classes = [0, 1];
      const yTrue = testEnds.map((e) => (labels as Float64Array)[e]);
      const keep = yTrue.map((v) => Number.isFinite(v));
      const proba = Array.from(out, (v) => 1 / (1 + Math.exp(-v))).filter((_, i) => keep[i]);
      const truth = yTrue.filter((_, i) => keep[i]);
      metrics = classificationReport(
        truth,
        proba.map((p) => (p >= 0.5 ? 1 : 0)),
        proba,
      ) as unknown as Record<string, unknown>;
    } else {
      const actual = new Float64Array(testEnds.length);
      const predicted = new Float64Array(testEnds.length);
      const perStep: number[] = [];
      for (let k = 0; k < horizon; k++) {
        const a = testEnds.map((e) => values[e + 1 + k]);
        const p = testEnds.map((e, i) =>
          invertSeriesTransform(
            transform as NonNullable<typeof transform>,
            time[e + 1 + k],
            out[i * horizon + k],
          ),
        );
        if (k === 0) {
          actual.set(a);
          predicted.set(p);
        }
        perStep.push(symmetricMape(a, p));
      }
      metrics = { ...regressionReport(actual, predicted), smapeByHorizon: perStep };
    }
    saveWith = { lstm: net };
  } else {
    const column = options.label ?? "optimal_position";
    if (!input.frame.has(column))
      throw new DataError(
        `${inputPath}: no label column "${column}"`,
        "run tsml features --labels optimal_position, or pass --label COL",
      );
    label = column;
    const labelValues = input.frame.get(column);
    classes = [...new Set(Array.from(labelValues).filter(Number.isFinite))].sort((a, b) => a - b);
    if (classes.length < 2) throw new DataError(`${inputPath}: label ${column} has fewer than two classes`);
    const denseParams = {
      steps,
      units: num("units", options.units, 1024),
      dropout: 0.2,
      lr: num("lr", options.lr, 0.001, false),
      batch: num("batch", options.batch, 100),
      epochs: num("epochs", options.epochs, 10),
      seed,
    };
    params = denseParams;
    const classIndex = new Map(classes.map((c, i) => [c, i]));
    const trainEnds = Uint32Array.from(
      { length: Math.max(0, trainRows - steps + 1) },
      (_, i) => i + steps - 1,
    ).filter((e) => Number.isFinite(labelValues[e]));
    const targets = Float32Array.from(trainEnds, (e) => classIndex.get(labelValues[e]) as number);
    const net = buildDenseWindowModel(loaded.tf, denseParams, classes.length);
    const epochBar = ctx.progress(denseParams.epochs, `train ${model} ${input.ticker}`);
    const losses = await trainDenseWindow(
      loaded.tf,
      net,
      values,
      trainEnds,
      targets,
      denseParams,
      (e, loss) => epochBar.tick(`epoch ${e} loss ${loss.toFixed(5)}`),
    );
    epochBar.done();
    training = { epochs: denseParams.epochs, losses, finalLoss: losses[losses.length - 1] };
    const ends = testEnds.filter((e) => Number.isFinite(labelValues[e]));
    const proba = predictDenseWindow(loaded.tf, net, values, ends, steps);
    const truth = ends.map((e) => classIndex.get(labelValues[e]) as number);
    const predicted = truth.map((_, i) => {
      let best = 0;
      for (let c = 1; c < classes.length; c++)
        if (proba[i * classes.length + c] > proba[i * classes.length + best]) best = c;
      return best;
    });
    metrics =
      classes.length === 2
        ? (classificationReport(
            truth,
            predicted,
            Array.from(truth, (_, i) => proba[i * 2 + 1]),
          ) as unknown as Record<string, unknown>)
        : {
            rows: truth.length,
            accuracy: truth.filter((t, i) => t === predicted[i]).length / Math.max(1, truth.length),
          };
    saveWith = { layers: net, tf: loaded.tf };
  }
  bar.done();
  const seconds = (performance.now() - started) / 1000;
  const folder =
    options.output ?? join(ctx.workspace, WORKSPACE_DIRS.models, tickerFileName(input.ticker), model);
  const provenance = await makeProvenance({
    command: ctx.commandLine,
    options: { ...options },
    seed,
    inputs: input.path === "-" ? [] : [input.path],
  });
  const meta: SequenceModelMeta = {
    model,
    format: dense ? "tfjs-layers" : "tsml-fused-lstm",
    backend: loaded.name,
    ticker: input.ticker,
    target: input.target,
    label,
    params,
    steps,
    horizon,
    transform,
    shape,
    classes,
    lastTime: time[time.length - 1],
    stepMs: medianStepMs(time),
    split: { splitDate: options.splitDate ?? null, trainRows, testRows: testEnds.length },
    metrics,
    training: { ...training, seconds },
  };
  const path = await saveSequenceModel(folder, provenance, meta, saveWith);
  const headline = Object.entries(metrics)
    .filter(
      ([k, v]) =>
        typeof v === "number" &&
        ["rmse", "mae", "smape", "directionalAccuracy", "accuracy", "rocAuc"].includes(k),
    )
    .map(([k, v]) => `${k} ${(v as number).toFixed(4)}`)
    .join(", ");
  ctx.print(
    `${model} ${input.ticker} (${loaded.name}): ${trainRows} train rows, ${testEnds.length} test windows, ` +
      `${seconds.toFixed(1)}s; test ${headline} -> ${folder}`,
  );
  return {
    model,
    ticker: input.ticker,
    backend: loaded.name,
    folder,
    path,
    metrics,
    training: meta.training,
  };
}
