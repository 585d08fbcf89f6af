// Whether a command line is a batch command for the queue (`--queue URL` on features, train, backtest or
// evaluate over several tickers, or ingest alphavantage over several symbols), and that command line rebuilt
// from its parsed flags for the worker: commander knows each flag's spelling, negation and default, so what a
// job runs is exactly what was typed, per ticker.

import type { Command, Option } from "commander";
import { QUEUED_BATCH_INPUTS } from "../commands/queue-batch-commands.js";
import type { TickerJobsPlan } from "../commands/queue-ticker-jobs.js";
import { UsageError } from "../core/errors.js";

/** Flags a ticker job never carries: the queue itself, the ticker (one per job), where the workspace is. */
const NOT_PASSED = new Set(["queue", "ticker", "symbol", "workspace", "shard"]);

function asFlags(options: readonly Option[], values: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const option of options) {
    const key = option.attributeName();
    const value = values[key];
    if (NOT_PASSED.has(key) || value === undefined || value === option.defaultValue || !option.long) continue;
    if (option.negate) {
      if (value === false) out.push(option.long);
    } else if (value === true) out.push(option.long);
    else if (Array.isArray(value)) for (const v of value) out.push(option.long, String(v));
    else if (value !== false) out.push(option.long, String(value));
  }
  return out;
}

/**
 * The plan for `runTickerJobs`, or null when the command runs here: no --queue, not a batch command, or one
 * ticker of a command with a queue use of its own (train sends its CV folds, backtest --walk-forward its refits).
 */
export function queuedBatchPlan(command: Command, options: object): TickerJobsPlan | null {
  const values = options as Record<string, unknown>;
  // A subcommand goes by its path ("ingest alphavantage"); the root program's options are the global flags.
  const name = command.parent?.parent ? `${command.parent.name()} ${command.name()}` : command.name();
  if (typeof values.queue !== "string" || !(name in QUEUED_BATCH_INPUTS)) return null;
  let root = command;
  while (root.parent) root = root.parent;
  // One ticker of train or a walk-forward backtest: the queue takes its CV folds or refits instead (the command's
  // own --queue). Over several tickers each job is a whole ticker, its folds run by the worker that took it.
  const given = values.ticker;
  const oneTicker =
    (typeof given === "string" && !given.includes(",")) ||
    (Array.isArray(given) && given.length === 1 && !String(given[0]).includes(","));
  if (oneTicker && (name === "train" || (name === "backtest" && values.walkForward))) return null;
  for (const [key, flag] of [
    ["input", "-i/--input"],
    ["output", "-o/--output"],
    ["model", "-m/--model FILE"],
    ["portfolio", "--portfolio"],
    ["sweep", "--sweep"],
    ["history", "--history"],
    ["featuresOutput", "--features-output"],
  ] as const) {
    if (values[key] === undefined || values[key] === false) continue;
    if (key === "model" && name === "train") continue;
    throw new UsageError(
      `${name} --queue runs one job per ticker of the workspace; ${flag} does not split by ticker`,
      `drop ${flag}, or drop --queue and run it here`,
    );
  }
  const globals = root === command ? [] : asFlags(root.options, command.optsWithGlobals());
  return {
    command: name,
    globals,
    flags: asFlags(command.options, values),
    ticker: (name === "ingest alphavantage" ? values.symbol : values.ticker) as string | string[] | undefined,
    queue: values.queue,
  };
}
