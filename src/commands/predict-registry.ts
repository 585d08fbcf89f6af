// `tsml predict --registry`: every current registry model on its ticker's newest bar's features (seed 001's
// BatchPredictions); each prediction keeps the model name/version, its input row and when it was made.
// A model that cannot be read, loaded or scored is reported and skipped; the others are still predicted.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { predictionsMeta, readPredictions } from "../artifacts/kinds/predictions-artifact.js";
import { makeProvenance } from "../artifacts/provenance.js";
import { withRunsLock } from "../artifacts/runs/runs-lock.js";
import { writeTable } from "../artifacts/table-io.js";
import { tickerTablePath, WORKSPACE_DIRS } from "../artifacts/workspace.js";
import { DataError, UsageError } from "../core/errors.js";
import { writeFrame } from "../db/write-frame.js";
import { checkPredictor } from "../export/predictor-check.js";
import { type BrokenEntry, type RegistryEntry, scanRegistry } from "../export/registry-store.js";
import { normalizeTrend } from "../export/trend.js";
import { isoDate } from "../frame/dates.js";
import { Frame } from "../frame/frame.js";
import { loadModel } from "../models/scoring/load-model.js";
import type { ModelScorer, SequenceScorer } from "../models/scoring/model-scorer.js";
import { readSequenceInput, sequenceInputPath } from "../models/sequence/sequence-input.js";
import { liveFeatures } from "./support/live-features.js";
import type { RunContext } from "./support/run-context.js";
import { emptyShard, ownsShardTicker } from "./support/shard-tickers.js";
import { toDbTarget } from "./support/to-db-target.js";

export interface PredictRegistryOptions {
  filter?: string;
  toDb?: string;
  table?: string;
}

const FILTER_KEYS = ["ticker", "trend", "model", "name"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

/** "ticker=SPX,trend=up" -> {ticker: ["SPX"], trend: ["up"]}; repeated keys mean "any of". */
export function parseFilter(text: string | undefined): Partial<Record<FilterKey, string[]>> {
  const out: Partial<Record<FilterKey, string[]>> = {};
  if (!text) return out;
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, value] = part.split("=", 2).map((s) => s.trim());
    if (!(FILTER_KEYS as readonly string[]).includes(key) || !value)
      throw new UsageError(
        `--filter: "${part}" is not key=value with key ${FILTER_KEYS.join(", ")}`,
        "e.g. --filter ticker=SPX,trend=up",
      );
    const v = key === "trend" ? normalizeTrend(value) : value;
    if (!v) throw new UsageError(`--filter: trend "${value}" must be up or down`);
    const list = out[key as FilterKey] ?? [];
    list.push(v);
    out[key as FilterKey] = list;
  }
  return out;
}

function matches(entry: RegistryEntry, filter: Partial<Record<FilterKey, string[]>>): boolean {
  const facts: Record<FilterKey, string> = {
    ticker: entry.tags.ticker,
    trend: entry.tags.trend,
    model: entry.tags.classifier,
    name: entry.name,
  };
  return FILTER_KEYS.every((k) => !filter[k] || filter[k]!.includes(facts[k]));
}

/** Whether a broken entry could be one the filter asks for (what cannot be read is assumed to match). */
function mayMatch(entry: BrokenEntry, filter: Partial<Record<FilterKey, string[]>>): boolean {
  if (filter.name && !filter.name.includes(entry.name)) return false;
  if (!entry.tags) return true;
  if (filter.ticker && !filter.ticker.includes(entry.tags.ticker)) return false;
  return !filter.trend || filter.trend.includes(entry.tags.trend);
}

interface Scored {
  time: number;
  pred: number;
  proba: number;
  input: string;
  path: string;
}

/** One model on its ticker's newest feature row; a DataError names what is wrong with this model only. */
async function scoreLatest(entry: RegistryEntry, workspace: string): Promise<Scored> {
  const label = `registry ${entry.name}@${entry.version}`;
  const ticker = entry.tags.ticker;
  let model: ModelScorer;
  try {
    model = await loadModel(entry.model, label);
    checkPredictor(model, label);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(
      `${label}: the model cannot be loaded (${(error as Error)?.message ?? String(error)})`,
    );
  }
  if (model.kind === "sequence") return forecastLatest(entry, model, workspace);
  const featuresPath = tickerTablePath(workspace, "features", ticker);
  if (!existsSync(featuresPath))
    throw new DataError(
      `${entry.name}: no features for ${ticker} (${featuresPath})`,
      `run: tsml features --ticker ${ticker}`,
    );
  // The newest bar's features (its label is not known yet), not the last labelled row of the artifact.
  const { frame, path } = await liveFeatures(workspace, ticker);
  const last = frame.length - 1;
  if (last < 0) throw new DataError(`${path}: no rows`);
  const missing = model.features.filter((f) => !frame.has(f));
  if (missing.length > 0)
    throw new DataError(
      `${entry.name}: ${path} lacks the model's feature${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`,
      `recompute them with the feature set the model was trained on: tsml features --ticker ${ticker}`,
    );
  const columns = model.features.map((f) => frame.get(f).subarray(last));
  const p = model.predict(columns, 1);
  return {
    time: frame.time[last],
    pred: p.pred[0],
    proba: p.proba[0],
    input: JSON.stringify(Object.fromEntries(model.features.map((f, j) => [f, columns[j][0]]))),
    path,
  };
}

/**
 * A sequence model on its ticker's last `steps` prices: `pred` is the next value (lstm) or class (classifiers),
 * `proba` the classifiers' probability of class 1 (NaN for a forecaster).
 */
async function forecastLatest(
  entry: RegistryEntry,
  model: SequenceScorer,
  workspace: string,
): Promise<Scored> {
  const ticker = entry.tags.ticker;
  const target = typeof entry.model.target === "string" ? entry.model.target : undefined;
  const path = sequenceInputPath(workspace, undefined, ticker);
  if (!existsSync(path))
    throw new DataError(
      `${entry.name}: no bars for ${ticker} (${path})`,
      `run: tsml ingest --ticker ${ticker}`,
    );
  const { time, values } = await readSequenceInput(path, ticker, target, workspace);
  if (values.length < model.steps)
    throw new DataError(`${entry.name}: ${path} has ${values.length} prices, the model needs ${model.steps}`);
  const from = values.length - model.steps;
  const prices = Array.from(values.subarray(from));
  const row = model.forecast(prices, Array.from(time.subarray(from)))[0];
  const named = model.columns.indexOf("proba");
  const positive = named >= 0 ? named : model.columns.indexOf("proba_1");
  return {
    time: time[time.length - 1],
    pred: row[0],
    proba: positive >= 0 ? row[positive] : Number.NaN,
    input: JSON.stringify({ prices }),
    path,
  };
}

/** Where batch predictions accumulate in the workspace. */
export function batchPredictionsPath(workspace: string): string {
  return join(workspace, WORKSPACE_DIRS.registry, "predictions.parquet");
}

export async function predictRegistry(options: PredictRegistryOptions, ctx: RunContext) {
  const target = toDbTarget(options as Record<string, unknown>);
  const filter = parseFilter(options.filter);
  const scan = await scanRegistry(ctx.workspace);
  // With --shard, only the models of the shard's tickers (their rows join the others' in the store below).
  const candidates = scan.entries.filter((e) => matches(e, filter) && ownsShardTicker(ctx, e.tags.ticker));
  if (ctx.shard && candidates.length === 0) return emptyShard(ctx, "predict --registry");
  const skipped: { name: string; version: number; error: string }[] = scan.broken
    .filter((b) => mayMatch(b, filter))
    .map(({ name, version, error }) => ({ name, version, error }));
  if (candidates.length === 0 && skipped.length === 0)
    throw new DataError(
      `no registered model matches${options.filter ? ` --filter ${options.filter}` : ""}`,
      "list them with: tsml registry ls",
    );
  const predictedAt = new Date().toISOString();
  const entries: RegistryEntry[] = [];
  const time: number[] = [];
  const tickers: string[] = [];
  const names: string[] = [];
  const inputs: string[] = [];
  const version: number[] = [];
  const pred: number[] = [];
  const proba: number[] = [];
  const featureFiles: string[] = [];
  for (const entry of candidates) {
    let scored: Scored;
    try {
      scored = await scoreLatest(entry, ctx.workspace);
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      skipped.push({ name: entry.name, version: entry.version, error: error.message });
      continue;
    }
    entries.push(entry);
    time.push(scored.time);
    tickers.push(entry.tags.ticker);
    names.push(entry.name);
    version.push(entry.version);
    pred.push(scored.pred);
    proba.push(scored.proba);
    inputs.push(scored.input);
    featureFiles.push(scored.path);
  }
  for (const s of skipped) ctx.log.warn(`${s.name}@${s.version} skipped: ${s.error}`);
  if (entries.length === 0)
    throw new DataError(
      `no registered model could be scored (${skipped.length} skipped, see the warnings above)`,
      "fix or remove them (tsml registry rm NAME@VERSION), or register working versions",
    );
  const n = entries.length;
  const codes = new Uint32Array(n);
  const tickerNames = [...new Set(tickers)];
  tickers.forEach((t, i) => {
    codes[i] = tickerNames.indexOf(t);
  });
  const batch = new Frame({
    time: Float64Array.from(time),
    tickerCodes: codes,
    tickerNames,
    columns: new Map([
      ["model_version", Float64Array.from(version)],
      ["pred", Float64Array.from(pred)],
      ["proba", Float64Array.from(proba)],
    ]),
    text: new Map([
      ["model_name", names],
      ["predicted_at", new Array(n).fill(predictedAt)],
      ["input", inputs],
    ]),
  });
  const provenance = await makeProvenance({
    command: ctx.commandLine,
    options: { ...options },
    seed: ctx.seed,
    inputs: [...new Set(featureFiles)],
  });
  const store = batchPredictionsPath(ctx.workspace);
  // Read, append and replace under a lock: shards (--shard) appending at once each keep the others' rows.
  await withRunsLock(dirname(store), async () => {
    let all = batch;
    if (existsSync(store)) {
      const previous = (await readPredictions(store)).frame;
      all = Frame.concat([previous, batch]);
    }
    await writeTable(store, all, predictionsMeta(provenance, { source: "registry", rows: all.length }));
  });
  let db: { table: string; rows: number } | null = null;
  if (target) {
    const r = await writeFrame(target.url, target.table, batch, {
      mode: "upsert",
      key: ["ticker", "date", "model_name", "model_version"],
    });
    db = { table: r.table, rows: r.rows };
  }
  const rows = entries.map((e, i) => ({
    name: e.name,
    version: e.version,
    ticker: tickers[i],
    date: isoDate(time[i]),
    pred: pred[i],
    proba: proba[i],
  }));
  for (const r of rows)
    ctx.print(`${r.name}@${r.version}  ${r.ticker} ${r.date}  pred ${r.pred}  proba ${r.proba.toFixed(4)}`);
  ctx.print(
    `stored ${n} prediction${n === 1 ? "" : "s"} in ${store}${db ? ` and ${db.rows} in table ${db.table}` : ""}`,
  );
  return { predictions: rows, skipped, store, db };
}
