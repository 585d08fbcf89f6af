// The model artifact's train/test facts (models/<T>/<model>.json, or a sequence model's tsml.json): the split
// date and the metrics, read here and nowhere else. The rest of the body (state, scaler, weights) belongs to the
// models stage, which loads it.

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { snakeCaseMetric } from "../../metrics/format-metric.js";
import { readJsonArtifact } from "../json-artifact.js";
import { detailsObject, isoSplitDate } from "./details-fields.js";

export interface ModelSplitFacts {
  /** The train/test boundary in its one ISO spelling; null when the model was fitted on every row. */
  splitDate: string | null;
  /** snake_case metric names; NaN where the file holds null (a metric undefined on that window). */
  trainMetrics: Record<string, number>;
  testMetrics: Record<string, number>;
}

/**
 * A metrics object in today's snake_case names: model files written before the one spelling keep camelCase
 * (`rocAuc`, `overallScore`), newer ones snake_case; null (an undefined metric in JSON) reads as NaN.
 * @example metricRecord({ rocAuc: 0.7, log_loss: null }) // { roc_auc: 0.7, log_loss: NaN }
 */
export function metricRecord(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(detailsObject(value))) {
    if (typeof v === "number") out[snakeCaseMetric(k)] = v;
    else if (v === null) out[snakeCaseMetric(k)] = Number.NaN;
  }
  return out;
}

/**
 * The split and metrics of a model artifact, whichever family wrote it. Every family now writes `splitDate` and
 * `metrics: { train?, test }`; sequence model folders written before that kept `split: { splitDate }` and one flat
 * `metrics` object measured on their test windows, and still read.
 * @example modelSplitFacts(readJsonArtifact("models/SPX/rf.json", ["model"])).splitDate // "2016-01-04"
 */
export function modelSplitFacts(artifact: object): ModelSplitFacts {
  const a = artifact as Record<string, unknown>;
  const metrics = detailsObject(a.metrics);
  const tabular = "train" in metrics || "test" in metrics;
  const split = "splitDate" in a ? a.splitDate : detailsObject(a.split).splitDate;
  return {
    splitDate: isoSplitDate(split),
    trainMetrics: tabular ? metricRecord(metrics.train) : {},
    testMetrics: metricRecord(tabular ? metrics.test : metrics),
  };
}

/** Reads a model artifact's split and metrics: a model file, or a sequence model folder (its tsml.json). */
export function readModelSplitFacts(path: string): ModelSplitFacts {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, "tsml.json") : path;
  return modelSplitFacts(readJsonArtifact(file, ["model"]));
}
