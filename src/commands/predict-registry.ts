// `tsml predict --registry`: every current registry model on its ticker's latest feature row (seed 001's
// BatchPredictions); each prediction keeps the model name/version, its input row and when it was made.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { makeProvenance } from "../artifacts/provenance.js";
import { readTable, tableMeta, writeTable } from "../artifacts/table-io.js";
import { tickerTablePath, WORKSPACE_DIRS } from "../artifacts/workspace.js";
import { DataError, UsageError } from "../core/errors.js";
import { writeFrame } from "../db/write-frame.js";
import { currentEntries, type RegistryEntry } from "../export/registry-store.js";
import { normalizeTrend } from "../export/trend.js";
import { isoDate } from "../frame/dates.js";
import { Frame } from "../frame/frame.js";
import { loadPredictor } from "./model-predictor.js";
import type { RunContext } from "./run-context.js";
import { toDbTarget } from "./to-db-target.js";

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

/** Where batch predictions accumulate in the workspace. */
export function batchPredictionsPath(workspace: string): string {
  return join(workspace, WORKSPACE_DIRS.registry, "predictions.parquet");
}

export async function predictRegistry(options: PredictRegistryOptions, ctx: RunContext) {
  const target = toDbTarget(options as Record<string, unknown>);
  const filter = parseFilter(options.filter);
  const entries = (await currentEntries(ctx.workspace)).filter((e) => matches(e, filter));
  if (entries.length === 0)
    throw new DataError(
      `no registered model matches${options.filter ? ` --filter ${options.filter}` : ""}`,
      "list them with: tsml registry ls",
    );
  const predictedAt = new Date().toISOString();
  const time: number[] = [];
  const tickers: string[] = [];
  const names: string[] = [];
  const inputs: string[] = [];
  const version: number[] = [];
  const pred: number[] = [];
  const proba: number[] = [];
  const featureFiles: string[] = [];
  for (const entry of entries) {
    const ticker = entry.tags.ticker;
    const path = tickerTablePath(ctx.workspace, "features", ticker);
    if (!existsSync(path))
      throw new DataError(
        `${entry.name}: no features for ${ticker} (${path})`,
        `run: tsml features --ticker ${ticker}`,
      );
    const { frame } = await readTable(path, { kinds: ["features"] });
    const model = loadPredictor(entry.model, `registry ${entry.name}@${entry.version}`);
    const last = frame.length - 1;
    if (last < 0) throw new DataError(`${path}: no rows`);
    const columns = model.features.map((f) => frame.get(f).subarray(last));
    const p = model.predict(columns, 1);
    time.push(frame.time[last]);
    tickers.push(ticker);
    names.push(entry.name);
    version.push(entry.version);
    pred.push(p.pred[0]);
    proba.push(p.proba[0]);
    inputs.push(JSON.stringify(Object.fromEntries(model.features.map((f, j) => [f, columns[j][0]]))));
    featureFiles.push(path);
  }
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
  let all = batch;
  if (existsSync(store)) {
    const previous = (await readTable(store, { kinds: ["predictions"] })).frame;
    all = Frame.concat([previous, batch]);
  }
  await writeTable(
    store,
    all,
    tableMeta("predictions", provenance, { source: "registry", rows: all.length }),
  );
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
  return { predictions: rows, store, db };
}
