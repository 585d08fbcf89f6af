// `tsml train --model lstm|lstm-clf|dense-window`: windows over one ticker's target series -> a sequence model
// folder models/<T>/<model>/ with test metrics on the original price scale.

import { join } from "node:path";
import { makeProvenance } from "../artifacts/provenance.js";
import { tickerFileName, WORKSPACE_DIRS } from "../artifacts/workspace.js";
import { DataError, UsageError } from "../core/errors.js";
import { integerFlag } from "../core/flags.js";
import {
  flattenHorizons,
  horizonJson,
  parseHorizonMetric,
  scoreForecastHorizons,
  testWindowRows,
} from "../evaluate/forecast-horizons.js";
import { classificationMetrics } from "../evaluate/metric-sets.js";
import { isoDateOrTime, parseDateFlag, requireSplitInside } from "../frame/dates.js";
import { accuracy, classificationMetricSet, classificationReport } from "../metrics/classification.js";
import { loadBackend, parseBackend } from "../models/sequence/backend.js";
import {
  buildDenseWindowModel,
  predictDenseWindow,
  trainDenseWindow,
} from "../models/sequence/dense-window.js";
import { trainLstm } from "../models/sequence/lstm-trainer.js";
import { lstmEngine } from "../models/sequence/matmul-engine.js";
import { type SequenceModelMeta, saveSequenceModel } from "../models/sequence/sequence-artifact.js";
import { sequenceFamily } from "../models/sequence/sequence-family.js";
import { resolveSequenceParams } from "../models/sequence/sequence-params.js";
import {
  applySeriesTransform,
  fitSeriesTransform,
  medianStepMs,
} from "../models/sequence/series-transform.js";
import { everyWindowOutputs, priceForecasts } from "../models/sequence/window-forecasts.js";
import type { RunContext } from "./run-context.js";
import { readSequenceInput, sequenceInputPath } from "./sequence-input.js";
import { emptyShard, ownsShardTicker } from "./shard-tickers.js";

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
  /** `--param k=v` pairs: the same parameters as the flags above (see models/sequence/sequence-params.ts). */
  param?: string[];
  /** Threads for the LSTM's batch shards (default: the core count); the trained network does not depend on it. */
  jobs?: string;
}

/** Train flags of the tabular families (commander names), refused here instead of silently ignored. */
const TABULAR_ONLY_FLAGS = [
  "features",
  "tune",
  "grid",
  "cv",
  "splits",
  "purge",
  "embargo",
  "window",
  "scoring",
  "classWeight",
  "jobs",
  "repeats",
];

/** Rows strictly before the split date (default: the first 80%); the split must fall inside the data. */
function trainRowCount(time: Float64Array, splitDate: string | undefined, ticker: string): number {
  if (!splitDate) return Math.floor(time.length * 0.8);
  const ms = parseDateFlag(splitDate, "--split-date");
  requireSplitInside(time, ms, "--split-date", ticker);
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
  const family = sequenceFamily(options.model);
  if (!family) throw new UsageError(`--model ${options.model}: not a sequence model`);
  const model = family.name;
  const given = { ...options } as Record<string, unknown>;
  // The fused LSTM shards its batches over --jobs threads.
  for (const flag of TABULAR_ONLY_FLAGS)
    if (given[flag] !== undefined && !(flag === "jobs" && family.format === "tsml-fused-lstm"))
      throw new UsageError(
        `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} applies to tabular models, not ${model}`,
      );
  // Flags and --param checked against the model's schema before any data is read.
  const p = resolveSequenceParams(model, given, options.param ?? []);
  const seed = ctx.seed ?? 0;
  const inputPath = sequenceInputPath(ctx.workspace, options.input, options.ticker);
  // One ticker per sequence model: with --shard, another shard's ticker is that shard's to train.
  if (options.ticker && !ownsShardTicker(ctx, options.ticker)) return emptyShard(ctx, `train ${model}`);
  const input = await readSequenceInput(inputPath, options.ticker, options.target, ctx.workspace);
  if (!ownsShardTicker(ctx, input.ticker)) return emptyShard(ctx, `train ${model}`);
  const { time, values } = input;
  const trainRows = trainRowCount(time, options.splitDate, input.ticker);
  // The split as a date (the first test bar by default): the test-window rule of evaluate/forecast-horizons.ts.
  const splitMs = options.splitDate
    ? parseDateFlag(options.splitDate, "--split-date")
    : trainRows < time.length
      ? time[trainRows]
      : Number.POSITIVE_INFINITY;
  const dense = family.format === "tfjs-layers";
  const steps = p.steps as number;
  const horizon = family.horizon(p);
  if (trainRows < steps + horizon + 1)
    throw new DataError(
      `${inputPath}: ${trainRows} training rows before the split, need more than ${steps + horizon}`,
      "move --split-date later or lower --steps",
    );
  const detrend = dense ? "none" : (p.detrend as "none" | "linear");
  const loaded = await loadBackend(parseBackend(options.backend));
  const bar = ctx.progress(1, `train ${model} ${input.ticker}`);
  const started = performance.now();
  const testEnds: number[] = [];
  const firstEnd = Math.max(trainRows - 1, steps - 1);
  const lastEnd = family.lastScoredEnd(time.length, horizon);
  for (let e = firstEnd; e <= lastEnd; e++) testEnds.push(e);
  let testRows = testEnds.length;
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
      layers: p.layers as number,
      units: p.units as number,
      lr: p.lr as number,
      batch: p.batch as number,
      iterations: p.iterations as number,
      epochs: p.epochs as number | null,
      validation: p.validation as number,
      patience: p.patience as number,
      seed,
      detrend,
    };
    params = lstmParams;
    transform = fitSeriesTransform(time, values, trainRows, detrend === "linear");
    const series = applySeriesTransform(transform, time, values);
    const classification = family.task === "classification";
    if (classification && options.label && !input.frame.has(options.label))
      throw new DataError(
        `${inputPath}: no label column "${options.label}"`,
        "run tsml features --labels up_down_tm",
      );
    label = classification ? (options.label ?? null) : null;
    const labels = classification ? upDownLabels(values, label ? input.frame.get(label) : null) : undefined;
    const jobs = integerFlag(options.jobs, "--jobs", { min: 1 });
    const engine = lstmEngine(loaded, jobs);
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
    // Every window in the batches tsml predict uses, so these test metrics are the numbers evaluate gets from
    // its predictions; the rows are those of the shared test-window rule (evaluate/forecast-horizons.ts).
    const out = everyWindowOutputs(net, series, steps, engine);
    const first = steps - 1;
    const rowTime = time.subarray(first);
    const later = (h: number) =>
      Float64Array.from(rowTime, (_, i) =>
        first + i + h < values.length ? values[first + i + h] : Number.NaN,
      );
    const nextTime = Float64Array.from(rowTime, (_, i) =>
      first + i + 1 < time.length ? time[first + i + 1] : Number.NaN,
    );
    if (classification) {
      classes = [0, 1];
      const proba = Float64Array.from(out, (v) => 1 / (1 + Math.exp(-v)));
      const pred = Float64Array.from(proba, (p) => (p >= 0.5 ? 1 : 0));
      const truth = (labels as Float64Array).subarray(first);
      const rows = testWindowRows(nextTime, [truth, pred, proba], { from: splitMs });
      const pick = (c: Float64Array) => Float64Array.from(rows, (i) => c[i]);
      metrics = classificationMetrics(pick(truth), pick(pred), pick(proba));
      testRows = rows.length;
    } else {
      const predictions = priceForecasts(
        out,
        transform as NonNullable<typeof transform>,
        time,
        steps,
        horizon,
        medianStepMs(time),
      );
      const horizons = scoreForecastHorizons(
        {
          time: rowTime,
          nextTime,
          origin: later(0),
          predictions,
          actuals: predictions.map((_, k) => later(k + 1)),
        },
        { from: splitMs },
      );
      metrics = { ...flattenHorizons(horizons), horizons: horizons.map(horizonJson) };
      testRows = horizons[0].metrics.rows;
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
      units: p.units as number,
      dropout: p.dropout as number,
      lr: p.lr as number,
      batch: p.batch as number,
      epochs: p.epochs as number,
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
        ? {
            ...classificationMetricSet(
              classificationReport(
                truth,
                predicted,
                Array.from(truth, (_, i) => proba[i * 2 + 1]),
              ),
            ),
          }
        : { rows: truth.length, accuracy: accuracy(truth, predicted) };
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
    format: family.format,
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
    splitDate: Number.isFinite(splitMs) ? isoDateOrTime(splitMs) : null,
    split: { trainRows, testRows },
    metrics: { test: metrics },
    training: { ...training, seconds },
  };
  const path = await saveSequenceModel(folder, provenance, meta, saveWith);
  const headline = Object.entries(metrics)
    .filter(([k, v]) => {
      // k-step forecasts: the first and the last horizon.
      const perHorizon = parseHorizonMetric(k);
      if (perHorizon && perHorizon.h !== 1 && perHorizon.h !== horizon) return false;
      const name = perHorizon?.metric ?? k;
      return (
        typeof v === "number" &&
        ["rmse", "mae", "smape", "directional_accuracy", "accuracy", "roc_auc"].includes(name)
      );
    })
    .map(([k, v]) => `${k} ${(v as number).toFixed(4)}`)
    .join(", ");
  ctx.print(
    `${model} ${input.ticker} (${loaded.name}): ${trainRows} train rows, ${testRows} test windows, ` +
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
