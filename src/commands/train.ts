// `tsml train`: per ticker, cross-validate (or grid-search) a model on the rows before --split-date, refit on
// the whole training window, measure train/test metrics and importance, and write the model artifact.

import { availableParallelism } from "node:os";
import { jsonArtifact, writeJsonArtifact } from "../artifacts/json-artifact.js";
import { makeProvenance } from "../artifacts/provenance.js";
import { modelPath } from "../artifacts/workspace.js";
import { DataError, UsageError } from "../core/errors.js";
import { isoDate, parseDateFlag } from "../frame/dates.js";
import "../models/all-models.js";
import type { CvMethod } from "../models/cv/cv-folds.js";
import { getModelFactory } from "../models/registry.js";
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
  output?: string;
}

/** `k=v` pairs; values are parsed as JSON when they can be (numbers, booleans, lists), else kept as text. */
export function parseParams(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--param ${pair}: expected key=value, e.g. --param C=0.5`);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    out[pair.slice(0, eq)] = value;
  }
  return out;
}

function intOption(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min)
    throw new UsageError(`--${name} ${raw}: expected an integer >= ${min}`);
  return v;
}

export async function train(options: TrainOptions, ctx: RunContext): Promise<unknown> {
  const factory = getModelFactory(options.model);
  const params = parseParams(options.param ?? []);
  factory.create(params);
  const method = (options.cv ?? "tss") as CvMethod;
  if (!["tss", "purged-kfold", "walk-forward"].includes(method))
    throw new UsageError(`--cv ${method}: choose tss, purged-kfold or walk-forward`);
  const scoring = parseScoring(options.scoring ?? "accuracy");
  const splits = intOption("splits", options.splits, 5, 2);
  const embargo = intOption("embargo", options.embargo, 0, 0);
  const window = intOption("window", options.window, 0, 0);
  const jobs = intOption("jobs", options.jobs, availableParallelism(), 1);
  const repeats = intOption("repeats", options.repeats, 5, 1);
  const purgeAuto = options.purge === undefined || options.purge === "auto";
  const purgeFixed = purgeAuto ? 0 : intOption("purge", options.purge, 0, 0);
  if (options.classWeight !== undefined && options.classWeight !== "balanced")
    throw new UsageError(`--class-weight ${options.classWeight}: only "balanced" is supported`);
  const splitTime = options.splitDate ? parseDateFlag(options.splitDate, "--split-date") : null;
  const grid = options.tune
    ? options.grid
      ? readGridFile(options.grid, options.model)
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
      splitDate: options.splitDate ?? null,
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
      metrics: { train: result.trainMetrics, test: result.testMetrics },
      importance: result.importance,
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
      train: result.trainMetrics,
      test: result.testMetrics,
      seconds,
    });
  }
  return { models: summaries };
}
