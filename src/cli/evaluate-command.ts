// `tsml evaluate`: flags only; the work is in commands/evaluate.ts.

import type { Command } from "commander";
import type { EvaluateCliOptions } from "../commands/evaluate.js";
import { collect } from "./run-action.js";
import { trackedAction } from "./tracked-action.js";
import { typed } from "./typed-command.js";

export function registerEvaluate(program: Command): void {
  typed(program.command("evaluate"))
    .description(
      "score predictions and backtests, keep a metrics history, and fail (exit 5) when a gate holds",
    )
    .option(
      "-i, --input <file>",
      "predictions or backtest Parquet, or features with -m (default: the workspace's predictions/ and backtests/)",
    )
    .option(
      "--ticker <ticker>",
      "ticker(s) to evaluate, repeatable or comma-separated (default: all)",
      collect,
      [],
    )
    .option(
      "--queue <url>",
      "one job per ticker for `tsml worker`s on this Redis job queue (redis://HOST:6379) instead of here",
    )
    .option("-m, --model <file>", "trained model JSON: score its ticker's features in memory and evaluate")
    .option(
      "--last <n>",
      "score only the most recent N rows (seed 003: 120 for the LSTM, 40 for the classifier)",
    )
    .option(
      "--fail-if <expr>",
      'exit 5 when true, e.g. "smape>100", "roc_auc<0.8", "roc_auc < previous - 0.05", "sharpe<0.5 || max_drawdown>20%" (repeatable)',
      collect,
      [],
    )
    .option("--history", "show the metrics history (table and line) instead of evaluating")
    .option("--metric <name>", "metric(s) to show with --history (repeatable)", collect, [])
    .option("--no-record", "do not append this run to the metrics history")
    .option("--to-db <url>", "also append the metrics to a database (duckdb:FILE, postgres://, mysql://)")
    .option("--to-table <name>", "table for --to-db (default metrics_history)")
    .option("-o, --output <file>", "metrics JSON for all tickers (default: workspace metrics/<T>.json)")
    .addHelpText(
      "after",
      '\nExamples:\n  tsml evaluate --ticker SPX\n  tsml evaluate --ticker SPX --last 40 --fail-if "roc_auc<0.8"\n  tsml evaluate --history --ticker SPX --metric smape\n\nExit codes: 5 when any --fail-if gate holds (or its metric is undefined), 2 for an unknown metric.\n',
    )
    // Loaded on use: the other subcommands never pay for DuckDB history, charts or the model families.
    .action(
      trackedAction(
        "evaluate",
        async (_args, options: EvaluateCliOptions, ctx) => {
          // Predictions missing or older than the latest model are scored first (unless --no-build).
          const { prepareEvaluate } = await import("../commands/build/stage-inputs.js");
          // Gates and counts checked first: a bad one exits 2 before any predictions are scored for it.
          const { evaluate, evaluateSettings } = await import("../commands/evaluate.js");
          evaluateSettings(options);
          await prepareEvaluate(options, ctx);
          return evaluate(options, ctx);
        },
        (options) => !options.history,
      ),
    );
}
