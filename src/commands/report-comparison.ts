// The run comparison a report shows per ticker: the ticker's newest finished training runs (the lineage's own
// run always among them), compared exactly as `tsml compare` compares them (compare-runs.ts).

import { listRuns } from "../artifacts/runs/run-query.js";
import type { RunComparison } from "../export/tearsheet/comparison-section.js";
import { compareColumns, comparedMetricNames } from "./compare-runs.js";

/** Columns at most: wider tables stop being readable on a page. */
const MAX_RUNS = 4;

/** Null when the workspace keeps no finished training run of `ticker`. */
export function reportComparison(
  workspace: string,
  ticker: string,
  lineageModelId: string | null,
): RunComparison | null {
  const runs = listRuns(workspace).filter(
    (r) => r.stage === "train" && r.status === "finished" && r.results.some((x) => x.ticker === ticker),
  );
  if (runs.length === 0) return null;
  const lineage = lineageModelId
    ? (runs.findLast((r) => r.results.some((x) => x.modelId === lineageModelId)) ?? null)
    : null;
  let chosen = runs.slice(-MAX_RUNS);
  if (lineage && !chosen.includes(lineage)) chosen = [lineage, ...chosen.slice(-(MAX_RUNS - 1))];
  const columns = compareColumns(
    workspace,
    chosen.map((r) => r.id),
  ).filter((c) => c.ticker === ticker);
  if (columns.length === 0) return null;
  return { columns, metrics: comparedMetricNames(columns), lineageRun: lineage?.id ?? null };
}
