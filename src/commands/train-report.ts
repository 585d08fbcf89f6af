// Printed output of `tsml train`: metrics, the CV results table (best row marked), sorted feature importance.

import { terminalTable } from "../core/terminal-table.js";
import { fixed4, formatMetric, UNDEFINED_METRIC } from "../metrics/format-metric.js";
import type { ModelArtifactBody } from "../models/training/model-artifact.js";
import type { ImportanceSample } from "../models/training/train-model.js";
import type { RunContext } from "./support/run-context.js";

const f4 = (v: number | null | undefined) =>
  v === null || v === undefined || Number.isNaN(v) ? UNDEFINED_METRIC : v.toFixed(4);

/** The metrics table's rows, in the snake_case names the model JSON and every other output use. */
const METRIC_ROWS = [
  "accuracy",
  "baseline_accuracy",
  "precision",
  "recall",
  "f1",
  "roc_auc",
  "roc_auc_hard",
  "log_loss",
  "positive_accuracy",
  "negative_accuracy",
  "overall_score",
] as const;

/** At most this many CV rows are printed (best first); the artifact keeps them all. */
const MAX_CV_ROWS = 15;

const count = (n: number) => n.toLocaleString("en-US");

/**
 * Says which rows the importance figures come from, e.g. "permutation importance on 1,000 of 12,500 test rows
 * (seeded sample; --importance-rows all for every row), 5 shuffles per feature; TreeSHAP on 500 of 12,500".
 */
export function importanceSampleLine(sample: ImportanceSample): string {
  const { set, available, permutationRows, repeats, shapRows } = sample;
  const rowsOf = (rows: number, flag: string) =>
    rows < available
      ? `${count(rows)} of ${count(available)} ${set} rows (seeded sample; ${flag} all for every row)`
      : `all ${count(available)} ${set} rows`;
  let line = `permutation importance on ${rowsOf(permutationRows, "--importance-rows")}, ${repeats} shuffle(s) per feature`;
  if (shapRows !== null) line += `; TreeSHAP on ${rowsOf(shapRows, "--shap-rows")}`;
  return line;
}

/**
 * Accuracy beside the majority-class baseline, on the test rows when there are any:
 * "test accuracy 0.4050 vs 0.5412 always predicting 1 (the training window's majority class): -0.1362".
 */
export function baselineLine(body: ModelArtifactBody): string | null {
  if (!body.baseline) return null;
  const test = body.metrics.test;
  const [split, accuracy, base] =
    test && body.baseline.test !== null
      ? ["test", test.accuracy, body.baseline.test]
      : ["train", body.metrics.train.accuracy, body.baseline.train];
  const diff = accuracy - base;
  return (
    `${split} accuracy ${f4(accuracy)} vs ${f4(base)} always predicting ${body.baseline.class} ` +
    `(the training window's majority class): ${diff >= 0 ? "+" : ""}${f4(diff)}`
  );
}

export function printTrainReport(
  body: ModelArtifactBody,
  ctx: RunContext,
  path: string,
  seconds: number,
): void {
  if (ctx.quiet) return;
  const style = { color: ctx.color };
  const lines: string[] = [];
  lines.push(
    `${body.ticker} ${body.model}: target ${body.target} (horizon ${body.horizon}), ${body.features.length} features, ` +
      `train ${body.training.start}..${body.training.end} (${body.training.rows} rows)` +
      (body.test ? `, test ${body.test.start}..${body.test.end} (${body.test.rows} rows)` : ""),
  );
  lines.push(
    `cv ${body.cv.method} x${body.cv.splits}, purge ${body.cv.purge}, scoring ${body.cv.scoring}, ` +
      `${body.cv.results.length} combination(s), ${body.cv.jobs} job(s), ${body.cv.seconds.toFixed(2)}s`,
  );
  const cv = terminalTable(
    [
      "",
      "rank",
      "params",
      "mean test",
      "std",
      "mean train",
      ...body.cv.results[0].splitTestScores.map((_, k) => `fold ${k + 1}`),
      "fit s",
    ],
    style,
  );
  const order = body.cv.results
    .map((_, i) => i)
    .sort((a, b) => body.cv.results[a].rank - body.cv.results[b].rank || a - b);
  for (const i of order.slice(0, MAX_CV_ROWS)) {
    const r = body.cv.results[i];
    cv.push([
      i === body.cv.bestIndex ? "*" : "",
      r.rank,
      JSON.stringify(r.params),
      f4(r.meanTestScore),
      f4(r.stdTestScore),
      f4(r.meanTrainScore),
      ...r.splitTestScores.map(f4),
      r.meanFitSeconds.toFixed(3),
    ]);
  }
  lines.push(cv.toString());
  if (order.length > MAX_CV_ROWS) lines.push(`(${order.length - MAX_CV_ROWS} more rows in the artifact)`);
  const metrics = terminalTable(["metric", "train", "test"], style);
  const test = body.metrics.test;
  for (const k of METRIC_ROWS)
    metrics.push([
      k,
      formatMetric(k, body.metrics.train[k], fixed4),
      test ? formatMetric(k, test[k], fixed4) : UNDEFINED_METRIC,
    ]);
  lines.push(metrics.toString());
  const baseline = baselineLine(body);
  if (baseline) lines.push(baseline);
  const hasGain = body.importance.some((r) => r.gain !== null);
  const hasShap = body.importance.some((r) => r.meanAbsShap !== null);
  const imp = terminalTable(
    [
      "feature",
      "permutation",
      "± std",
      ...(hasGain ? ["gain"] : []),
      ...(hasShap ? ["mean |SHAP|", "mean SHAP"] : []),
    ],
    style,
  );
  for (const r of body.importance)
    imp.push([
      r.feature,
      f4(r.permutation),
      f4(r.permutationStd),
      ...(hasGain ? [f4(r.gain)] : []),
      ...(hasShap ? [f4(r.meanAbsShap), f4(r.meanShap)] : []),
    ]);
  lines.push(imp.toString());
  if (body.importanceSample) lines.push(importanceSampleLine(body.importanceSample));
  lines.push(`model written to ${path} in ${seconds.toFixed(2)}s`);
  ctx.print(lines.join("\n"));
}
