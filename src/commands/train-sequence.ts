// `tsml train --model lstm|lstm-clf|dense-window`: windows over one ticker's target series -> a sequence model
// folder models/<T>/<model>/ with test metrics on the original price scale.

import { join } from "node:path";
import { makeProvenance } from "../artifacts/provenance.js";
import { tickerFileName, WORKSPACE_DIRS } from "../artifacts/workspace.js";
import { DataError, UsageError } from "../core/errors.js";
import { integerFlag, NO_SPLIT, splitDateFlag } from "../core/flags.js";
import {
  flattenHorizons,
  horizonJson,
  parseHorizonMetric,
  scoreForecastHorizons,
  testWindowRows,
} from "../evaluate/forecast-horizons.js";
import { classificationMetrics } from "../evaluate/metric-sets.js";
import { isoDateOrTime, requireSplitInside } from "../frame/dates.js";
import { DEFAULT_SPLIT_RULE, defaultTrainRows } from "../frame/default-split.js";
import { accuracy, classificationMetricSet, classificationReport } from "../metrics/classification.js";
import { loadBackend, parseBackend } from "../models/sequence/backend.js";
import { type SequenceModelMeta, saveSequenceModel } from "../models/sequence/sequence-artifact.js";
import { sequenceFamily } from "../models/sequence/sequence-family.js";
import type { SequenceFit } from "../models/sequence/sequence-fit.js";
import { readSequenceInput, sequenceInputPath } from "../models/sequence/sequence-input.js";
import { resolveSequenceParams } from "../models/sequence/sequence-params.js";
import { medianStepMs } from "../models/sequence/series-transform.js";
import { priceForecasts } from "../models/sequence/window-forecasts.js";
import type { RunContext } from "./support/run-context.js";
import { runOutput } from "./support/run-output.js";
import { emptyShard, ownsShardTicker } from "./support/shard-tickers.js";

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

/**
 * Rows strictly before the split date (default: the first 80%, frame/default-split.ts, the tabular models' rule);
 * the split must fall inside the data.
 */
function trainRowCount(time: Float64Array, ms: number | undefined, ticker: string): number {
  if (ms === undefined) return defaultTrainRows(time.length);
  requireSplitInside(time, ms, "--split-date", ticker);
  let n = 0;
  while (n < time.length && time[n] < ms) n++;
  return n;
}

/**
 * The fitted model's test metrics by the evaluate stage's test-window rule (evaluate/forecast-horizons.ts), over
 * the outputs its fit returned: the same numbers `tsml evaluate` gets from the model's predictions.
 */
function testMetrics(
  fitted: SequenceFit,
  time: Float64Array,
  values: Float64Array,
  steps: number,
  horizon: number,
  splitMs: number,
): { metrics: Record<string, unknown>; testRows: number } {
  const { outputs } = fitted;
  if (outputs.kind === "classes") {
    const { proba, truth } = outputs;
    const k = fitted.classes.length;
    const predicted = truth.map((_, i) => {
      let best = 0;
      for (let c = 1; c < k; c++) if (proba[i * k + c] > proba[i * k + best]) best = c;
      return best;
    });
    const metrics =
      k === 2
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
    return { metrics, testRows: outputs.ends.length };
  }
  const first = steps - 1;
  const rowTime = time.subarray(first);
  const nextTime = Float64Array.from(rowTime, (_, i) =>
    first + i + 1 < time.length ? time[first + i + 1] : Number.NaN,
  );
  if (outputs.kind === "up-down") {
    const proba = Float64Array.from(outputs.out, (v) => 1 / (1 + Math.exp(-v)));
    const pred = Float64Array.from(proba, (p) => (p >= 0.5 ? 1 : 0));
    const truth = outputs.labels.subarray(first);
    const rows = testWindowRows(nextTime, [truth, pred, proba], { from: splitMs });
    const pick = (c: Float64Array) => Float64Array.from(rows, (i) => c[i]);
    return { metrics: classificationMetrics(pick(truth), pick(pred), pick(proba)), testRows: rows.length };
  }
  const later = (h: number) =>
    Float64Array.from(rowTime, (_, i) =>
      first + i + h < values.length ? values[first + i + h] : Number.NaN,
    );
  const predictions = priceForecasts(
    outputs.out,
    fitted.transform as NonNullable<SequenceFit["transform"]>,
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
  return {
    metrics: { ...flattenHorizons(horizons), horizons: horizons.map(horizonJson) },
    testRows: horizons[0].metrics.rows,
  };
}

/**
 * Every flag of a sequence train, checked and parsed before any input is read or built: a bad flag is a usage
 * error (exit 2) that leaves the workspace as it was (the CLI calls this before building inputs).
 * @example sequenceTrainSettings({ model: "lstm", backend: "gpu" }) // UsageError: --backend gpu: unknown backend
 */
export function sequenceTrainSettings(options: TrainSequenceOptions) {
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
  const split = splitDateFlag(options.splitDate, "--split-date");
  // Early stopping and the test metrics need held-out rows: a sequence model always has a test window.
  if (split === NO_SPLIT)
    throw new UsageError(
      `--split-date none: ${model} always holds out a test window`,
      "give a --split-date, or leave it out for the default (the last 20% of the rows)",
    );
  const backend = parseBackend(options.backend);
  const jobs = integerFlag(options.jobs, "--jobs", { min: 1 });
  return { family, model, p, splitMs: split, backend, jobs };
}

/**
 * Trains one sequence model and writes its folder.
 * @example
 * await trainSequence({ model: "lstm", ticker: "SPX", iterations: 200, splitDate: "2015-01-01" }, ctx);
 */
export async function trainSequence(options: TrainSequenceOptions, ctx: RunContext) {
  const { family, model, p, splitMs: givenSplit, backend, jobs } = sequenceTrainSettings(options);
  const seed = ctx.seed ?? 0;
  const inputPath = sequenceInputPath(ctx.workspace, options.input, options.ticker);
  // One ticker per sequence model: with --shard, another shard's ticker is that shard's to train.
  if (options.ticker && !ownsShardTicker(ctx, options.ticker)) return emptyShard(ctx, `train ${model}`);
  const input = await readSequenceInput(inputPath, options.ticker, options.target, ctx.workspace);
  if (!ownsShardTicker(ctx, input.ticker)) return emptyShard(ctx, `train ${model}`);
  const { time, values } = input;
  const trainRows = trainRowCount(time, givenSplit, input.ticker);
  // The split as a date (the first test bar by default): the test-window rule of evaluate/forecast-horizons.ts.
  const splitMs = givenSplit ?? (trainRows < time.length ? time[trainRows] : Number.POSITIVE_INFINITY);
  if (givenSplit === undefined && Number.isFinite(splitMs))
    ctx.log.info(
      `${input.ticker}: split date ${isoDateOrTime(splitMs)} (default: ${DEFAULT_SPLIT_RULE}; ` +
        "--split-date DATE to choose one)",
    );
  const steps = p.steps as number;
  const horizon = family.horizon(p);
  if (trainRows < steps + horizon + 1)
    throw new DataError(
      `${inputPath}: ${trainRows} training rows before the split, need more than ${steps + horizon}`,
      "move --split-date later or lower --steps",
    );
  const loaded = await loadBackend(backend);
  const bar = ctx.progress(1, `train ${model} ${input.ticker}`);
  const started = performance.now();
  const testEnds: number[] = [];
  const firstEnd = Math.max(trainRows - 1, steps - 1);
  const lastEnd = family.lastScoredEnd(time.length, horizon);
  for (let e = firstEnd; e <= lastEnd; e++) testEnds.push(e);
  const fitted = await family.fit({
    time,
    values,
    trainRows,
    testEnds,
    column: (name) => (input.frame.has(name) ? input.frame.get(name) : null),
    label: options.label,
    source: inputPath,
    params: p,
    seed,
    backend: loaded,
    jobs,
    progress: (total) => ctx.progress(total, `train ${model} ${input.ticker}`),
  });
  const { metrics, testRows } = testMetrics(fitted, time, values, steps, horizon, splitMs);
  bar.done();
  const seconds = (performance.now() - started) / 1000;
  // Inside a tracked run the folder is the run's own (runs/<id>/models/T/lstm), copied over the latest on success.
  const folder =
    options.output ??
    runOutput(ctx, join(ctx.workspace, WORKSPACE_DIRS.models, tickerFileName(input.ticker), model));
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
    label: fitted.label,
    params: fitted.params,
    steps,
    horizon,
    transform: fitted.transform,
    shape: fitted.shape,
    classes: fitted.classes,
    lastTime: time[time.length - 1],
    stepMs: medianStepMs(time),
    splitDate: Number.isFinite(splitMs) ? isoDateOrTime(splitMs) : null,
    split: { trainRows, testRows },
    metrics: { test: metrics },
    training: { ...fitted.training, seconds },
  };
  const path = await saveSequenceModel(folder, provenance, meta, fitted.weights);
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
    // The fitted parameters: what `tsml compare` sets side by side for two runs.
    params: fitted.params,
    metrics,
    training: meta.training,
  };
}
