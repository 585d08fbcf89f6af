// `tsml compare RUN...`: runs side by side, one column per result: params, CV score, train and test metrics,
// and the backtest metrics of the model (the run's own, or the latest finished backtest of the same model id).
// Rows whose values differ between the columns are marked with `*`.

import { listRuns, resolveRuns } from "../artifacts/runs/run-query.js";
import { RUN_STAGES, type RunRecord } from "../artifacts/runs/run-record.js";
import { UsageError } from "../core/errors.js";
import { integerFlag, oneOfFlag } from "../core/flags.js";
import { terminalTable } from "../core/terminal-table.js";
import { formatMetric } from "../metrics/format-metric.js";
import { type RunRow, runRows } from "./runs.js";
import type { RunContext } from "./support/run-context.js";

export interface ComparedRun extends RunRow {
  params: Record<string, unknown>;
  /** The backtest run whose metrics (`backtest.*`) were joined to a train, predict or evaluate result. */
  backtestRun: string | null;
}

/** The latest finished backtest of `modelId` on `ticker`: its run id and metrics. */
function linkedBacktest(
  runs: readonly RunRecord[],
  ticker: string | null,
  modelId: string,
): { run: string; metrics: Record<string, number | null> } | null {
  for (let k = runs.length - 1; k >= 0; k--) {
    const run = runs[k];
    if (run.stage !== "backtest" || run.status !== "finished") continue;
    const result = run.results.find((r) => r.modelId === modelId && r.ticker === ticker);
    if (result) return { run: run.id, metrics: result.metrics };
  }
  return null;
}

/** The runs named, else the newest `last` runs (of `stage` when given). */
function chooseRuns(workspace: string, refs: readonly string[], options: CompareOptions): RunRecord[] {
  const last = integerFlag(options.last, "--last", { min: 1 });
  const stage = options.stage === undefined ? null : oneOfFlag(options.stage, "--stage", RUN_STAGES);
  if (refs.length > 0) {
    if (last !== undefined || stage !== null)
      throw new UsageError(
        "name runs or use --last/--stage, not both",
        "e.g. tsml compare --last 2 --stage train",
      );
    return resolveRuns(workspace, refs);
  }
  if (last === undefined)
    throw new UsageError(
      "name the runs to compare",
      "e.g. tsml compare RUN RUN, or tsml compare --last 2 --stage train",
    );
  const runs = listRuns(workspace).filter((r) => stage === null || r.stage === stage);
  if (runs.length === 0)
    throw new UsageError(
      `no ${stage ?? ""}${stage ? " " : ""}runs in ${workspace}`,
      "list them with tsml runs",
    );
  return runs.slice(-last);
}

export function compareColumns(
  workspace: string,
  refs: readonly string[],
  options: CompareOptions = {},
): ComparedRun[] {
  const chosen = chooseRuns(workspace, refs, options);
  const all = listRuns(workspace);
  return chosen.flatMap((run) => {
    const rows = runRows([run]);
    return rows.map((row, k) => {
      const params = run.results[k]?.params ?? {};
      const linked =
        run.stage !== "backtest" && row.modelId ? linkedBacktest(all, row.ticker, row.modelId) : null;
      return {
        ...row,
        params,
        metrics: { ...row.metrics, ...(linked?.metrics ?? {}) },
        backtestRun: linked?.run ?? null,
      };
    });
  });
}

/** Metric rows in reading order: CV score, train, test, the stage's own, then the backtest's. */
function metricOrder(name: string): number {
  if (name === "cv_score") return 0;
  if (name.startsWith("train.")) return 1;
  if (name.startsWith("test.")) return 2;
  if (name.startsWith("backtest.test.")) return 4;
  if (name.startsWith("backtest.")) return 5;
  return 3;
}

/** Metrics a person compares runs by; --all (and --json) show every one. */
const HEADLINE = new Set([
  "accuracy",
  "baseline_accuracy",
  "precision",
  "recall",
  "f1",
  "roc_auc",
  "log_loss",
  "overall_score",
  "positive_accuracy",
  "negative_accuracy",
  "rmse",
  "mae",
  "smape",
  "directional_accuracy",
]);
const HEADLINE_TRADING = new Set([
  "sharpe",
  "sortino",
  "total_return",
  "cagr",
  "max_drawdown",
  "excess_return",
  "hit_rate",
  "trades",
]);

/** `cv_score`, the test and evaluation headline metrics, train accuracy and ROC AUC, the test-window trading ones. */
export function isHeadlineMetric(name: string): boolean {
  const last = name.split(".").at(-1) ?? name;
  if (name.startsWith("train.")) return last === "accuracy" || last === "roc_auc";
  if (name.startsWith("backtest.test.")) return HEADLINE_TRADING.has(last);
  if (name.startsWith("backtest.")) return false;
  if (name.startsWith("test.") || !name.includes(".")) return HEADLINE.has(last) || !isKnownMetricTail(last);
  return true;
}

/** Counts such as `rows` and `predicted_positive` are shown; confusion counts are left to --all. */
function isKnownMetricTail(name: string): boolean {
  return HEADLINE.has(name) || /^(true|false)_(positives|negatives)$|^roc_auc_hard$|^rows$/.test(name);
}

const shownValue = (v: unknown): string =>
  v === undefined ? "" : typeof v === "string" ? v : v === null ? "null" : JSON.stringify(v);

/** The metric rows for these columns in reading order: the headline ones, or every one with `all`. */
export function comparedMetricNames(columns: readonly ComparedRun[], all = false): string[] {
  return [...new Set(columns.flatMap((c) => Object.keys(c.metrics)))]
    .filter((name) => all || isHeadlineMetric(name))
    .sort((a, b) => metricOrder(a) - metricOrder(b) || a.localeCompare(b));
}

export interface CompareOptions {
  all?: boolean;
  last?: string;
  stage?: string;
}

export async function compareRuns(refs: readonly string[], options: CompareOptions, ctx: RunContext) {
  const columns = compareColumns(ctx.workspace, refs, options);
  const union = (pick: (c: ComparedRun) => Record<string, unknown>) => [
    ...new Set(columns.flatMap((c) => Object.keys(pick(c)))),
  ];
  const paramNames = union((c) => c.params).sort();
  const metricNames = comparedMetricNames(columns, options.all);
  const lines: [string, string[]][] = [
    ["stage", columns.map((c) => c.stage)],
    ["status", columns.map((c) => c.status)],
    ["started", columns.map((c) => c.startedAt.replace("T", " ").slice(0, 19))],
    ["ticker", columns.map((c) => c.ticker ?? "")],
    ["model", columns.map((c) => c.model ?? "")],
    ["model id", columns.map((c) => c.modelId ?? "")],
    [
      "tags",
      columns.map((c) =>
        Object.entries(c.tags)
          .map(([k, v]) => `${k}=${v}`)
          .join(" "),
      ),
    ],
    ...paramNames.map((p): [string, string[]] => [`param ${p}`, columns.map((c) => shownValue(c.params[p]))]),
    ...metricNames.map((m): [string, string[]] => [
      m,
      columns.map((c) => (m in c.metrics ? formatMetric(m.split(".").at(-1) ?? m, c.metrics[m]) : "")),
    ]),
    ["backtest run", columns.map((c) => c.backtestRun ?? (c.stage === "backtest" ? c.run : ""))],
  ];
  const table = terminalTable(["", ...columns.map((c) => c.run)], { color: ctx.color, compact: true });
  for (const [name, values] of lines) {
    if (values.every((v) => v === "")) continue;
    const differs = columns.length > 1 && new Set(values).size > 1;
    table.push([`${differs ? "* " : "  "}${name}`, ...values]);
  }
  ctx.print(table.toString());
  return { runs: columns };
}
