// `tsml runs`: the run history, newest last, one line per result (a run that trained two tickers shows two),
// filtered by ticker, model, stage, status and tags, with each stage's key metrics.

import { listRuns } from "../artifacts/runs/run-query.js";
import { RUN_STAGES, type RunRecord, type RunResult, type RunStage } from "../artifacts/runs/run-record.js";
import { integerFlag, oneOfFlag, tickerListFlag } from "../core/flags.js";
import { terminalTable } from "../core/terminal-table.js";
import { formatMetric } from "../metrics/format-metric.js";
import type { RunContext } from "./support/run-context.js";

export interface RunsOptions {
  ticker?: string[];
  model?: string[];
  stage?: string;
  status?: string;
  last?: string;
}

/** The metrics `tsml runs` shows for each stage (the ones a result has, in this order). */
const KEY_METRICS: Record<RunStage, readonly string[]> = {
  train: ["cv_score", "test.accuracy", "test.roc_auc", "test.smape"],
  predict: ["rows", "predicted_positive"],
  backtest: ["backtest.test.sharpe", "backtest.test.total_return", "backtest.whole.sharpe"],
  evaluate: ["accuracy", "roc_auc", "sharpe", "smape"],
};

export interface RunRow {
  run: string;
  stage: RunStage;
  status: string;
  startedAt: string;
  ticker: string | null;
  model: string | null;
  modelId: string | null;
  tags: Record<string, string>;
  metrics: Record<string, number | null>;
}

/** One row per result; a run with no results (failed early) is one row of its own. */
export function runRows(runs: readonly RunRecord[]): RunRow[] {
  return runs.flatMap((run) => {
    const results: (RunResult | null)[] = run.results.length > 0 ? run.results : [null];
    return results.map((r) => ({
      run: run.id,
      stage: run.stage,
      status: run.status,
      startedAt: run.startedAt,
      ticker: r?.ticker ?? null,
      model: r?.model ?? null,
      modelId: r?.modelId ?? null,
      tags: run.tags,
      metrics: r?.metrics ?? {},
    }));
  });
}

export async function listRunsCommand(options: RunsOptions, ctx: RunContext) {
  const tickers = tickerListFlag(options.ticker, "--ticker");
  const models = tickerListFlag(options.model, "--model");
  const stage = options.stage === undefined ? null : oneOfFlag(options.stage, "--stage", RUN_STAGES);
  const status =
    options.status === undefined
      ? null
      : oneOfFlag(options.status, "--status", ["running", "finished", "failed"] as const);
  // The global --tag: on a stage it tags the run, here it keeps the runs that carry every tag given.
  const tags = ctx.tags ?? {};
  const last = integerFlag(options.last, "--last", { min: 1 });
  const all = listRuns(ctx.workspace);
  const runs = all.filter(
    (run) =>
      (stage === null || run.stage === stage) &&
      (status === null || run.status === status) &&
      Object.entries(tags).every(([k, v]) => run.tags[k] === v),
  );
  let rows = runRows(runs).filter(
    (row) =>
      (tickers.length === 0 || (row.ticker !== null && tickers.includes(row.ticker))) &&
      (models.length === 0 || (row.model !== null && models.includes(row.model))),
  );
  if (last !== undefined) rows = rows.slice(-last);
  if (rows.length === 0)
    ctx.print(
      all.length === 0
        ? `no runs in ${ctx.workspace} yet: tsml train, predict, backtest and evaluate record one each`
        : "no runs match",
    );
  else ctx.print(runsTable(rows, ctx.color));
  return { runs: rows };
}

function runsTable(rows: readonly RunRow[], color: boolean): string {
  const table = terminalTable(["run", "stage", "status", "started", "ticker", "model", "metrics", "tags"], {
    color: color,
    compact: true,
  });
  for (const row of rows) {
    const shown = KEY_METRICS[row.stage]
      .filter((name) => name in row.metrics)
      .map((name) => `${name}=${formatMetric(name.split(".").at(-1) ?? name, row.metrics[name])}`);
    table.push([
      row.run,
      row.stage,
      row.status,
      row.startedAt.replace("T", " ").slice(0, 19),
      row.ticker ?? "",
      row.model ?? "",
      shown.join(" "),
      Object.entries(row.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(" "),
    ]);
  }
  return table.toString();
}
