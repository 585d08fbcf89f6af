// `tsml backtest --portfolio`: read every ticker's predictions, rank their scores across the universe at each
// rebalance, trade one shared account (src/backtest/portfolio-*.ts), write the curve and positions tables and a
// metrics summary, print the portfolio against its equal-weight buy-and-hold.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { writeJsonArtifact } from "../artifacts/json-artifact.js";
import { readArtifactTable } from "../artifacts/kinds/artifact-table.js";
import { backtestMeta } from "../artifacts/kinds/backtest-artifact.js";
import { backtestSummaryArtifact } from "../artifacts/kinds/metrics-artifact.js";
import type { PortfolioDetails } from "../artifacts/kinds/portfolio-details.js";
import { writeTableFast } from "../artifacts/parquet-fast-writer.js";
import { makeProvenance } from "../artifacts/provenance.js";
import { MissingColumnError } from "../artifacts/table-io.js";
import { tickersWith, tickerTablePath } from "../artifacts/workspace.js";
import { inferPeriodsPerYear } from "../backtest/periods-per-year.js";
import { equalWeightBuyAndHold } from "../backtest/portfolio-benchmark.js";
import { equityMetrics } from "../backtest/portfolio-metrics.js";
import { alignPanel, firstCommonDay, type TickerSeries } from "../backtest/portfolio-panel.js";
import { type PortfolioRules, simulatePortfolio } from "../backtest/portfolio-simulate.js";
import { curveFrame, positionFrames } from "../backtest/portfolio-tables.js";
import { DataError, UsageError } from "../core/errors.js";
import { isStdio } from "../core/stdio.js";
import { tradingMetricSet } from "../evaluate/metric-sets.js";
import { isoDateOrTime } from "../frame/dates.js";
import type { Frame } from "../frame/frame.js";
import { type BacktestCliOptions, openColumn, parseBacktestOptions, priceColumn } from "./backtest.js";
import { parsePortfolioFlags } from "./portfolio-flags.js";
import type { RunContext } from "./support/run-context.js";
import { runOutput } from "./support/run-output.js";

/** Where the portfolio's tables go in the workspace (not backtests/: its files are named by ticker). */
export const PORTFOLIO_DIR = "portfolios";

/** The universe's predictions, one series per ticker: from -i FILE (all its tickers) or predictions/T.parquet. */
async function loadSeries(
  o: BacktestCliOptions,
  tickers: string[] | null,
  rank: string,
  ctx: RunContext,
): Promise<{ series: TickerSeries[]; splitDates: (string | null)[] }> {
  const splitDates: (string | null)[] = [];
  const read = async (path: string) => {
    try {
      const table = await readArtifactTable(path, {
        kinds: ["predictions"],
        columns: [rank],
        optionalColumns: ["price", "close", "open"],
      });
      splitDates.push(table.meta?.kind === "predictions" ? table.meta.details.splitDate : null);
      return table;
    } catch (error) {
      if (error instanceof MissingColumnError && error.column === rank)
        throw new DataError(
          `${path}: no column "${rank}" to rank by (columns: ${error.available.join(", ")})`,
          "rank by the positive-class probability with --rank proba",
        );
      throw error;
    }
  };
  const series = async (ticker: string, frame: Frame, path: string): Promise<TickerSeries> => {
    const input = { ticker, frame, path, splitDate: null, modelId: null };
    return {
      ticker,
      time: frame.time,
      score: frame.get(rank),
      close: await priceColumn(input, ctx),
      open: await openColumn(input, ctx),
    };
  };
  if (o.input) {
    const { frame, path } = await read(o.input);
    const sorted = frame.sortByTickerTime();
    const present = sorted.tickers();
    const wanted = tickers ?? present;
    const missing = wanted.filter((t) => !present.includes(t));
    if (missing.length > 0)
      throw new DataError(
        `${o.input}: unknown ticker ${missing.join(", ")} (tickers: ${present.join(", ")})`,
      );
    const groups = new Map(sorted.groups().map((g) => [g.ticker, g]));
    const all = await Promise.all(
      wanted.map((t) => {
        const g = groups.get(t)!;
        return series(t, sorted.slice(g.start, g.end), path);
      }),
    );
    return { series: all, splitDates };
  }
  const universe = tickers ?? tickersWith(ctx.workspace, "predictions");
  if (universe.length === 0)
    throw new UsageError(
      `--tickers all: no predictions in workspace ${ctx.workspace}`,
      "run tsml train --ticker T for each ticker first, or pass -i FILE",
    );
  const out: TickerSeries[] = [];
  for (const ticker of universe) {
    const path = tickerTablePath(ctx.workspace, "predictions", ticker);
    if (!existsSync(path))
      throw new DataError(
        `unknown ticker ${ticker}: no ${path}`,
        `run tsml train --ticker ${ticker} (predictions are scored from the latest model), or drop it from --tickers`,
      );
    const { frame } = await read(path);
    const own = frame.tickers().length > 1 ? frame.forTicker(ticker) : frame;
    out.push(await series(ticker, own.sortByTickerTime(), path));
  }
  return { series: out, splitDates };
}

/** A ticker's rows from `from` on (views, no copies). */
function fromDate(s: TickerSeries, from: number): TickerSeries {
  let start = 0;
  while (start < s.time.length && s.time[start] < from) start++;
  return {
    ticker: s.ticker,
    time: s.time.subarray(start),
    score: s.score.subarray(start),
    close: s.close.subarray(start),
    open: s.open.subarray(start),
  };
}

/**
 * Checks the portfolio flags before anything is built, and hands --tickers to the build step as --ticker (so
 * each named ticker's predictions are scored from its latest model; `all`: every ticker with a model).
 */
export function portfolioBuildFlags(o: BacktestCliOptions): BacktestCliOptions {
  const { tickers } = parsePortfolioFlags(o, { ...o });
  return tickers === null ? o : { ...o, ticker: tickers };
}

export async function backtestPortfolio(o: BacktestCliOptions, ctx: RunContext) {
  const choices = parsePortfolioFlags(o, { ...o });
  const base = parseBacktestOptions({ ...o, execution: "next-open" });
  if (o.output !== undefined && isStdio(o.output))
    throw new UsageError(
      "--portfolio writes two tables: -o takes a file path, not -",
      "e.g. -o top10.parquet",
    );
  const capital = base.capital ?? 1_000_000;
  let clock = performance.now();
  const lap = (what: string) => {
    const now = performance.now();
    ctx.log.debug(`backtest --portfolio: ${what} ${((now - clock) / 1000).toFixed(3)} s`);
    clock = now;
  };
  const loaded = await loadSeries(o, choices.tickers, choices.rank, ctx);
  const series =
    choices.from === null ? loaded.series : loaded.series.map((s) => fromDate(s, choices.from as number));
  const fitted = loaded.splitDates.filter((d): d is string => d !== null).sort();
  if (choices.from === null && fitted.length > 0)
    ctx.log.warn(
      `the models of ${fitted.length} ticker(s) were fitted on rows before ${fitted[fitted.length - 1]}: those ` +
        `predictions are in-sample; --split-date ${fitted[fitted.length - 1]} trades the out-of-sample rows only`,
    );
  lap("read");
  const panel = alignPanel(series);
  const common = firstCommonDay(panel);
  if (common < 0)
    throw new DataError(
      `no date on which all ${panel.tickers.length} tickers have a bar: the universe never overlaps`,
      "drop the tickers whose history does not overlap the others",
    );
  const rules: PortfolioRules = {
    topK: choices.topK,
    nDrop: choices.nDrop,
    rebalanceEvery: choices.rebalanceEvery,
    weights: choices.weights,
    maxWeight: choices.maxWeight,
    capital,
    costBps: base.costBps,
    commission: base.commission,
    slippageBps: base.slippageBps,
    market: base.market,
    fractional: base.fractional,
  };
  const started = performance.now();
  const result = simulatePortfolio(panel, rules);
  const benchmark = equalWeightBuyAndHold(panel, rules, common);
  const seconds = (performance.now() - started) / 1000;
  const inferred = inferPeriodsPerYear([panel.time]);
  const periodsPerYear = base.periodsPerYear ?? inferred.periodsPerYear;
  const strategyMetrics = equityMetrics(result.equity, periodsPerYear);
  const benchmarkMetrics = equityMetrics(benchmark.equity, periodsPerYear);
  // Per rebalance: the decision date, the fill date, turnover at the fill and exposure after it.
  const rebalances = Array.from(result.rebalanceDays, (day) => ({
    date: isoDateOrTime(panel.time[day]),
    fill: isoDateOrTime(panel.time[day + 1]),
    turnover: result.turnover[day + 1],
    exposure: result.exposure[day + 1],
    holdings: result.holdings[day + 1],
  }));
  const mean = (xs: number[]) => {
    const finite = xs.filter(Number.isFinite);
    return finite.length > 0 ? finite.reduce((a, b) => a + b, 0) / finite.length : Number.NaN;
  };
  const details = (table: "curve" | "positions"): PortfolioDetails => ({
    table,
    tickers: [...panel.tickers],
    rank: choices.rank,
    topK: choices.topK,
    nDrop: Number.isFinite(choices.nDrop) ? choices.nDrop : null,
    rebalanceEvery: choices.rebalanceEvery,
    weights: choices.weights,
    maxWeight: choices.maxWeight,
    capital,
    costBps: base.costBps,
    commission: base.commission,
    slippageBps: base.slippageBps,
    market: o.market ?? null,
    benchmarkStart: isoDateOrTime(panel.time[common]),
    rebalances: rebalances.length,
    trades: result.trades.day.length,
    missedOrders: result.missedOrders,
    blockedOrders: result.blockedOrders,
  });
  lap("align, simulate, benchmark, metrics");
  const provenance = await makeProvenance({
    command: ctx.commandLine,
    options: { ...o },
    seed: ctx.seed,
    inputs: [
      ...new Set(
        series.map((s) => (o.input ? o.input : tickerTablePath(ctx.workspace, "predictions", s.ticker))),
      ),
    ],
  });
  const meta = (table: "curve" | "positions") =>
    backtestMeta(provenance, {
      signal: choices.rank,
      strategy: "portfolio",
      splitDate: choices.from === null ? null : isoDateOrTime(choices.from),
      capitalMode: "account",
      capital,
      periodsPerYear,
      windows: {},
      portfolio: details(table),
    });
  // The latest copies (or -o and its siblings); each is written inside the tracked run and promoted with it.
  const stem = (o.output ?? join(ctx.workspace, PORTFOLIO_DIR, "portfolio.parquet")).replace(
    /\.parquet$/,
    "",
  );
  const curvePath = runOutput(ctx, `${stem}.parquet`);
  const positionsPath = runOutput(ctx, `${stem}.positions.parquet`);
  const metricsPath = runOutput(ctx, `${stem}.metrics.json`);
  await writeTableFast(curvePath, curveFrame(panel, result, benchmark), meta("curve"));
  await writeTableFast(positionsPath, positionFrames(panel, result), meta("positions"));
  const summary = {
    portfolio: tradingMetricSet(strategyMetrics, benchmarkMetrics),
    benchmark: tradingMetricSet(benchmarkMetrics),
    rules: details("curve"),
    mean_turnover: mean(rebalances.map((r) => r.turnover)),
    mean_exposure: mean(rebalances.map((r) => r.exposure)),
    rebalances,
  };
  await writeJsonArtifact(
    metricsPath,
    backtestSummaryArtifact(provenance, { periodsPerYear, tickers: {}, combined: summary }),
  );
  lap("provenance and write");
  if (!ctx.quiet) {
    const { renderPortfolioReport } = await import("../backtest/portfolio-report.js");
    const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : "-");
    ctx.print(
      `portfolio: ${panel.tickers.length} tickers, ${panel.days} dates, top ${choices.topK} by ${choices.rank} ` +
        `every ${choices.rebalanceEvery} bar(s), ${choices.weights} weights` +
        (choices.maxWeight < 1 ? ` capped at ${choices.maxWeight}` : "") +
        (Number.isFinite(choices.nDrop) ? `, at most ${choices.nDrop} replaced per rebalance` : "") +
        `; benchmark buys on ${isoDateOrTime(panel.time[common + 1] ?? panel.time[common])}; ` +
        `periods per year: ${periodsPerYear}${base.periodsPerYear === null ? ` (inferred: ${inferred.frequency})` : ""} ` +
        `[${seconds.toFixed(3)} s]`,
    );
    const blocks = renderPortfolioReport(
      {
        strategy: strategyMetrics,
        benchmark: benchmarkMetrics,
        facts: [
          ["rebalances", String(rebalances.length)],
          ["trades", String(result.trades.day.length)],
          ["mean turnover / rebal.", pct(summary.mean_turnover)],
          ["mean exposure", pct(summary.mean_exposure)],
          ["orders not filled", String(result.missedOrders + result.blockedOrders)],
        ],
        equity: result.equity,
        benchmarkEquity: benchmark.equity,
      },
      { charts: o.chart !== false, color: ctx.color },
    );
    for (const block of blocks) ctx.print(block);
  }
  return { outputs: [curvePath, positionsPath, metricsPath], periodsPerYear, ...summary };
}
