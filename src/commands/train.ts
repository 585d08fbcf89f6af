// `tsml train`: per ticker, cross-validate (or grid-search) a model on the rows before --split-date, refit on
// the whole training window, measure train/test metrics and importance, and write the model artifact.

import { availableParallelism } from "node:os";
import { jsonArtifact, writeJsonArtifact } from "../artifacts/json-artifact.js";
import { makeProvenance } from "../artifacts/provenance.js";
import { modelPath } from "../artifacts/workspace.js";
import { DataError, TsmlError, UsageError } from "../core/errors.js";
import { countOrAllFlag, integerFlag, NO_SPLIT, oneOfFlag, splitDateFlag } from "../core/flags.js";
import { isoDate, isoDateOrTime, requireSplitInside } from "../frame/dates.js";
import { DEFAULT_SPLIT_RULE, defaultSplitTime } from "../frame/default-split.js";
import { classificationMetricSet } from "../metrics/classification.js";
import { majorityBaseline } from "../metrics/majority-baseline.js";
import "../models/all-models.js";
import { takeRows } from "../models/common/standard-scaler.js";
import type { CvMethod } from "../models/cv/cv-folds.js";
import { normalizeParams, parseParamPairs } from "../models/param-schema.js";
import { getModelFactory } from "../models/registry.js";
import { SEQUENCE_PARAM_FLAGS } from "../models/sequence/sequence-params.js";
import type { ModelArtifactBody, TrainMetricSet } from "../models/training/model-artifact.js";
import { countCvTasks, trainModel } from "../models/training/train-model.js";
import { readGridFile } from "../models/tuning/param-grid.js";
import { parseScoring } from "../models/tuning/scoring.js";
import { parseQueueUrl } from "../queue/queue-url.js";
import { queueFoldRunner } from "./queue-fold-runner.js";
import { failureSummary } from "./support/failure-summary.js";
import type { RunContext } from "./support/run-context.js";
import { runOutput } from "./support/run-output.js";
import { emptyShard, ownsShardTicker } from "./support/shard-tickers.js";
import { readTrainTables, resolveFeatures, resolveTarget } from "./train-inputs.js";
import { checkRegisterIf, choosePoolModel, type PoolOutcome } from "./train-pool.js";
import { printTrainReport } from "./train-report.js";
import { recordTuningTrials } from "./train-tuning-trials.js";

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
  /** `--queue redis://HOST:PORT`: CV tasks go to `tsml worker`s (commands/queue-fold-runner.ts). */
  queue?: string;
  repeats?: string;
  importanceRows?: string;
  shapRows?: string;
  output?: string;
  /** Pool only: the condition the best model must pass to be registered (default seed 001's gate). */
  registerIf?: string;
}

/** Seed 001's pool in tsml's families (`--model pool`): forest, boosting, linear, neighbours, SVM, two nets. */
export const POOL_MODELS = ["rf", "gbdt", "ols", "knn", "sv", "mlp", "nn"] as const;

/** Seed 001's registration thresholds (register_best_performing_model). */
export const SEED001_GATE = "positive_accuracy>0.5 && negative_accuracy>0.5 && overall_score>0.6";

/** `--model rf`, `--model rf,gbdt,sv` or `--model pool`: the families to train, each once. */
export function modelList(raw: string): string[] {
  const names = raw.trim() === "pool" ? [...POOL_MODELS] : raw.split(",").map((m) => m.trim());
  if (names.some((m) => m === ""))
    throw new UsageError(`--model "${raw}": an empty model name`, "e.g. --model rf,gbdt,ols or --model pool");
  const unique = [...new Set(names)];
  for (const m of unique) getModelFactory(m);
  return unique;
}

/** What one ticker's training left: the summary printed in --json, and what the pool ranks. */
interface TrainedModel {
  ticker: string;
  model: string;
  path: string;
  params: Record<string, unknown>;
  cvScore: number;
  /** Parameter combinations tried by CV before choosing these (1 without --tune). */
  trials: number;
  train: TrainMetricSet;
  test: TrainMetricSet | null;
  seconds: number;
}

/** A ticker (or a pool member) that failed while the others went on. */
interface Failure {
  what: string;
  error: TsmlError;
}

/**
 * Every flag of a tabular train, checked and parsed before any input is read or built: a bad flag is a usage
 * error (exit 2) that leaves the workspace as it was (the CLI calls this before building inputs).
 * @example trainSettings({ model: "rf", splits: "3" }).splits // 3
 */
export function trainSettings(options: TrainOptions) {
  const models = modelList(options.model);
  const pool = models.length > 1;
  const given = { ...options } as Record<string, unknown>;
  for (const flag of [...SEQUENCE_PARAM_FLAGS, "backend", "label"])
    if (given[flag] !== undefined)
      throw new UsageError(
        `--${flag} applies to the sequence models (lstm, lstm-clf, dense-window), not ${options.model}`,
        `${models[0]} takes --param k=v with: ${Object.keys(getModelFactory(models[0]).schema).join(", ")}`,
      );
  if (pool && (options.param?.length || options.grid || options.output))
    throw new UsageError(
      `--model ${options.model} trains ${models.length} families: --param, --grid and -o apply to one model`,
      "train one family with them (--model rf --param ...), or drop them (--tune uses each family's own grid)",
    );
  if (!pool && options.registerIf !== undefined)
    throw new UsageError(
      "--register-if applies to a model pool (--model rf,gbdt,... or --model pool)",
      "for one model: tsml registry register -m MODEL.json --if CONDITION",
    );
  const registerIf = options.registerIf ?? SEED001_GATE;
  // A misspelt condition is refused before any training (the same grammar as evaluate --fail-if).
  if (pool) checkRegisterIf(registerIf);
  const plans = models.map((model) => {
    const factory = getModelFactory(model);
    // Checked against the family's schema (names, types, ranges); aliases become canonical names.
    const params = normalizeParams(model, factory.schema, parseParamPairs(options.param ?? []));
    const grid = options.tune
      ? options.grid
        ? readGridFile(options.grid, model, factory.schema)
        : factory.grid
      : null;
    return { model, params, grid };
  });
  const method = oneOfFlag<CvMethod>(options.cv, "--cv", ["tss", "purged-kfold", "walk-forward"], "tss");
  // A pool is ranked by seed 001's overall score unless --scoring says otherwise.
  const scoring = parseScoring(options.scoring ?? (pool ? "overall" : "accuracy"));
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
  // A date, "none" (fit on every row), or undefined: the default split (frame/default-split.ts).
  const split = splitDateFlag(options.splitDate, "--split-date");
  if (options.grid && !options.tune) throw new UsageError("--grid needs --tune");
  const queueUrl = options.queue === undefined ? null : parseQueueUrl(options.queue);
  return {
    pool,
    registerIf,
    plans,
    method,
    scoring,
    splits,
    embargo,
    window,
    jobs,
    repeats,
    importanceRows,
    shapRows,
    purgeAuto,
    purgeFixed,
    split,
    queueUrl,
  };
}

export async function train(options: TrainOptions, ctx: RunContext): Promise<unknown> {
  const settings = trainSettings(options);
  const { pool, registerIf, plans, method, scoring, splits, embargo, window, jobs, repeats } = settings;
  const { importanceRows, shapRows, purgeAuto, purgeFixed, split, queueUrl } = settings;
  const seed = ctx.seed ?? 0;
  const tables = await readTrainTables(ctx.workspace, options.input, options.ticker, (t) =>
    ownsShardTicker(ctx, t),
  );
  if (tables.length === 0) return emptyShard(ctx, "train");
  if (options.output && tables.length > 1)
    throw new UsageError(
      `-o names one file but the input holds ${tables.length} tickers`,
      "add --ticker T, or drop -o to write models/<T>/<model>.json per ticker",
    );
  const trainOne = async (
    table: (typeof tables)[number],
    plan: (typeof plans)[number],
  ): Promise<TrainedModel> => {
    const target = resolveTarget(table, options.target);
    const features = resolveFeatures(table, options.features, target.name);
    const frame = table.frame;
    const yAll = frame.get(target.name);
    const columnsAll = features.map((f) => frame.get(f));
    const keep = rowsWithEveryValue(yAll, columnsAll);
    if (keep.length < frame.length)
      ctx.log.info(
        `${table.ticker}: ${frame.length - keep.length} rows with missing features or label skipped`,
      );
    const keptTime = takeRows(frame.time, keep);
    if (typeof split === "number")
      requireSplitInside(keptTime, split, "--split-date", `${table.ticker} (rows with features and a label)`);
    // No split given: the last 20% of the rows are the test window, as for the sequence models.
    const splitTime = split === NO_SPLIT ? null : (split ?? defaultSplitTime(keptTime));
    if (split === undefined && splitTime !== null && plan === plans[0])
      ctx.log.info(
        `${table.ticker}: split date ${isoDateOrTime(splitTime)} (default: ${DEFAULT_SPLIT_RULE}; ` +
          "--split-date DATE to choose one, --split-date none to train on every row)",
      );
    const trainRows = splitTime === null ? keep.length : keptTime.filter((t) => t < splitTime).length;
    if (trainRows === 0)
      throw new DataError(
        splitTime === null
          ? `${table.ticker}: no rows with features and a label to train on`
          : `${table.ticker}: no training rows before the split date ${isoDateOrTime(splitTime)}`,
        splitTime === null ? "check the features table" : "choose a later --split-date",
      );
    const columns = columnsAll.map((c) => takeRows(c, keep));
    const y = takeRows(yAll, keep);
    const purge = purgeAuto ? target.horizon : purgeFixed;
    const cvOptions = { method, splits, purge, embargo, window };
    const { model, params, grid } = plan;
    const bar = ctx.progress(countCvTasks({ grid, cv: cvOptions }), `train ${table.ticker} ${model}`);
    const started = performance.now();
    const result = await trainModel({
      model,
      params,
      grid,
      features,
      columns,
      y,
      trainRows,
      cv: cvOptions,
      scoring,
      classWeight: options.classWeight === "balanced" ? "balanced" : null,
      jobs: options.jobs === undefined && getModelFactory(model).fitsInProcess ? 1 : jobs,
      foldRunner: queueUrl ? queueFoldRunner(ctx, queueUrl, `${table.ticker} ${model}`) : undefined,
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
    // The majority-class baseline: always predicting the training window's more frequent class.
    const baseline = majorityBaseline(y, trainRows);
    const body: ModelArtifactBody = {
      model,
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
        train: { ...classificationMetricSet(result.trainMetrics), baseline_accuracy: baseline.train },
        test: result.testMetrics
          ? { ...classificationMetricSet(result.testMetrics), baseline_accuracy: baseline.test }
          : null,
      },
      baseline: {
        class: baseline.majority,
        train: baseline.train,
        test: testRows > 0 ? baseline.test : null,
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
    const out = options.output ?? runOutput(ctx, modelPath(ctx.workspace, table.ticker, model));
    if (out === "-") ctx.claimStdout();
    await writeJsonArtifact(
      out,
      jsonArtifact("model", provenance, body as unknown as Record<string, unknown>),
    );
    printTrainReport(body, ctx, out, seconds);
    // A tuned score is the best of many: say how many, and keep them in the workspace's trial ledger.
    const tuned =
      grid !== null ? await recordTuningTrials(ctx, table.ticker, target.name, model, result.cv.rows) : null;
    if (tuned) ctx.print(tuned);
    return {
      ticker: table.ticker,
      model,
      path: out,
      params: result.params,
      cvScore: result.cv.rows[result.cv.bestIndex].meanTestScore,
      trials: result.cv.rows.length,
      train: body.metrics.train,
      test: body.metrics.test,
      seconds,
    };
  };
  const summaries: TrainedModel[] = [];
  const pools: PoolOutcome[] = [];
  const failures: Failure[] = [];
  // One failing ticker (or pool member) is named and skipped; the others are still trained (exit non-zero after).
  const attempt = async <T>(what: string, work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof TsmlError) || (tables.length === 1 && !pool)) throw error;
      ctx.log.warn(`train ${what} failed: ${error.message}`);
      failures.push({ what, error });
      return null;
    }
  };
  for (const table of tables) {
    const trained: TrainedModel[] = [];
    for (const plan of plans) {
      const done = await attempt(pool ? `${table.ticker} ${plan.model}` : table.ticker, () =>
        trainOne(table, plan),
      );
      if (done) trained.push(done);
    }
    summaries.push(...trained);
    if (pool && trained.length > 0) {
      const outcome = await attempt(`${table.ticker} pool`, () =>
        choosePoolModel(table.ticker, trained, { registerIf, scoring }, ctx),
      );
      if (outcome) pools.push(outcome);
    }
  }
  if (failures.length > 0) {
    // The tickers that trained become the latest though the run fails (tracked-run.ts).
    const { keepSucceeded } = await import("./support/tracked-run.js");
    const written = summaries.map((s) => s.path);
    await keepSucceeded(ctx, "train", { models: summaries }, written);
    throw failureSummary("train", failures, summaries.length);
  }
  return pool ? { models: summaries, pools } : { models: summaries };
}

/** Rows whose label and every feature are finite (one pass per column, not a closure per cell). */
function rowsWithEveryValue(y: Float64Array, columns: readonly Float64Array[]): Uint32Array {
  const ok = new Uint8Array(y.length);
  for (let i = 0; i < y.length; i++) ok[i] = Number.isFinite(y[i]) ? 1 : 0;
  for (const c of columns) for (let i = 0; i < c.length; i++) if (!Number.isFinite(c[i])) ok[i] = 0;
  let count = 0;
  for (let i = 0; i < ok.length; i++) count += ok[i];
  const rows = new Uint32Array(count);
  for (let i = 0, k = 0; i < ok.length; i++) if (ok[i]) rows[k++] = i;
  return rows;
}
