// What `--shard` accepts before any work starts: the batch commands over tickers only, and never an output that
// holds several tickers in one file (`-o FILE`): N shards writing one file would each replace the others' rows.
// The sharded form of every output is the workspace's per-ticker artifacts (README: Beyond one machine).

import type { Command } from "commander";
import type { RunContext } from "../commands/support/run-context.js";
import { UsageError } from "../core/errors.js";

/** Commands (as `tsml <path>`) that work per ticker and so can be sharded. */
const SHARDED = new Set([
  "ingest csv",
  "ingest alphavantage",
  "ingest twse",
  "ingest db",
  "features",
  "train",
  "predict",
  "backtest",
  "evaluate",
]);

/** Options naming one file for every ticker of the run, by the flag that sets them. */
const SINGLE_FILE_OUTPUTS: Readonly<Record<string, string>> = {
  output: "-o/--output",
  featuresOutput: "--features-output",
};

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** Refuses --shard where it has no meaning or would make shards overwrite each other's output (exit 2). */
export function checkShardUse(command: Command, options: object, ctx: RunContext): void {
  if (!ctx.shard) return;
  const path = commandPath(command);
  if (!SHARDED.has(path))
    throw new UsageError(
      `--shard applies to ingest, features, train, predict, backtest and evaluate, not tsml ${path}`,
      "drop --shard: this command reads the union of every shard's artifacts",
    );
  for (const [key, flag] of Object.entries(SINGLE_FILE_OUTPUTS)) {
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    throw new UsageError(
      `${path}: ${flag} ${String(value)} with --shard ${ctx.shard.label}: one file would hold (and each shard ` +
        "would replace) the rows of every shard",
      "drop -o: with --shard each ticker's artifact goes to the workspace (features/<T>.parquet, " +
        "backtests/<T>.parquet, ...), and every reader sees the union of the shards",
    );
  }
}
