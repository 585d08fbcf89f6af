// `tsml backtest --walk-forward`: per ticker, refit a model every --refit bars on the rows whose labels were
// known before the bars it predicts, and hand the backtest one out-of-sample signal per bar (`pred`, `proba`)
// together with the record of every refit (its window dates, parameters and CV score).

import { availableParallelism } from "node:os";
import { DataError } from "../core/errors.js";
import { integerFlag, numberFlag } from "../core/flags.js";
import { isoDateOrTime } from "../frame/dates.js";
import type { Frame } from "../frame/frame.js";
import "../models/all-models.js";
import { walkForwardSchedule } from "../models/cv/walk-forward-schedule.js";
import { getModelFactory } from "../models/registry.js";
import { readModelArtifact } from "../models/scoring/model-signals.js";
import { runWalkForward } from "../models/training/walk-forward-refits.js";
import { parseScoring } from "../models/tuning/scoring.js";
import { parseQueueUrl } from "../queue/queue-url.js";
import { queueRefitRunner } from "./queue-refit-runner.js";
import type { RunContext } from "./support/run-context.js";
import { readTrainTables, resolveFeatures, resolveTarget } from "./train-inputs.js";

/** The walk-forward flags of `tsml backtest`, as commander hands them over. */
export interface WalkForwardFlags {
  input?: string;
  ticker?: string[];
  model?: string;
  refit?: string;
  window?: string;
  minTrain?: string;
  tune?: boolean;
  threshold?: string;
  /** `--queue redis://HOST:PORT`: the refits go to `tsml worker`s (commands/queue-refit-runner.ts). */
  queue?: string;
}

/** One refit as recorded in the backtest artifact's details. */
export interface RefitRecord {
  trainFrom: string;
  trainTo: string;
  trainRows: number;
  predictFrom: string;
  predictTo: string;
  params: Record<string, unknown>;
  /** Best mean CV score inside the training window (--tune; accuracy); null without --tune. */
  cvScore: number | null;
  seconds: number;
}

/** What the backtest artifact records about one ticker's walk-forward. */
export interface WalkForwardRecord {
  model: string;
  target: string;
  horizon: number;
  features: string[];
  refitEvery: number;
  window: number | "expanding";
  purge: number;
  tuned: boolean;
  /** Parameter combinations each refit's grid search tried (1 without --tune). */
  trialsPerRefit: number;
  threshold: number;
  /** Bars before the first out-of-sample signal: no model, no position. */
  warmUp: { from: string; to: string } | null;
  jobs: number;
  seconds: number;
  refits: RefitRecord[];
}

export interface WalkForwardInput {
  ticker: string;
  /** The features frame with `proba` (P(class 1), out of sample) and `pred` (proba > threshold) added. */
  frame: Frame;
  path: string;
  /** The first out-of-sample bar: the backtest's train window is the warm-up before it. */
  splitDate: string;
  modelId: string;
  walkForward: WalkForwardRecord;
}

/** The family and fixed parameters: `--model rf`, or a trained model JSON whose family and parameters are reused. */
function modelChoice(raw: string | undefined): {
  model: string;
  params: Record<string, unknown>;
  /** A model JSON's own features and target (null: the features artifact's declared ones). */
  features: string[] | null;
  target: string | null;
} {
  if (raw?.endsWith(".json")) {
    const body = readModelArtifact(raw);
    return { model: body.model, params: { ...body.params }, features: body.features, target: body.target };
  }
  const model = raw ?? "rf";
  getModelFactory(model);
  return { model, params: {}, features: null, target: null };
}

/** Reads each ticker's features and runs its walk-forward. */
export async function walkForwardInputs(
  flags: WalkForwardFlags,
  ctx: RunContext,
): Promise<WalkForwardInput[]> {
  const refit = integerFlag(flags.refit, "--refit", { min: 1, fallback: 63 });
  const window =
    flags.window === undefined || flags.window === "expanding"
      ? "expanding"
      : integerFlag(flags.window, "--window", { min: 2 });
  const minTrain = integerFlag(flags.minTrain, "--min-train", { min: 2 });
  const threshold = numberFlag(flags.threshold, "--threshold", { min: 0, max: 1, fallback: 0.5 });
  const choice = modelChoice(flags.model);
  const factory = getModelFactory(choice.model);
  const tickers = flags.ticker ?? [];
  const tables = await readTrainTables(
    ctx.workspace,
    flags.input,
    tickers.length === 1 ? tickers[0] : undefined,
  );
  const wanted = tables.filter((t) => tickers.length === 0 || tickers.includes(t.ticker));
  if (wanted.length === 0)
    throw new DataError(`no features for ticker ${tickers.join(", ")}`, "run tsml features --ticker T first");
  const jobs = availableParallelism();
  const queueUrl = flags.queue === undefined ? null : parseQueueUrl(flags.queue);
  const out: WalkForwardInput[] = [];
  for (const table of wanted) {
    const frame = table.frame.sortByTickerTime();
    const sorted = { ...table, frame };
    const target = resolveTarget(sorted, choice.target ?? undefined);
    const features = resolveFeatures(sorted, choice.features?.join(","), target.name);
    const refits = walkForwardSchedule(frame.length, { refit, window, horizon: target.horizon, minTrain });
    const bar = ctx.progress(refits.length, `walk-forward ${table.ticker} ${choice.model}`);
    const started = performance.now();
    const result = await runWalkForward(
      {
        model: choice.model,
        params: choice.params,
        grid: flags.tune ? factory.grid : null,
        columns: features.map((f) => frame.get(f)),
        y: frame.get(target.name),
        refits,
        // Inside each training window: scikit-learn's TimeSeriesSplit, purged by the label horizon.
        cv: { method: "tss", splits: 5, purge: target.horizon, embargo: 0, window: 0 },
        scoring: parseScoring("accuracy"),
        classWeight: null,
        seed: ctx.seed ?? 0,
      },
      jobs,
      (k) => bar.tick(`refit ${k + 1}`),
      queueUrl ? queueRefitRunner(ctx, queueUrl, `${table.ticker} ${choice.model}`) : undefined,
    );
    bar.done();
    const seconds = (performance.now() - started) / 1000;
    const pred = result.proba.map((p) => (Number.isNaN(p) ? Number.NaN : p > threshold ? 1 : 0));
    const at = (row: number) => isoDateOrTime(frame.time[row]);
    const first = refits[0].predictStart;
    out.push({
      ticker: table.ticker,
      frame: frame.with("proba", result.proba).with("pred", pred),
      path: table.path,
      splitDate: at(first),
      modelId: `walk-forward:${table.ticker}/${choice.model}`,
      walkForward: {
        model: choice.model,
        target: target.name,
        horizon: target.horizon,
        features,
        refitEvery: refit,
        window,
        purge: target.horizon,
        tuned: Boolean(flags.tune),
        trialsPerRefit: result.refits[0]?.trials ?? 1,
        threshold,
        warmUp: first > 0 ? { from: at(0), to: at(first - 1) } : null,
        jobs: result.jobs,
        seconds,
        refits: refits.map((r, k) => ({
          trainFrom: at(r.trainStart),
          trainTo: at(r.trainEnd - 1),
          trainRows: result.refits[k].trainRows,
          predictFrom: at(r.predictStart),
          predictTo: at(r.predictEnd - 1),
          params: result.refits[k].params,
          cvScore: result.refits[k].cvScore,
          seconds: result.refits[k].seconds,
        })),
      },
    });
  }
  return out;
}
