// `tsml backtest`: flags only; the work is in commands/backtest.ts.

import type { Command } from "commander";
import type { BacktestCliOptions } from "../commands/backtest.js";
import { collect } from "./run-action.js";
import { trackedAction } from "./tracked-action.js";
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
      "trained model JSON applied to the features (default split date: the model's); with --walk-forward a family (default rf) or a model JSON whose family, params, features and target are refitted",
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
    .option(
      "--walk-forward",
      "refit the model every --refit bars on the features before each block it predicts (purged by the label horizon): every signal out of sample",
    )
    .option("--refit <bars>", "walk-forward: bars between refits (default 63)")
    .option("--window <rows>", "walk-forward: training rows per refit, or expanding (default: expanding)")
    .option(
      "--min-train <rows>",
      "walk-forward: rows before the first refit (default: the window, or 252 expanding)",
    )
    .option(
      "--tune",
      "walk-forward: grid-search the family's grid by purged time-series CV inside each training window",
    )
    .option("--threshold <p>", "walk-forward: signal 1 when P(class 1) is above this (default 0.5)")
    .option(
      "--queue <url>",
      "`tsml worker`s on this Redis job queue (redis://HOST:6379) do the work: the refits with --walk-forward, else one job per ticker",
    )
    .option(
      "--sweep <spec>",
      'backtest every value of a strategy parameter, e.g. "threshold=0.5:0.7:0.05": trials recorded in the workspace ledger, with the deflated Sharpe ratio and PBO',
    )
    .option(
      "--portfolio",
      "one account with shared cash across --tickers: hold the top --top-k by --rank at each rebalance, next-open fills, against equal-weight buy-and-hold",
    )
    .option(
      "--tickers <list>",
      "portfolio: the universe, comma-separated, or all (every ticker with predictions)",
    )
    .option("--rank <column>", "portfolio: the predictions column ranked across tickers (default proba)")
    .option("--top-k <k>", "portfolio: tickers held after each rebalance (default 10)")
    .option(
      "--n-drop <n>",
      "portfolio: at most n holdings replaced per rebalance (qlib TopkDropout; default: freely)",
    )
    .option(
      "--rebalance <days>",
      "portfolio: bars (days of the universe's calendar) between rebalances (default 5)",
    )
    .option(
      "--weights <scheme>",
      "portfolio: equal or score (proportional to the rank score) (default equal)",
    )
    .option(
      "--max-weight <w>",
      "portfolio: cap per holding as a fraction of equity, excess stays cash (default 1)",
    )
    .option("--no-chart", "skip the terminal charts")
    .option(
      "-o, --output <file>",
      "backtest Parquet for all tickers, or - for stdout (default: workspace backtests/<T>.parquet)",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  tsml backtest --ticker SPX --strategy long-only\n  tsml backtest -i tsml-workspace/features/SPX.parquet --signal macd_binary --split-date 2015-01-02\n  tsml backtest --ticker 2330 --market tw --execution next-open --capital 1000000 --sizing percent-equity\n  tsml backtest --walk-forward --refit 63 --window 1000 --ticker SPX\n  tsml backtest --walk-forward --refit 21 --ticker SPX --sweep threshold=0.5:0.6:0.02\n",
    )
    // Loaded on use: the other subcommands never pay for DuckDB history, charts or the model families.
    .action(
      trackedAction("backtest", async (_args, options: BacktestCliOptions, ctx) => {
        // Predictions missing or older than the latest model are scored first (unless --no-build).
        const { prepareBacktest } = await import("../commands/build/stage-inputs.js");
        if (options.portfolio) {
          // One shared account across the universe: flags checked first, then its tickers' predictions built.
          const { backtestPortfolio, portfolioBuildFlags } = await import(
            "../commands/backtest-portfolio.js"
          );
          return backtestPortfolio(await prepareBacktest(portfolioBuildFlags(options), ctx), ctx);
        }
        // Flags checked before any predictions are scored for it: a bad one exits 2 and builds nothing.
        const { backtest, checkBacktestFlags } = await import("../commands/backtest.js");
        checkBacktestFlags(options);
        return backtest(await prepareBacktest(options, ctx), ctx);
      }),
    );
}
