// What a tracked run reports, read from its stage's --json summary: per ticker and model the params and flat
// metrics that `tsml runs` lists and `tsml compare` sets side by side.

import type { RunResult, RunStage } from "../../artifacts/runs/run-record.js";
import { modelOfId } from "../../artifacts/runs/run-record.js";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** Numbers of `set` under `prefix.` (NaN and infinities are undefined: null); nested objects are left out. */
function flatMetrics(set: unknown, prefix = ""): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  if (!isObject(set)) return out;
  for (const [k, v] of Object.entries(set))
    if (typeof v === "number") out[`${prefix}${k}`] = Number.isFinite(v) ? v : null;
    else if (v === null) out[`${prefix}${k}`] = null;
  return out;
}

function trainResults(summary: Json): RunResult[] {
  const models = Array.isArray(summary.models) ? summary.models.filter(isObject) : [summary];
  return models.map((m) => ({
    ticker: text(m.ticker),
    model: text(m.model),
    modelId: text(m.modelId),
    params: isObject(m.params) ? m.params : {},
    metrics: {
      ...(typeof m.cvScore === "number" ? { cv_score: Number.isFinite(m.cvScore) ? m.cvScore : null } : {}),
      ...flatMetrics(m.train, "train."),
      ...flatMetrics(m.test, "test."),
      ...flatMetrics(m.metrics, "test."),
    },
  }));
}

function predictResults(summary: Json): RunResult[] {
  if (Array.isArray(summary.predictions))
    return summary.predictions.filter(isObject).map((p) => ({
      ticker: text(p.ticker),
      model: modelOfId(text(p.modelId)) ?? text(p.model),
      modelId: text(p.modelId),
      params: {},
      metrics: flatMetrics({ proba: p.proba, pred: p.pred }),
    }));
  const modelId = text(summary.modelId);
  return [
    {
      ticker: text(summary.ticker),
      model: modelOfId(modelId) ?? text(summary.model),
      modelId,
      params: {},
      metrics: flatMetrics({ rows: summary.rows, predicted_positive: summary.predictedPositive }),
    },
  ];
}

function backtestResults(summary: Json): RunResult[] {
  const tickers = isObject(summary.tickers) ? summary.tickers : {};
  return Object.entries(tickers)
    .filter((entry): entry is [string, Json] => isObject(entry[1]))
    .map(([ticker, t]) => {
      const modelId = text(t.modelId);
      return {
        ticker,
        model: modelOfId(modelId),
        modelId,
        params: {},
        metrics: {
          ...flatMetrics(t.test, "backtest.test."),
          ...flatMetrics(t.whole, "backtest.whole."),
        },
      };
    });
}

function evaluateResults(summary: Json): RunResult[] {
  const tickers = isObject(summary.tickers) ? summary.tickers : {};
  return Object.entries(tickers)
    .filter((entry): entry is [string, Json] => isObject(entry[1]))
    .map(([ticker, t]) => {
      const modelId = text(t.modelId);
      return { ticker, model: modelOfId(modelId), modelId, params: {}, metrics: flatMetrics(t.metrics) };
    });
}

/** The results of a stage's summary; an unexpected shape gives no results rather than a failed run. */
export function runResults(stage: RunStage, summary: unknown): RunResult[] {
  if (!isObject(summary)) return [];
  switch (stage) {
    case "train":
      return trainResults(summary);
    case "predict":
      return predictResults(summary);
    case "backtest":
      return backtestResults(summary);
    case "evaluate":
      return evaluateResults(summary);
  }
}
