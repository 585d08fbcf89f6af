// `tsml runs` and `tsml compare`: flags only; the work is in commands/runs.ts and commands/compare-runs.ts.

import type { Command } from "commander";
import type { CompareOptions } from "../commands/compare-runs.js";
import type { RunsOptions } from "../commands/runs.js";
import { collect, runAction } from "./run-action.js";
import { typed } from "./typed-command.js";

export function registerRuns(program: Command): void {
  typed(program.command("runs"))
    .description(
      "list the tracked runs (train, predict, backtest, evaluate) with their key metrics; --tag k=v keeps runs with that tag",
    )
    .option(
      "--ticker <ticker>",
      "only results for these tickers (repeatable or comma-separated)",
      collect,
      [],
    )
    .option(
      "--model <name>",
      "only results of these model families (repeatable or comma-separated)",
      collect,
      [],
    )
    .option("--stage <stage>", "train | predict | backtest | evaluate")
    .option("--status <status>", "running | finished | failed")
    .option("--last <n>", "only the newest n rows")
    .addHelpText(
      "after",
      "\nExamples:\n  tsml runs --ticker AAPL --model rf\n  tsml runs --stage train --tag experiment=baseline --json\n",
    )
    .action(
      runAction(async (_args, options: RunsOptions, ctx) =>
        (await import("../commands/runs.js")).listRunsCommand(options, ctx),
      ),
    );
}

export function registerCompare(program: Command): void {
  typed(program.command("compare"))
    .description(
      "runs side by side: params, CV score, test metrics and backtest metrics (* marks rows that differ)",
    )
    .argument("[run...]", "run ids from tsml runs (a unique part of an id is enough)")
    .option("--last <n>", "instead of ids: the newest n runs")
    .option("--stage <stage>", "with --last: only runs of this stage (train | predict | backtest | evaluate)")
    .option("--all", "every recorded metric, not only the headline ones (--json always has all)")
    .addHelpText(
      "after",
      "\nExamples:\n  tsml compare 3fa2c1d4 9b0e77a1 --json\n  tsml compare --last 2 --stage train\n",
    )
    .action(
      runAction(async (refs, options: CompareOptions, ctx) =>
        (await import("../commands/compare-runs.js")).compareRuns(refs, options, ctx),
      ),
    );
}
