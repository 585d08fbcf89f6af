// The predictions artifact (predictions/<T>.parquet): a model's output per ticker and date, written by
// `tsml predict` (tabular models, sequence models, the registry batch).

import { SCHEMA_VERSION } from "../artifact-kind.js";
import type { Provenance } from "../provenance.js";
import { type ReadTableOptions, readTable, type TableMeta } from "../table-io.js";
import { detailsObject, isoSplitDate, numberField, textField, textListField } from "./details-fields.js";
import { type TableArtifactMeta, typedMeta } from "./table-artifact.js";

export type PredictionTask = "classification" | "regression";

/**
 * Schema 2: every field present (null when it does not apply) and `splitDate` in its one ISO spelling. Schema 1
 * left fields out (a sequence model without a split had no `splitDate`, a forecaster no `label`) and carried
 * the model's split date as the user typed it; both read as schema 2.
 */
export interface PredictionsDetails {
  /** `<ticker>/<model>@<fingerprint>`; null for the registry batch (one model per row, in `model_id`). */
  modelId: string | null;
  model: string | null;
  ticker: string | null;
  task: PredictionTask | null;
  /** What the model predicts: the label column (tabular), the forecast series (sequence). */
  target: string | null;
  /** Bars ahead: the label's horizon (tabular), the number of forecast steps (sequence). */
  horizon: number | null;
  /** The model's train/test boundary: rows from it on are out of sample. */
  splitDate: string | null;
  /** Sequence classifiers: the label column; null when the model derived its up/down label. */
  label: string | null;
  features: string[] | null;
  modelFolder: string | null;
  /** Recursive forecast steps (predict --recursive), 0 for batch predictions. */
  recursive: number;
  columns: string[] | null;
  /** "registry" for the registry batch. */
  source: string | null;
  rows: number | null;
}

export type PredictionsMeta = TableArtifactMeta<"predictions", PredictionsDetails>;

/** A predictions footer's details, typed; also the schema-1 migration (absent fields read as null). */
export function predictionsDetails(raw: unknown): PredictionsDetails {
  const d = detailsObject(raw);
  const task = d.task === "classification" || d.task === "regression" ? d.task : null;
  return {
    modelId: textField(d.modelId),
    model: textField(d.model),
    ticker: textField(d.ticker),
    task,
    target: textField(d.target),
    horizon: numberField(d.horizon),
    splitDate: isoSplitDate(d.splitDate),
    label: textField(d.label),
    features: textListField(d.features),
    modelFolder: textField(d.modelFolder),
    recursive: numberField(d.recursive) ?? 0,
    columns: textListField(d.columns),
    source: textField(d.source),
    rows: numberField(d.rows),
  };
}

/** The footer tsml predict writes: the given facts in their one spelling, every other field null. */
export function predictionsMeta(provenance: Provenance, details: Partial<PredictionsDetails>): TableMeta {
  return {
    kind: "predictions",
    schemaVersion: SCHEMA_VERSION.predictions,
    provenance,
    details: { ...predictionsDetails(details) },
  };
}

/** Reads a predictions table. */
export async function readPredictions(path: string, options: Omit<ReadTableOptions, "kinds"> = {}) {
  const { frame, meta, path: read } = await readTable(path, { ...options, kinds: ["predictions"] });
  return { frame, path: read, meta: meta ? typedMeta(path, meta, "predictions", predictionsDetails) : null };
}
