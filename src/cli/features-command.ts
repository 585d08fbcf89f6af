// `tsml features`: flags only; the work is in commands/features.ts.

import type { Command } from "commander";
import type { FeaturesOptions } from "../commands/features.js";
import { ownsTicker } from "../core/shard.js";
import { runAction } from "./run-action.js";
import { typed } from "./typed-command.js";

export function registerFeatures(program: Command): void {
  typed(program.command("features"))
    .description("compute a feature set, indicators and forward-looking labels from bars, per ticker")
    .option(
      "-i, --input <file>",
      "bars Parquet file, or - for stdin (default: the workspace's bars/<T>.parquet)",
    )
    .option("-o, --output <file>", "output Parquet file, or - for stdout (default: features/<T>.parquet)")
    .option("--ticker <ticker>", "one ticker (default: every ticker with bars in the workspace)")
    .option(
      "--queue <url>",
      "one job per ticker for `tsml worker`s on this Redis job queue (redis://HOST:6379) instead of here",
    )
    .option(
      "--set <name>",
      "feature set: stationary | seed000 | seed001 (default stationary when no --indicators/--labels)",
    )
    .option("--indicators <spec>", "indicators, e.g. rsi:14,sma:20,macd:12:26:9,bbands:20:2")
    .option(
      "--labels <spec>",
      "labels, e.g. up_down_tm,up_down:5,fwd_ret:5,trend:10:10:0.05,triple_barrier:2:2:10:20",
    )
    .option(
      "--spec <file.json>",
      "read set/indicators/labels/keepIncomplete/deflate/detrend/fitUntil from JSON",
    )
    .option(
      "--keep-incomplete",
      "keep the final rows whose forward labels are unknown (NaN), to predict on live",
    )
    .option(
      "--deflate <cpi.csv>",
      "divide prices by a monthly index interpolated to business days (seed 004)",
    )
    .option("--detrend <kind>", "subtract a trend fitted on the training window: linear")
    .option("--fit-until <date>", "last date of the training window for --detrend (YYYY-MM-DD)")
    .addHelpText(
      "after",
      "\nExamples:\n  tsml features --ticker SPX --set seed000\n  tsml features -i bars.parquet -o feats.parquet --indicators rsi:14,macd --labels fwd_ret:5\n",
    )
    .action(
      runAction(async (_args, options: FeaturesOptions, ctx) => {
        // A named ticker without bars is ingested from its source first (unless --no-build or -i).
        if (options.ticker && !options.input && ownsTicker(ctx.shard, options.ticker))
          await (await import("../commands/build/ensure-bars.js")).ensureBars(options.ticker, ctx);
        return (await import("../commands/features.js")).runFeatures(options, ctx);
      }),
    );
}
