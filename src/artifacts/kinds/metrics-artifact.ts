// The metrics artifact (JSON): what `tsml evaluate` measured (metrics/<T>.json) and the summary `tsml backtest`
// writes beside its table (backtests/<T>.metrics.json), told apart by `source`.

import type { ArtifactKind } from "../artifact-kind.js";
import { type JsonArtifact, jsonArtifact, readJsonArtifact } from "../json-artifact.js";
import type { Provenance } from "../provenance.js";
import { detailsObject, isoSplitDate, numberField } from "./details-fields.js";

/** One ticker of a backtest summary: its split date and its capital, rules and window metrics. */
export interface BacktestSummaryTicker {
  splitDate: string | null;
  [fact: string]: unknown;
}

/** Schema 2 (unchanged from 1): `tsml backtest`'s summary. */
export interface BacktestSummary {
  source: "backtest";
  periodsPerYear: number | null;
  tickers: Record<string, BacktestSummaryTicker>;
  combined: unknown;
}

/**
 * `tsml evaluate`'s output: one ticker's body (ticker, modelId, sources, metrics, forecast), or `tickers: [...]`
 * for `-o FILE`. Schema 2 adds `source: "evaluate"`; schema-1 files (no source) read as it.
 */
export interface Evaluation {
  source: "evaluate";
  [field: string]: unknown;
}

const KIND: ArtifactKind = "metrics";

/** The summary file tsml backtest writes. */
export function backtestSummaryArtifact(
  provenance: Provenance,
  body: Omit<BacktestSummary, "source">,
): JsonArtifact {
  return jsonArtifact(KIND, provenance, { source: "backtest", ...body });
}

/** The metrics file tsml evaluate writes. */
export function evaluationArtifact(provenance: Provenance, body: Record<string, unknown>): JsonArtifact {
  return jsonArtifact(KIND, provenance, { source: "evaluate", ...body });
}

/** The body of a metrics artifact, less its kind, version and provenance. */
function bodyOf(artifact: JsonArtifact): Record<string, unknown> {
  const { kind: _kind, schemaVersion: _version, provenance: _provenance, ...body } = artifact;
  return body;
}

/** Reads a backtest summary (`<table>.metrics.json`); null when the file holds an evaluation instead. */
export function readBacktestSummary(
  path: string,
): { provenance: Provenance; summary: BacktestSummary } | null {
  const artifact = readJsonArtifact(path, ["metrics"]);
  const body = bodyOf(artifact);
  if (body.source !== "backtest") return null;
  const tickers: Record<string, BacktestSummaryTicker> = {};
  for (const [ticker, value] of Object.entries(detailsObject(body.tickers))) {
    const t = detailsObject(value);
    tickers[ticker] = { ...t, splitDate: isoSplitDate(t.splitDate) };
  }
  return {
    provenance: artifact.provenance,
    summary: {
      source: "backtest",
      periodsPerYear: numberField(body.periodsPerYear),
      tickers,
      combined: body.combined ?? null,
    },
  };
}

/** Reads tsml evaluate's metrics file; null when the file is a backtest summary. */
export function readEvaluation(path: string): { provenance: Provenance; evaluation: Evaluation } | null {
  const artifact = readJsonArtifact(path, ["metrics"]);
  const body = bodyOf(artifact);
  if (body.source === "backtest") return null;
  return { provenance: artifact.provenance, evaluation: { ...body, source: "evaluate" } };
}
