// Printed output of `tsml train`: metrics, the CV results table (best row marked), sorted feature importance.

import Table from "cli-table3";
import type { ModelArtifactBody } from "../models/training/model-artifact.js";
import type { RunContext } from "./run-context.js";

const f4 = (v: number | null | undefined) =>
  v === null || v === undefined || Number.isNaN(v) ? "-" : v.toFixed(4);

/** At most this many CV rows are printed (best first); the artifact keeps them all. */
const MAX_CV_ROWS = 15;

export function printTrainReport(
  body: ModelArtifactBody,
  ctx: RunContext,
  path: string,
  seconds: number,
): void {
  if (ctx.quiet) return;
  const style = { head: ctx.color ? ["cyan"] : [], border: ctx.color ? ["grey"] : [] };
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
  const cv = new Table({
    head: [
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
  });
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
  const metrics = new Table({ head: ["metric", "train", "test"], style });
  const keys = [
    "accuracy",
    "precision",
    "recall",
    "f1",
    "rocAuc",
    "positiveAccuracy",
    "negativeAccuracy",
    "overallScore",
  ] as const;
  for (const k of keys) metrics.push([k, f4(body.metrics.train[k]), f4(body.metrics.test?.[k])]);
  lines.push(metrics.toString());
  const hasGain = body.importance.some((r) => r.gain !== null);
  const hasShap = body.importance.some((r) => r.meanAbsShap !== null);
  const imp = new Table({
    head: [
      "feature",
      "permutation",
      "± std",
      ...(hasGain ? ["gain"] : []),
      ...(hasShap ? ["mean |SHAP|", "mean SHAP"] : []),
    ],
    style,
  });
  for (const r of body.importance)
    imp.push([
      r.feature,
      f4(r.permutation),
      f4(r.permutationStd),
      ...(hasGain ? [f4(r.gain)] : []),
      ...(hasShap ? [f4(r.meanAbsShap), f4(r.meanShap)] : []),
    ]);
  lines.push(imp.toString());
  lines.push(`model written to ${path} in ${seconds.toFixed(2)}s`);
  ctx.print(lines.join("\n"));
}
