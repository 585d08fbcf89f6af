// What train, backtest and evaluate build before they run, and the tsml.json defaults they take: the one
// place the CLI asks for "whatever this stage needs", so a first `tsml train --ticker AAPL` works in an
// empty folder and `--no-build` keeps every stage strict.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { changedInputs } from "../../artifacts/freshness.js";
import type { Provenance } from "../../artifacts/provenance.js";
import { modelPath, tickerFromFileName, tickersWith, tickerTablePath } from "../../artifacts/workspace.js";
import { tickerListFlag } from "../../core/flags.js";
import type { RunContext } from "../support/run-context.js";
import { ownsShardTicker } from "../support/shard-tickers.js";
import { shownPath } from "./build-context.js";
import { ensureBacktest } from "./ensure-backtest.js";
import { ensureBars } from "./ensure-bars.js";
import { ensureFeatures } from "./ensure-features.js";
import { ensurePredictions } from "./ensure-predictions.js";
import { latestModel } from "./latest-model.js";
import { readWorkspaceConfig } from "./workspace-config.js";

/** The flags train adds for building its inputs. */
export interface TrainBuildFlags {
  /** Where to ingest a ticker the workspace has no bars for (bundled, alphavantage, twse, FILE.csv, URL). */
  source?: string;
  /** The feature set to compute when features are missing. */
  set?: string;
}

interface TrainInputFlags extends TrainBuildFlags {
  input?: string;
  ticker?: string;
  splitDate?: string;
}

/**
 * Train: tsml.json's split date when --split-date is not given; features (and bars) built for --ticker, or
 * refreshed for the tickers train will read, unless -i names the input. Sequence models read bars (features
 * only when present), so they get bars only. `check` sees the settled flags before anything is built: a bad
 * flag (or tsml.json setting) fails there and leaves the workspace as it was.
 */
export async function prepareTrain<O extends TrainInputFlags>(
  options: O,
  ctx: RunContext,
  sequence: boolean,
  check: (settled: O) => unknown = () => {},
): Promise<O> {
  const config = readWorkspaceConfig(ctx);
  const ready = { ...options, splitDate: options.splitDate ?? config.splitDate };
  check(ready);
  if (!ctx.autoBuild || options.input) return ready;
  // Without --ticker, train reads every ticker with features: those are refreshed when stale, and only a
  // workspace with bars but no features at all gets features for every ticker with bars.
  const withFeatures = tickersWith(ctx.workspace, "features");
  const tickers = options.ticker
    ? [options.ticker]
    : withFeatures.length > 0
      ? withFeatures
      : tickersWith(ctx.workspace, "bars");
  // A shard builds the inputs of its own tickers only (the other shards build theirs).
  for (const ticker of tickers.filter((t) => ownsShardTicker(ctx, t))) {
    if (sequence) await ensureBars(ticker, ctx, options.source);
    else await ensureFeatures(ticker, ctx, { set: options.set, source: options.source });
  }
  return ready;
}

interface BacktestInputFlags {
  input?: string;
  model?: string;
  /** Walk-forward refits its own models from the features: it needs features, never predictions. */
  walkForward?: boolean;
  signal?: string;
  ticker?: string[];
  costBps?: string;
  commission?: string;
  slippageBps?: string;
}

/**
 * Backtest: tsml.json's costs when their flags are not given; predictions scored from the latest model for
 * each ticker asked for (or each ticker with a model) when they are missing or stale.
 */
export async function prepareBacktest<O extends BacktestInputFlags>(options: O, ctx: RunContext): Promise<O> {
  const config = readWorkspaceConfig(ctx);
  const text = (n: number | undefined) => (n === undefined ? undefined : String(n));
  const ready = {
    ...options,
    costBps: options.costBps ?? text(config.costBps),
    commission: options.commission ?? text(config.commission),
    slippageBps: options.slippageBps ?? text(config.slippageBps),
  };
  if (!ctx.autoBuild || options.input) return ready;
  if (options.signal || options.walkForward) {
    for (const ticker of tickerListFlag(options.ticker, "--ticker").filter((t) => ownsShardTicker(ctx, t)))
      await ensureFeatures(ticker, ctx);
    return ready;
  }
  if (options.model) return ready;
  for (const ticker of scoredTickers(options.ticker, ctx)) await ensurePredictions(ticker, ctx);
  return ready;
}

interface EvaluateInputFlags {
  input?: string;
  model?: string;
  ticker?: string[];
  history?: boolean;
}

/**
 * Evaluate: predictions scored from the latest model for each ticker asked for (or with a model) when missing
 * or stale, and the ticker's backtest run again when those predictions changed under it.
 */
export async function prepareEvaluate(options: EvaluateInputFlags, ctx: RunContext): Promise<void> {
  if (!ctx.autoBuild || options.input || options.model || options.history) return;
  for (const ticker of scoredTickers(options.ticker, ctx)) {
    await ensurePredictions(ticker, ctx);
    // A backtest of the predictions just replaced would be measured beside them: it is run again first.
    await ensureBacktest(ticker, ctx);
  }
}

/** Export report: the same as evaluate, so the report never shows one model's predictions with another's backtest. */
export async function prepareReport(options: { ticker?: string[] }, ctx: RunContext): Promise<void> {
  if (!ctx.autoBuild) return;
  for (const ticker of scoredTickers(options.ticker, ctx)) {
    await ensurePredictions(ticker, ctx);
    await ensureBacktest(ticker, ctx);
    await warnIfStale(ctx, "metrics", ticker, tickerTablePath(ctx.workspace, "metrics", ticker, "json"));
  }
}

/** Metrics are measured, not built: stale ones are named so the user can run tsml evaluate again. */
async function warnIfStale(ctx: RunContext, what: string, ticker: string, path: string): Promise<void> {
  if (!existsSync(path)) return;
  let provenance: Provenance | undefined;
  try {
    provenance = (JSON.parse(readFileSync(path, "utf8")) as { provenance?: Provenance }).provenance;
  } catch {
    return;
  }
  const changed = provenance ? await changedInputs(provenance) : [];
  if (changed.length > 0)
    ctx.log.warn(
      `${what} ${ticker} are stale (${changed.map((p) => shownPath(ctx, p)).join(", ")} changed): run tsml evaluate`,
    );
}

/** The tickers asked for, else every ticker with a trained model or with predictions (a shard's own only). */
function scoredTickers(flag: string[] | undefined, ctx: RunContext): string[] {
  const own = (t: string) => ownsShardTicker(ctx, t);
  const wanted = tickerListFlag(flag, "--ticker");
  if (wanted.length > 0) return wanted.filter(own);
  const withModel = tickersWithModels(ctx.workspace).filter(
    (t) => own(t) && latestModel(ctx.workspace, t) !== null,
  );
  return [...new Set([...withModel, ...tickersWith(ctx.workspace, "predictions").filter(own)])].sort();
}

/** Tickers with a folder of models (`models/<T>/`). */
function tickersWithModels(workspace: string): string[] {
  const folder = dirname(dirname(modelPath(workspace, "T", "model")));
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .map((name) => tickerFromFileName(name))
    .filter((t): t is string => t !== null);
}
