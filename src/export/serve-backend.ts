// The model side of `tsml serve`: current registry versions (reloaded when the registry changes), their
// latest features for GET /prediction, and validated feature rows for POST /predict.

import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { readTable } from "../artifacts/table-io.js";
import { tickerTablePath } from "../artifacts/workspace.js";
import { isoDate } from "../frame/dates.js";
import type { Frame } from "../frame/frame.js";
import { errorReply, type Reply, type ServeBackend } from "./http-server.js";
import type { ModelPredictor, PredictorLoader } from "./model-predictor-contract.js";
import { type RegistryEntry, readEntry, registryNames, versionsOf } from "./registry-store.js";
import { normalizeTrend } from "./trend.js";

interface Served {
  entry: RegistryEntry;
  model: ModelPredictor;
}

/** Largest number of rows one POST /predict may carry. */
export const MAX_ROWS = 10_000;
const RELOAD_MS = 2_000;

/** The seed 001 /models record for a registry entry. */
export function modelRecord(entry: RegistryEntry) {
  const m = entry.tags.metrics;
  const pick = (...keys: string[]) => {
    for (const k of keys) if (typeof m[k] === "number") return m[k];
    return null;
  };
  return {
    symbol: entry.tags.ticker,
    trend_type: entry.tags.trend,
    feature_importance: entry.tags.featureImportance,
    performance_metrics: {
      positive_accuracy: pick("positive_accuracy", "positiveAccuracy"),
      negative_accuracy: pick("negative_accuracy", "negativeAccuracy"),
      overall_score: pick("overall_score", "overallScore"),
      accuracy: pick("accuracy"),
      precision: pick("precision"),
    },
    target_pct: entry.tags.targetPct,
    prediction_window_days: entry.tags.predictionWindowDays,
    name: entry.name,
    version: entry.version,
    classifier: entry.tags.classifier,
  };
}

export function createRegistryBackend(
  workspace: string,
  loadModel: PredictorLoader,
): ServeBackend & { reload(): Promise<void> } {
  let served: Served[] = [];
  let loadedAt = 0;
  let loading: Promise<void> | null = null;

  async function reload(): Promise<void> {
    // Only directory listings on the hot path; an entry (which embeds the whole model) is read and parsed
    // only when its name gets a new current version.
    const next: Served[] = [];
    for (const name of await registryNames(workspace)) {
      const versions = await versionsOf(workspace, name);
      const current = versions[versions.length - 1];
      const known = served.find((s) => s.entry.name === name && s.entry.version === current);
      if (known) next.push(known);
      else {
        const entry = await readEntry(workspace, name, current);
        next.push({ entry, model: loadModel(entry.model, `registry ${entry.name}@${entry.version}`) });
      }
    }
    served = next;
    loadedAt = Date.now();
  }

  async function fresh(): Promise<Served[]> {
    if (Date.now() - loadedAt > RELOAD_MS) {
      loading ??= reload().finally(() => {
        loading = null;
      });
      await loading;
    }
    return served;
  }

  function find(list: Served[], symbol: string, trend: string | null): Served | undefined {
    return list.find(
      (s) => s.entry.tags.ticker === symbol && (trend === null || s.entry.tags.trend === trend),
    );
  }

  // Features tables are re-read only when their file changes (GET /prediction uses the last row).
  const featureCache = new Map<string, { mtimeMs: number; frame: Frame }>();
  async function latestFeatures(path: string): Promise<Frame> {
    const { mtimeMs } = await stat(path);
    const cached = featureCache.get(path);
    if (cached && cached.mtimeMs === mtimeMs) return cached.frame;
    const { frame } = await readTable(path, { kinds: ["features"] });
    featureCache.set(path, { mtimeMs, frame });
    return frame;
  }

  async function prediction(symbol: string, trendText: string): Promise<Reply> {
    const trend = normalizeTrend(trendText);
    if (!trend) return errorReply(400, `trend_type "${trendText}" must be up or down`, "trend_type");
    const target = find(await fresh(), symbol, trend);
    if (!target) return errorReply(404, `no registered model for symbol ${symbol} and trend_type ${trend}`);
    const path = tickerTablePath(workspace, "features", symbol);
    if (!existsSync(path))
      return errorReply(
        404,
        `no features for ${symbol} in the workspace (run: tsml features --ticker ${symbol})`,
      );
    const frame = await latestFeatures(path);
    const last = frame.length - 1;
    if (last < 0) return errorReply(404, `features for ${symbol} are empty`);
    const columns = target.model.features.map((f) => frame.get(f).subarray(last));
    const { pred, proba } = target.model.predict(columns, 1);
    return {
      status: 200,
      body: {
        prediction_probabilities: proba[0],
        prediction: pred[0],
        symbol,
        trend_type: trend,
        date: isoDate(frame.time[last]),
        model: target.entry.name,
        version: target.entry.version,
      },
    };
  }

  async function predict(body: unknown): Promise<Reply> {
    if (typeof body !== "object" || body === null || Array.isArray(body))
      return errorReply(400, 'body must be a JSON object like {"model": "SPX_up", "rows": [{...}]}', "body");
    const b = body as Record<string, unknown>;
    const list = await fresh();
    let target: Served | undefined;
    if (b.model !== undefined) {
      if (typeof b.model !== "string")
        return errorReply(400, "model must be a string (a registry name)", "model");
      target = list.find((s) => s.entry.name === b.model || `${s.entry.name}@${s.entry.version}` === b.model);
      if (!target) return errorReply(404, `no registered model named ${b.model}`);
    } else if (b.symbol !== undefined) {
      if (typeof b.symbol !== "string") return errorReply(400, "symbol must be a string", "symbol");
      const trend = b.trend_type === undefined ? null : normalizeTrend(String(b.trend_type));
      if (b.trend_type !== undefined && !trend)
        return errorReply(400, "trend_type must be up or down", "trend_type");
      target = find(list, b.symbol, trend);
      if (!target) return errorReply(404, `no registered model for symbol ${b.symbol}`);
    } else if (list.length === 1) {
      target = list[0];
    } else {
      return errorReply(
        400,
        `name the model: "model" is required when ${list.length} models are registered`,
        "model",
      );
    }
    const rows = b.rows !== undefined ? b.rows : b.row !== undefined ? [b.row] : undefined;
    const field = b.rows !== undefined ? "rows" : "row";
    if (!Array.isArray(rows)) return errorReply(400, "rows must be an array of feature objects", "rows");
    if (rows.length === 0) return errorReply(400, "rows is empty", "rows");
    if (rows.length > MAX_ROWS)
      return errorReply(400, `rows has ${rows.length} rows (at most ${MAX_ROWS})`, "rows");
    const features = target.model.features;
    const n = rows.length;
    const columns = features.map(() => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      const where = b.rows !== undefined ? `rows[${i}]` : field;
      if (typeof row !== "object" || row === null || Array.isArray(row))
        return errorReply(400, `${where} must be an object of feature values`, where);
      for (let j = 0; j < features.length; j++) {
        const v = (row as Record<string, unknown>)[features[j]];
        if (v === undefined)
          return errorReply(400, `${where}.${features[j]} is missing`, `${where}.${features[j]}`);
        if (typeof v !== "number" || !Number.isFinite(v))
          return errorReply(
            400,
            `${where}.${features[j]} must be a finite number`,
            `${where}.${features[j]}`,
          );
        columns[j][i] = v;
      }
    }
    const { pred, proba } = target.model.predict(columns, n);
    const predictions = new Array(n);
    for (let i = 0; i < n; i++) predictions[i] = { pred: pred[i], proba: proba[i] };
    return { status: 200, body: { model: target.entry.name, version: target.entry.version, predictions } };
  }

  return {
    reload,
    models: async () => (await fresh()).map((s) => modelRecord(s.entry)),
    prediction,
    predict,
    health: async () => ({ models: (await fresh()).length }),
  };
}
