// `tsml backtest`: flags only; the work is in commands/backtest.ts.

import type { Command } from "commander";
import type { BacktestCliOptions } from "../commands/backtest.js";
import { collect, runAction } from "./run-action.js";
import { typed } from "./typed-command.js";

export function registerBacktest(program: Command): void {
  typed(program.command("backtest"))
    .description(
      "backtest 0/1 signals (predictions, or any feature column) with seed 000's arithmetic or realistic fills",
    )
    .option(
      "-i, --input <file>",
      "predictions or features Parquet (default: the workspace's predictions/ or features/)",
    )
    .option(
      "--ticker <ticker>",
      "ticker(s) to backtest, repeatable or comma-separated (default: all)",
      collect,
      [],
    )
    .option(
      "-m, --model <file>",
      "trained model JSON applied to the features (default split date: the model's)",
    )
    .option("--signal <column>", "backtest a 0/1 column, e.g. macd_binary (default: pred)")
    .option("--strategy <name>", "long-only (hold on 1, flat on 0) or long-short (+/- shares)", "long-only")
    .option(
      "--split-date <date>",
      "first day of the test window (default: from the predictions, else all test)",
    )
    .option("--shares <n>", "units per position for fixed-shares sizing (seed: 100; --market tw: 1000)")
    .option(
      "--execution <when>",
      "close (seed: trade at the signal bar's close) or next-open (honest: next bar's open)",
    )
    .option("--cost-bps <bps>", "cost in basis points of traded notional, each side")
    .option("--commission <amount>", "fixed commission per fill")
    .option("--slippage-bps <bps>", "fill price moves against the trade by this many basis points")
    .option(
      "--capital <amount>",
      "starting equity of one account over the whole series (default with fixed shares: each window's own, the least that never borrows)",
    )
    .option("--sizing <mode>", "fixed-shares | fixed-cash (capital per position) | percent-equity")
    .option("--percent <pct>", "percent of equity per position for percent-equity sizing", "100")
    .option("--fractional", "allow fractional units (crypto)")
    .option("--market <name>", "market preset: tw (TWSE fees, 0.3% sell tax, 1,000-share lots, +-10% limits)")
    .option(
      "--periods-per-year <n>",
      "bars per year for annualised metrics (default: inferred from the dates: 252 daily, 365 with weekends, 52 weekly, 12 monthly)",
    )
    .option("--no-chart", "skip the terminal charts")
    .option(
      "-o, --output <file>",
      "backtest Parquet for all tickers, or - for stdout (default: workspace backtests/<T>.parquet)",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  tsml backtest --ticker SPX --strategy long-only\n  tsml backtest -i tsml-workspace/features/SPX.parquet --signal macd_binary --split-date 2015-01-02\n  tsml backtest --ticker 2330 --market tw --execution next-open --capital 1000000 --sizing percent-equity\n",
    )
    // Loaded on use: the other subcommands never pay for DuckDB history, charts or the model families.
    .action(
      runAction(async (_args, options: BacktestCliOptions, ctx) =>
        (await import("../commands/backtest.js")).backtest(options, ctx),
      ),
    );
}
