// The model side of `tsml serve`: current registry versions (reloaded when the registry changes), their
// latest features for GET /prediction, and validated feature rows for POST /predict. A current version that
// cannot be read, loaded or scored is excluded on its own: requests for it get 503, everything else is served.

import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { readFeatures } from "../artifacts/kinds/features-artifact.js";
import { tickerTablePath } from "../artifacts/workspace.js";
import { TsmlError } from "../core/errors.js";
import { isoDate, parseIsoDate } from "../frame/dates.js";
import type { Frame } from "../frame/frame.js";
import { errorReply, type Reply, type ServeBackend } from "./http-server.js";
import type { ModelPredictor, PredictorLoader, SequencePredictor } from "./model-predictor-contract.js";
import { checkPredictor } from "./predictor-check.js";
import {
  brokenTags,
  entryPath,
  type RegistryEntry,
  readEntry,
  registryDir,
  registryNames,
  versionsOf,
} from "./registry-store.js";
import { normalizeTrend } from "./trend.js";

interface Served {
  entry: RegistryEntry;
  model: ModelPredictor;
  /** mtime, size and inode of the entry file when it was loaded: a rewritten file is checked again. */
  stamp: string;
}

/** A current version that failed to read, load or score; requests for it are answered 503. */
export interface ExcludedModel {
  name: string;
  version: number;
  /** What is wrong, with the workspace path left out (it is sent to clients). */
  error: string;
  /** Ticker and trend when the entry could be read that far. */
  tags: { ticker: string; trend: string } | null;
  stamp: string;
}

export interface BackendOptions {
  /** Called with one line for each new problem: a version excluded, the registry folder unreadable. */
  report?: (line: string) => void;
  /**
   * A ticker's live feature rows, newest last: the features recomputed on the latest bars with the unlabelled
   * tail kept (commands/live-features.ts). Default: the features artifact's rows as written.
   */
  liveFeatures?: (ticker: string) => Promise<{ frame: Frame }>;
}

/** seed 001's TrendType values, which GET /prediction answers with. */
const SEED001_TREND = { up: "uptrend", down: "downtrend" } as const;

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

/**
 * The backend over a workspace's registry; `reload()` never throws for one bad entry (it is excluded and
 * reported through `onExcluded`).
 * @example
 * const backend = createRegistryBackend(workspace, loadPredictor, { onExcluded: (x) => log.warn(x.error) });
 */
export function createRegistryBackend(
  workspace: string,
  loadModel: PredictorLoader,
  options: BackendOptions = {},
): ServeBackend & { reload(): Promise<void>; excluded(): readonly ExcludedModel[] } {
  let served: Served[] = [];
  let excluded: ExcludedModel[] = [];
  let registryError: string | null = null;
  let loadedAt = 0;
  let loading: Promise<void> | null = null;
  const root = registryDir(workspace);
  // Clients see "registry/NAME/vN.json", not where the workspace lives.
  const publicText = (text: string) => text.split(root).join("registry");

  async function stampOf(name: string, version: number): Promise<string> {
    const s = await stat(entryPath(workspace, name, version));
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  }

  function servedTags(name: string): ExcludedModel["tags"] {
    const before = served.find((s) => s.entry.name === name);
    return before ? { ticker: before.entry.tags.ticker, trend: before.entry.tags.trend } : null;
  }

  async function reload(): Promise<void> {
    // Only directory listings and one stat per name on the hot path; an entry (which embeds the whole model)
    // is read, loaded and test-scored only when its name gets a new current version or its file changes.
    let names: string[];
    try {
      names = await registryNames(workspace);
      registryError = null;
    } catch (error) {
      // The registry folder itself is unreadable: keep serving what was loaded, say so in /healthz.
      const text = `registry folder unreadable (${(error as Error).message})`;
      if (registryError !== publicText(text))
        options.report?.(`${text}; still serving the ${served.length} model(s) loaded before`);
      registryError = publicText(text);
      loadedAt = Date.now();
      return;
    }
    const next: Served[] = [];
    const nextExcluded: ExcludedModel[] = [];
    for (const name of names) {
      let version = 0;
      let stamp = "";
      let tags: ExcludedModel["tags"] = null;
      try {
        const versions = await versionsOf(workspace, name);
        if (versions.length === 0) continue; // removed since the listing
        version = versions[versions.length - 1];
        stamp = await stampOf(name, version);
        const known = served.find(
          (s) => s.entry.name === name && s.entry.version === version && s.stamp === stamp,
        );
        if (known) {
          next.push(known);
          continue;
        }
        const bad = excluded.find((x) => x.name === name && x.version === version && x.stamp === stamp);
        if (bad) {
          nextExcluded.push(bad);
          continue;
        }
        const entry = await readEntry(workspace, name, version);
        tags = { ticker: entry.tags.ticker, trend: entry.tags.trend };
        const label = `registry ${name}@${version}`;
        const model = await loadModel(entry.model, label);
        checkPredictor(model, label);
        next.push({ entry, model, stamp });
      } catch (error) {
        // Anything this one entry throws (unreadable, wrong shape, no state, unknown family, a state that
        // cannot score) excludes it alone; it is reported once, until its file changes.
        const message = error instanceof Error ? error.message : String(error);
        const out: ExcludedModel = {
          name,
          version,
          error: publicText(message),
          // A file that no longer parses keeps the tags of the version served from it before.
          tags: tags ?? brokenTags(error) ?? servedTags(name),
          stamp,
        };
        nextExcluded.push(out);
        options.report?.(`registry ${name}@${version} excluded (requests for it get 503): ${message}`);
      }
    }
    served = next;
    excluded = nextExcluded;
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

  /** An excluded version a symbol/trend request is about: by its tags, or by the default name <T>_<trend>. */
  function findExcluded(symbol: string, trend: string | null): ExcludedModel | undefined {
    return excluded.find((x) =>
      x.tags
        ? x.tags.ticker === symbol && (trend === null || x.tags.trend === trend)
        : trend === null
          ? x.name === `${symbol}_up` || x.name === `${symbol}_down`
          : x.name === `${symbol}_${trend}`,
    );
  }

  function unavailable(x: ExcludedModel): Reply {
    return {
      status: 503,
      body: {
        error: `model ${x.name}@${x.version} is unavailable: ${x.error}`,
        model: `${x.name}@${x.version}`,
      },
    };
  }

  // Features tables are re-read only when their file changes (GET /prediction uses the last row).
  const featureCache = new Map<string, { mtimeMs: number; frame: Frame }>();
  async function latestFeatures(path: string): Promise<Frame> {
    const { mtimeMs } = await stat(path);
    const cached = featureCache.get(path);
    if (cached && cached.mtimeMs === mtimeMs) return cached.frame;
    const { frame } = await readFeatures(path);
    featureCache.set(path, { mtimeMs, frame });
    return frame;
  }

  async function prediction(symbol: string, trendText: string): Promise<Reply> {
    const trend = normalizeTrend(trendText);
    if (!trend) return errorReply(400, `trend_type "${trendText}" must be up or down`, "trend_type");
    const target = find(await fresh(), symbol, trend);
    if (!target) {
      const x = findExcluded(symbol, trend);
      if (x) return unavailable(x);
      return errorReply(404, `no registered model for symbol ${symbol} and trend_type ${trend}`);
    }
    const path = tickerTablePath(workspace, "features", symbol);
    if (!existsSync(path))
      return errorReply(
        404,
        `no features for ${symbol} in the workspace (run: tsml features --ticker ${symbol})`,
      );
    let frame: Frame;
    try {
      frame = options.liveFeatures ? (await options.liveFeatures(symbol)).frame : await latestFeatures(path);
    } catch (error) {
      if (!(error instanceof TsmlError)) throw error;
      return errorReply(503, `features for ${symbol} are unreadable: ${publicText(error.message)}`);
    }
    const last = frame.length - 1;
    if (last < 0) return errorReply(404, `features for ${symbol} are empty`);
    if (target.model.kind === "sequence") return pricesNeeded(target);
    const missing = target.model.features.filter((f) => !frame.has(f));
    if (missing.length > 0)
      return errorReply(
        503,
        `features for ${symbol} lack ${missing.join(", ")}, which model ${target.entry.name}@${target.entry.version} needs`,
      );
    const columns = target.model.features.map((f) => frame.get(f).subarray(last));
    const { pred, proba } = target.model.predict(columns, 1);
    return {
      status: 200,
      body: {
        prediction_probabilities: proba[0],
        prediction: pred[0],
        symbol,
        trend_type: SEED001_TREND[trend],
        date: isoDate(frame.time[last]),
        model: target.entry.name,
        version: target.entry.version,
      },
    };
  }

  function pricesNeeded(target: Served): Reply {
    const steps = target.model.kind === "sequence" ? target.model.steps : 0;
    return errorReply(
      400,
      `model ${target.entry.name}@${target.entry.version} forecasts from prices: POST /predict with {"model": "${target.entry.name}", "prices": [the last ${steps} prices]}`,
    );
  }

  /** A sequence model's forecasts: one per full window of the posted prices (oldest first). */
  function forecast(target: Served, model: SequencePredictor, b: Record<string, unknown>): Reply {
    const prices = b.prices;
    if (b.rows !== undefined || b.row !== undefined || !Array.isArray(prices))
      return errorReply(
        400,
        `model ${target.entry.name} forecasts from prices: send {"prices": [the last ${model.steps} prices, oldest first]}`,
        "prices",
      );
    if (prices.length < model.steps)
      return errorReply(400, `prices has ${prices.length} values, the model needs ${model.steps}`, "prices");
    if (prices.length > MAX_ROWS)
      return errorReply(400, `prices has ${prices.length} values (at most ${MAX_ROWS})`, "prices");
    const bad = prices.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
    if (bad >= 0) return errorReply(400, `prices[${bad}] must be a finite number`, `prices[${bad}]`);
    let times: number[] | undefined;
    if (b.dates !== undefined) {
      if (!Array.isArray(b.dates) || b.dates.length !== prices.length)
        return errorReply(400, "dates must be an array with one date per price", "dates");
      times = [];
      for (let i = 0; i < b.dates.length; i++) {
        const ms = typeof b.dates[i] === "string" ? parseIsoDate(b.dates[i] as string) : null;
        if (ms === null)
          return errorReply(400, `dates[${i}] must be an ISO date (YYYY-MM-DD)`, `dates[${i}]`);
        times.push(ms);
      }
    }
    const rows = model.forecast(prices as number[], times);
    const predictions = rows.map((row) => Object.fromEntries(model.columns.map((c, k) => [c, row[k]])));
    return {
      status: 200,
      body: {
        model: target.entry.name,
        version: target.entry.version,
        steps: model.steps,
        horizon: model.horizon,
        predictions,
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
      if (!target) {
        const x = excluded.find((e) => e.name === b.model || `${e.name}@${e.version}` === b.model);
        if (x) return unavailable(x);
        return errorReply(404, `no registered model named ${b.model}`);
      }
    } else if (b.symbol !== undefined) {
      if (typeof b.symbol !== "string") return errorReply(400, "symbol must be a string", "symbol");
      const trend = b.trend_type === undefined ? null : normalizeTrend(String(b.trend_type));
      if (b.trend_type !== undefined && !trend)
        return errorReply(400, "trend_type must be up or down", "trend_type");
      target = find(list, b.symbol, trend);
      if (!target) {
        const x = findExcluded(b.symbol, trend);
        if (x) return unavailable(x);
        return errorReply(404, `no registered model for symbol ${b.symbol}`);
      }
    } else if (list.length + excluded.length === 1) {
      if (list.length === 0) return unavailable(excluded[0]);
      target = list[0];
    } else {
      return errorReply(
        400,
        `name the model: "model" is required when ${list.length + excluded.length} models are registered`,
        "model",
      );
    }
    if (target.model.kind === "sequence") return forecast(target, target.model, b);
    if (b.prices !== undefined)
      return errorReply(
        400,
        `model ${target.entry.name} scores feature rows, not prices: send {"rows": [{...}]}`,
        "prices",
      );
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
    excluded: () => excluded,
    models: async () => (await fresh()).map((s) => modelRecord(s.entry)),
    prediction,
    predict,
    health: async () => {
      const models = (await fresh()).length;
      const problems = excluded.map(({ name, version, error }) => ({ name, version, error }));
      return {
        status: problems.length > 0 || registryError ? "degraded" : "ok",
        models,
        excluded: problems,
        ...(registryError ? { registryError } : {}),
      };
    },
  };
}
