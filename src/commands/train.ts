// `tsml train`: per ticker, cross-validate (or grid-search) a model on the rows before --split-date, refit on
// the whole training window, measure train/test metrics and importance, and write the model artifact.

import { availableParallelism } from "node:os";
import { jsonArtifact, writeJsonArtifact } from "../artifacts/json-artifact.js";
import { makeProvenance } from "../artifacts/provenance.js";
import { modelPath } from "../artifacts/workspace.js";
import { DataError, UsageError } from "../core/errors.js";
import { countOrAllFlag, dateFlag, integerFlag, oneOfFlag } from "../core/flags.js";
import { isoDate, isoDateOrTime, requireSplitInside } from "../frame/dates.js";
import { classificationMetricSet } from "../metrics/classification.js";
import "../models/all-models.js";
import type { CvMethod } from "../models/cv/cv-folds.js";
import { normalizeParams, parseParamPairs } from "../models/param-schema.js";
import { getModelFactory } from "../models/registry.js";
import { SEQUENCE_PARAM_FLAGS } from "../models/sequence/sequence-params.js";
import type { ModelArtifactBody } from "../models/training/model-artifact.js";
import { countCvTasks, trainModel } from "../models/training/train-model.js";
import { readGridFile } from "../models/tuning/param-grid.js";
import { parseScoring } from "../models/tuning/scoring.js";
import type { RunContext } from "./run-context.js";
import { readTrainTables, resolveFeatures, resolveTarget } from "./train-inputs.js";
import { printTrainReport } from "./train-report.js";

export interface TrainOptions {
  input?: string;
  ticker?: string;
  model: string;
  features?: string;
  target?: string;
  param?: string[];
  splitDate?: string;
  tune?: boolean;
  grid?: string;
  cv?: string;
  splits?: string;
  purge?: string;
  embargo?: string;
  window?: string;
  scoring?: string;
  classWeight?: string;
  jobs?: string;
  repeats?: string;
  importanceRows?: string;
  shapRows?: string;
  output?: string;
}

export async function train(options: TrainOptions, ctx: RunContext): Promise<unknown> {
  const factory = getModelFactory(options.model);
  const given = { ...options } as Record<string, unknown>;
  for (const flag of [...SEQUENCE_PARAM_FLAGS, "backend", "label"])
    if (given[flag] !== undefined)
      throw new UsageError(
        `--${flag} applies to the sequence models (lstm, lstm-clf, dense-window), not ${options.model}`,
        `${options.model} takes --param k=v with: ${Object.keys(factory.schema).join(", ")}`,
      );
  // Checked against the family's schema (names, types, ranges); aliases become canonical names.
  const params = normalizeParams(options.model, factory.schema, parseParamPairs(options.param ?? []));
  const method = oneOfFlag<CvMethod>(options.cv, "--cv", ["tss", "purged-kfold", "walk-forward"], "tss");
  const scoring = parseScoring(options.scoring ?? "accuracy");
  const splits = integerFlag(options.splits, "--splits", { min: 2, fallback: 5 });
  const embargo = integerFlag(options.embargo, "--embargo", { min: 0, fallback: 0 });
  const window = integerFlag(options.window, "--window", { min: 0, fallback: 0 });
  const jobs = integerFlag(options.jobs, "--jobs", { min: 1, fallback: availableParallelism() });
  const repeats = integerFlag(options.repeats, "--repeats", { min: 1, fallback: 5 });
  const importanceRows = countOrAllFlag(options.importanceRows, "--importance-rows");
  const shapRows = countOrAllFlag(options.shapRows, "--shap-rows");
  const purgeAuto = options.purge === undefined || options.purge === "auto";
  const purgeFixed = purgeAuto ? 0 : integerFlag(options.purge, "--purge", { min: 0, fallback: 0 });
  if (options.classWeight !== undefined && options.classWeight !== "balanced")
    throw new UsageError(`--class-weight ${options.classWeight}: only "balanced" is supported`);
  const splitTime = dateFlag(options.splitDate, "--split-date") ?? null;
  const grid = options.tune
    ? options.grid
      ? readGridFile(options.grid, options.model, factory.schema)
      : factory.grid
    : null;
  if (options.grid && !options.tune) throw new UsageError("--grid needs --tune");
  const seed = ctx.seed ?? 0;
  const tables = await readTrainTables(ctx.workspace, options.input, options.ticker);
  if (options.output && tables.length > 1)
    throw new UsageError(
      `-o names one file but the input holds ${tables.length} tickers`,
      "add --ticker T, or drop -o to write models/<T>/<model>.json per ticker",
    );
  const summaries = [];
  for (const table of tables) {
    const target = resolveTarget(table, options.target);
    const features = resolveFeatures(table, options.features, target.name);
    const frame = table.frame;
    const yAll = frame.get(target.name);
    const columnsAll = features.map((f) => frame.get(f));
    const keep: number[] = [];
    for (let i = 0; i < frame.length; i++) {
      if (!Number.isFinite(yAll[i])) continue;
      if (columnsAll.every((c) => Number.isFinite(c[i]))) keep.push(i);
    }
    if (keep.length < frame.length)
      ctx.log.info(
        `${table.ticker}: ${frame.length - keep.length} rows with missing features or label skipped`,
      );
    if (splitTime !== null)
      requireSplitInside(
        keep.map((i) => frame.time[i]),
        splitTime,
        "--split-date",
        `${table.ticker} (rows with features and a label)`,
      );
    const trainRows = splitTime === null ? keep.length : keep.filter((i) => frame.time[i] < splitTime).length;
    if (trainRows === 0)
      throw new DataError(
        `${table.ticker}: no training rows before --split-date ${options.splitDate}`,
        "choose a later --split-date",
      );
    const columns = columnsAll.map((c) => Float64Array.from(keep, (i) => c[i]));
    const y = Float64Array.from(keep, (i) => yAll[i]);
    const purge = purgeAuto ? target.horizon : purgeFixed;
    const cvOptions = { method, splits, purge, embargo, window };
    const bar = ctx.progress(countCvTasks({ grid, cv: cvOptions }), `train ${table.ticker} ${options.model}`);
    const started = performance.now();
    const result = await trainModel({
      model: options.model,
      params,
      grid,
      features,
      columns,
      y,
      trainRows,
      cv: cvOptions,
      scoring,
      classWeight: options.classWeight === "balanced" ? "balanced" : null,
      jobs,
      seed,
      permutationRepeats: repeats,
      importanceRows,
      shapRows,
      onTick: (label) => bar.tick(label),
    });
    bar.done();
    const seconds = (performance.now() - started) / 1000;
    const at = (k: number) => isoDate(frame.time[keep[k]]);
    const testRows = keep.length - trainRows;
    const body: ModelArtifactBody = {
      model: options.model,
      ticker: table.ticker,
      params: result.params,
      state: result.classifier.toState(),
      features,
      scaler: result.scaler,
      target: target.name,
      horizon: target.horizon,
      training: { start: at(0), end: at(trainRows - 1), rows: trainRows },
      test: testRows > 0 ? { start: at(trainRows), end: at(keep.length - 1), rows: testRows } : null,
      splitDate: splitTime === null ? null : isoDateOrTime(splitTime),
      cv: {
        method,
        splits,
        purge,
        embargo,
        scoring,
        tuned: grid !== null,
        bestIndex: result.cv.bestIndex,
        jobs: result.cv.jobs,
        seconds: result.cv.seconds,
        folds: result.folds,
        results: result.cv.rows,
      },
      classWeight: options.classWeight ?? null,
      metrics: {
        train: classificationMetricSet(result.trainMetrics),
        test: result.testMetrics ? classificationMetricSet(result.testMetrics) : null,
      },
      importance: result.importance,
      importanceSample: result.importanceSample,
    };
    const provenance = await makeProvenance({
      command: ctx.commandLine,
      options: { ...options },
      seed,
      inputs: table.path === "-" ? [] : [table.path],
    });
    const out = options.output ?? modelPath(ctx.workspace, table.ticker, options.model);
    if (out === "-") ctx.claimStdout();
    await writeJsonArtifact(
      out,
      jsonArtifact("model", provenance, body as unknown as Record<string, unknown>),
    );
    printTrainReport(body, ctx, out, seconds);
    summaries.push({
      ticker: table.ticker,
      model: options.model,
      path: out,
      params: result.params,
      cvScore: result.cv.rows[result.cv.bestIndex].meanTestScore,
      train: body.metrics.train,
      test: body.metrics.test,
      seconds,
    });
  }
  return { models: summaries };
}
