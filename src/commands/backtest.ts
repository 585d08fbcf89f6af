// `tsml backtest`: read predictions (or features + --signal), backtest every ticker, write the backtest
// artifact and a metrics summary, print tables and charts.

import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ArtifactKind } from "../artifacts/artifact-kind.js";
import { writeJsonArtifact } from "../artifacts/json-artifact.js";
import { readArtifactTable } from "../artifacts/kinds/artifact-table.js";
import { backtestMeta } from "../artifacts/kinds/backtest-artifact.js";
import { readBars } from "../artifacts/kinds/bars-artifact.js";
import { splitTimeOf } from "../artifacts/kinds/details-fields.js";
import { readFeatures } from "../artifacts/kinds/features-artifact.js";
import { backtestSummaryArtifact } from "../artifacts/kinds/metrics-artifact.js";
import { readModelSplitFacts } from "../artifacts/kinds/model-artifact.js";
import { writeTableFast } from "../artifacts/parquet-fast-writer.js";
import { makeProvenance } from "../artifacts/provenance.js";
import { MissingColumnError } from "../artifacts/table-io.js";
import { tickersWith, tickerTablePath, WORKSPACE_DIRS } from "../artifacts/workspace.js";
import { combinedMetrics, combineEqualWeight, type TickerReturns } from "../backtest/combine.js";
import { marketRules, NO_MARKET_RULES } from "../backtest/market-presets.js";
import { openPricesByDate } from "../backtest/open-prices.js";
import { inferPeriodsPerYear, type PeriodsPerYear } from "../backtest/periods-per-year.js";
import { type BacktestOptions, type BacktestResult, runBacktest } from "../backtest/run-backtest.js";
import type { Strategy } from "../backtest/seed-positions.js";
import type { Execution, Sizing } from "../backtest/simulate.js";
import { streamBacktest } from "../backtest/stream-backtest.js";
import { DataError, UsageError } from "../core/errors.js";
import { dateFlag, numberFlag, oneOfFlag, tickerListFlag } from "../core/flags.js";
import { isStdio } from "../core/stdio.js";
import { tradingMetricSet } from "../evaluate/metric-sets.js";
import { isoDateOrTime, requireSplitInside } from "../frame/dates.js";
import { Frame } from "../frame/frame.js";
import { priceReturns, type WindowMetrics, windowReturns } from "../metrics/backtest-window.js";
import { checkWalkForwardFlags } from "./backtest-flags.js";
import type { TickerSweep } from "./backtest-sweep.js";
import type { WalkForwardRecord } from "./backtest-walk-forward.js";
import type { PortfolioFlags } from "./portfolio-flags.js";
import type { RunContext } from "./support/run-context.js";
import { runOutput } from "./support/run-output.js";
import { emptyShard, ownsShardTicker, shardTickers } from "./support/shard-tickers.js";

/** Flags as commander hands them over (strings until parsed here). */
export interface BacktestCliOptions extends PortfolioFlags {
  input?: string;
  ticker?: string[];
  model?: string;
  signal?: string;
  strategy?: string;
  splitDate?: string;
  shares?: string;
  execution?: string;
  costBps?: string;
  commission?: string;
  slippageBps?: string;
  capital?: string;
  sizing?: string;
  percent?: string;
  fractional?: boolean;
  market?: string;
  periodsPerYear?: string;
  output?: string;
  chart?: boolean;
  /** Walk-forward: refit a model every --refit bars on the features (commands/backtest-walk-forward.ts). */
  walkForward?: boolean;
  refit?: string;
  window?: string;
  minTrain?: string;
  tune?: boolean;
  threshold?: string;
  /** Walk-forward: send the refits to `tsml worker`s on this Redis (commands/queue-refit-runner.ts). */
  queue?: string;
  /** A strategy parameter sweep, e.g. "threshold=0.5:0.7:0.05" (commands/backtest-sweep.ts). */
  sweep?: string;
}

export interface TickerInput {
  ticker: string;
  frame: Frame;
  path: string;
  /** The split date and model the input recorded (predictions, or the model of -m); null for features. */
  splitDate: string | null;
  modelId: string | null;
  /** The refits behind a walk-forward signal (recorded in the artifact's details). */
  walkForward?: WalkForwardRecord;
}

/** Turns CLI flags into engine options (the split time is filled in per input). */
export function parseBacktestOptions(o: BacktestCliOptions): BacktestOptions {
  const market = o.market ? marketRules(o.market) : NO_MARKET_RULES;
  const sizing = oneOfFlag<Sizing>(
    o.sizing,
    "--sizing",
    ["fixed-shares", "fixed-cash", "percent-equity"],
    "fixed-shares",
  );
  const capital = numberFlag(o.capital, "--capital", { min: 0 }) ?? null;
  if (sizing !== "fixed-shares" && capital === null)
    throw new UsageError(`--sizing ${sizing} needs --capital`, "e.g. --capital 100000");
  return {
    strategy: oneOfFlag<Strategy>(o.strategy, "--strategy", ["long-only", "long-short"], "long-only"),
    shares: numberFlag(o.shares, "--shares", { min: 0, fallback: market.lotSize > 1 ? market.lotSize : 100 }),
    splitTime: dateFlag(o.splitDate, "--split-date") ?? Number.NEGATIVE_INFINITY,
    execution: oneOfFlag<Execution>(o.execution, "--execution", ["close", "next-open"], "close"),
    sizing,
    capital,
    percent: numberFlag(o.percent, "--percent", { min: 0, fallback: 100 }) / 100,
    fractional: Boolean(o.fractional),
    costBps: numberFlag(o.costBps, "--cost-bps", { min: 0, fallback: 0 }),
    commission: numberFlag(o.commission, "--commission", { min: 0, fallback: 0 }),
    slippageBps: numberFlag(o.slippageBps, "--slippage-bps", { min: 0, fallback: 0 }),
    market,
    // null: inferred from the bars' dates (commands/backtest prints what it found).
    periodsPerYear: numberFlag(o.periodsPerYear, "--periods-per-year", { min: 1 }) ?? null,
  };
}

async function loadInputs(o: BacktestCliOptions, ctx: RunContext): Promise<TickerInput[]> {
  const wanted = tickerListFlag(o.ticker, "--ticker");
  if (o.walkForward) return (await import("./backtest-walk-forward.js")).walkForwardInputs(o, ctx);
  if (o.model) {
    const { readModelArtifact } = await import("../models/scoring/model-signals.js");
    // With --shard, a model's ticker that another shard owns is that shard's to backtest.
    if (!ownsShardTicker(ctx, wanted[0] ?? readModelArtifact(o.model).ticker)) return [];
    return loadModelInputs(o, wanted, ctx);
  }
  if (o.input) {
    const { frame, meta, path } = await readNeeded(o.input, ["predictions", "features", "bars"], o.signal);
    if (meta?.kind !== "predictions" && !o.signal)
      throw new UsageError(
        `${o.input}: a ${meta?.kind ?? "plain"} table needs --signal COLUMN`,
        "e.g. --signal macd_binary",
      );
    const recorded = meta?.kind === "predictions" ? meta.details : null;
    const sorted = frame.sortByTickerTime();
    const groups = sorted.groups().filter((g) => wanted.length === 0 || wanted.includes(g.ticker));
    if (groups.length === 0)
      throw new DataError(
        `${o.input}: no rows for ticker ${wanted.join(", ")} (tickers: ${sorted.tickers().join(", ")})`,
      );
    const own = new Set(
      shardTickers(
        ctx,
        groups.map((g) => g.ticker),
        "backtest",
      ),
    );
    return groups
      .filter((g) => own.has(g.ticker))
      .map((g) => ({
        ticker: g.ticker,
        frame: sorted.slice(g.start, g.end),
        path,
        splitDate: recorded?.splitDate ?? null,
        modelId: recorded?.modelId ?? null,
      }));
  }
  const dir = o.signal ? "features" : "predictions";
  const tickers = wanted.length > 0 ? wanted : tickersWith(ctx.workspace, dir);
  if (tickers.length === 0) {
    throw new UsageError(
      `no ${dir} in workspace ${ctx.workspace}`,
      o.signal
        ? "run tsml features --ticker T first, or pass -i FILE"
        : "run tsml predict first, pass -i FILE, or backtest a rule with --signal COLUMN",
    );
  }
  const out: TickerInput[] = [];
  for (const ticker of shardTickers(ctx, tickers, "backtest")) {
    const path = tickerTablePath(ctx.workspace, dir, ticker);
    if (!existsSync(path)) {
      throw new DataError(
        `${path}: not found`,
        o.signal
          ? `run tsml features --ticker ${ticker}`
          : `run tsml predict --ticker ${ticker}, or use --signal COLUMN`,
      );
    }
    const { frame, meta } = await readNeeded(path, ["predictions", "features"], o.signal);
    const recorded = meta?.kind === "predictions" ? meta.details : null;
    out.push({
      ticker,
      frame: frame.sortByTickerTime(),
      path,
      splitDate: recorded?.splitDate ?? null,
      modelId: recorded?.modelId ?? null,
    });
  }
  return out;
}

/** `-m model.json`: the model's ticker (or --ticker) features, scored in memory; its split date is the default. */
async function loadModelInputs(
  o: BacktestCliOptions,
  wanted: string[],
  ctx: RunContext,
): Promise<TickerInput[]> {
  const { applyModel, readModelArtifact } = await import("../models/scoring/model-signals.js");
  const body = readModelArtifact(o.model as string);
  const ticker = wanted[0] ?? body.ticker;
  const path = o.input ?? tickerTablePath(ctx.workspace, "features", ticker);
  const { frame } = await readFeatures(path);
  const features = frame.tickers().length > 1 ? frame.forTicker(ticker) : frame;
  const scored = await applyModel(o.model as string, features.sortByTickerTime());
  const { splitDate } = readModelSplitFacts(o.model as string);
  return [{ ticker, frame: scored.frame, path, splitDate, modelId: scored.modelId }];
}

/** Columns the backtest reads when present; a wide features table is read for these only (DuckDB projects them). */
const NEEDED = ["price", "close", "open", "delta_tm", "pred", "prediction"];

/** The table projected to the columns the backtest needs; the signal column, when named, must be there. */
async function readNeeded(path: string, kinds: readonly ArtifactKind[], signal: string | undefined) {
  try {
    return await readArtifactTable(path, { kinds, columns: signal ? [signal] : [], optionalColumns: NEEDED });
  } catch (error) {
    if (error instanceof MissingColumnError && error.column === signal)
      throw new DataError(
        `${path}: no signal column "${signal}" (columns: ${error.available.join(", ")})`,
        "pass --signal with a 0/1 column of this table, e.g. macd_binary",
      );
    throw error;
  }
}

/**
 * The price traded at: the table's own price or close, else (feature sets of stationary quantities keep no price
 * level) the close of the ticker's workspace bars on the same dates, as for the open below.
 */
export async function priceColumn(input: TickerInput, ctx: RunContext): Promise<Float64Array> {
  for (const name of ["price", "close"]) if (input.frame.has(name)) return input.frame.get(name);
  const barsPath = tickerTablePath(ctx.workspace, "bars", input.ticker);
  if (!existsSync(barsPath))
    throw new DataError(
      `${input.path}: ${input.ticker} has no price or close column`,
      `backtest predictions or features that keep the price, or ingest bars for ${input.ticker} into the workspace`,
    );
  const bars = (await readBars(barsPath)).frame.forTicker(input.ticker);
  return openPricesByDate(input.frame.time, { time: bars.time, open: bars.get("close") });
}

export async function openColumn(input: TickerInput, ctx: RunContext): Promise<Float64Array> {
  if (input.frame.has("open")) return input.frame.get("open");
  const barsPath = tickerTablePath(ctx.workspace, "bars", input.ticker);
  if (!existsSync(barsPath))
    throw new DataError(
      `${input.path}: --execution next-open needs an open column for ${input.ticker}`,
      `ingest bars for ${input.ticker} into the workspace`,
    );
  const bars = (await readBars(barsPath)).frame.forTicker(input.ticker);
  return openPricesByDate(input.frame.time, { time: bars.time, open: bars.get("open") });
}

function outputFrame(
  tickerNames: readonly string[],
  code: number,
  time: Float64Array,
  result: BacktestResult,
): Frame {
  return new Frame({
    time,
    tickerCodes: new Uint32Array(time.length).fill(code),
    tickerNames,
    columns: result.columns,
  });
}

/**
 * Every flag of a backtest checked before anything is read or built (the CLI calls it before scoring missing
 * predictions): a bad one is a usage error (exit 2).
 */
export function checkBacktestFlags(options: BacktestCliOptions) {
  const base = parseBacktestOptions(options);
  if (options.model && options.signal)
    throw new UsageError("pass either -m MODEL or --signal COLUMN, not both");
  return { base, sweepSpec: checkWalkForwardFlags(options) };
}

/** The one value every ticker shares, else null. */
function commonPeriods(values: readonly number[]): number | null {
  return values.length > 0 && values.every((v) => v === values[0]) ? values[0] : null;
}

/**
 * How the run annualised: the flag, the one frequency every ticker's bars show, or each ticker's own (grouped)
 * and the pooled figure the combined line uses.
 */
function periodsNote(
  flag: number | null,
  pooled: PeriodsPerYear,
  results: readonly { input: { ticker: string }; result: BacktestResult }[],
): string {
  if (flag !== null) return `periods per year: ${flag} (--periods-per-year)`;
  const common = commonPeriods(results.map((r) => r.result.periodsPerYear));
  if (common === null) {
    const groups = new Map<number, string[]>();
    for (const r of results)
      groups.set(r.result.periodsPerYear, [...(groups.get(r.result.periodsPerYear) ?? []), r.input.ticker]);
    const listed = [...groups.entries()]
      .sort((a, b) => b[1].length - a[1].length)
      .map(([ppy, tickers]) =>
        tickers.length > 5 ? `${ppy} (${tickers.length} tickers)` : `${ppy} (${tickers.join(", ")})`,
      );
    return (
      `periods per year, inferred from each ticker's own bars: ${listed.join("; ")}` +
      (results.length > 1 ? `; the combined line pools them: ${pooled.periodsPerYear}` : "")
    );
  }
  const spacing = pooled.medianSpacingDays;
  return common === pooled.periodsPerYear
    ? `periods per year: ${common} (inferred: ${pooled.frequency} bars` +
        (Number.isFinite(spacing)
          ? `, median spacing ${Number(spacing.toPrecision(3))} ${spacing === 1 ? "day" : "days"})`
          : ")")
    : `periods per year: ${common} (inferred from each ticker's own bars)`;
}

export async function backtest(options: BacktestCliOptions, ctx: RunContext) {
  const { base, sweepSpec } = checkBacktestFlags(options);
  let clock = performance.now();
  const lap = (what: string) => {
    const now = performance.now();
    ctx.log.debug(`backtest: ${what} ${((now - clock) / 1000).toFixed(3)} s`);
    clock = now;
  };
  // Large panels stream a batch of tickers at a time (read, backtest, write); small ones are read whole.
  // Walk-forward and sweeps hold every ticker's signals in memory: they never stream.
  const streamed =
    options.walkForward || sweepSpec
      ? null
      : await streamBacktest(
          {
            ...options,
            tickers: tickerListFlag(options.ticker, "--ticker"),
            splitDateGiven: Boolean(options.splitDate),
          },
          base,
          (message) => ctx.log.warn(message),
        );
  const inputs: TickerInput[] = streamed?.inputs ?? (await loadInputs(options, ctx));
  if (inputs.length === 0) return emptyShard(ctx, "backtest");
  lap("read");
  // Tabular predictions call the signal `pred`; sequence classifiers (lstm-clf) call it `prediction`.
  const defaultSignal =
    inputs.every((i) => i.frame.has("pred")) || !inputs.every((i) => i.frame.has("prediction"))
      ? "pred"
      : "prediction";
  const signalName = options.model ? "pred" : (options.signal ?? defaultSignal);
  // Each ticker is annualised by its own bars (a monthly ticker beside daily ones stays monthly), so a ticker's
  // figures never depend on which tickers ran beside it (shards, queue jobs); the combined line pools them all.
  const pooled = inferPeriodsPerYear(inputs.map((i) => i.frame.time));
  const periodsPerYear = base.periodsPerYear ?? pooled.periodsPerYear;
  const results: { input: TickerInput; result: BacktestResult; splitTime: number }[] =
    streamed?.results ?? [];
  const sweeps: Record<string, TickerSweep> = {};
  for (const input of streamed ? [] : inputs) {
    if (!input.frame.has(signalName))
      throw new DataError(
        `${input.path}: no signal column "${signalName}" for ${input.ticker} (columns: ${input.frame.columnNames.join(", ")})`,
      );
    // A backtest may read test-window predictions only, so rows before the split are not required.
    if (options.splitDate)
      requireSplitInside(input.frame.time, base.splitTime, "--split-date", input.ticker, false);
    const splitTime = options.splitDate
      ? base.splitTime
      : (splitTimeOf(input.splitDate) ?? Number.NEGATIVE_INFINITY);
    const open = base.execution === "next-open" ? await openColumn(input, ctx) : null;
    const price = await priceColumn(input, ctx);
    const result = runBacktest(
      {
        time: input.frame.time,
        price,
        open,
        signal: input.frame.get(signalName),
        deltaTm: input.frame.has("delta_tm") ? input.frame.get("delta_tm") : null,
      },
      { ...base, splitTime },
    );
    results.push({ input, result, splitTime });
    if (sweepSpec) {
      const { sweepTicker } = await import("./backtest-sweep.js");
      sweeps[input.ticker] = await sweepTicker({
        workspace: ctx.workspace,
        ticker: input.ticker,
        target: input.walkForward?.target ?? signalName,
        keyBase: JSON.stringify({
          signal: input.walkForward
            ? {
                ...input.walkForward,
                refits: undefined,
                jobs: undefined,
                seconds: undefined,
                threshold: undefined,
              }
            : (input.modelId ?? input.path),
          strategy: base.strategy,
          execution: base.execution,
          sizing: base.sizing,
          costBps: base.costBps,
          commission: base.commission,
          slippageBps: base.slippageBps,
          market: options.market ?? null,
          splitTime,
        }),
        bars: {
          time: input.frame.time,
          price,
          open,
          deltaTm: input.frame.has("delta_tm") ? input.frame.get("delta_tm") : null,
        },
        proba: sweepProba(input),
        spec: sweepSpec,
        options: { ...base, splitTime, periodsPerYear: result.periodsPerYear },
        isoDate: isoDateOrTime,
      });
    }
    if (result.minCash < -1e-9 * Math.max(1, Math.abs(result.capital)))
      ctx.log.warn(
        `${input.ticker}: cash goes negative (lowest ${result.minCash.toFixed(2)} on ` +
          `${isoDateOrTime(input.frame.time[result.minCashRow])}): the positions are levered beyond the ` +
          `capital of ${result.capital.toFixed(2)}; raise --capital or size with --sizing percent-equity`,
      );
  }
  lap("compute");
  const provenance = await makeProvenance({
    command: ctx.commandLine,
    options: { ...options },
    seed: ctx.seed,
    inputs: [...new Set(inputs.map((i) => i.path))],
  });
  // The window bases are recorded so anything reading the artifact (tsml evaluate) measures the same windows.
  const windowsOf = (r: (typeof results)[number]) => {
    const time = r.input.frame.time;
    const w = (m: WindowMetrics | null) =>
      m
        ? { from: isoDateOrTime(time[m.start]), to: isoDateOrTime(time[m.end - 1]), capital: m.capital }
        : null;
    return {
      train: w(r.result.train),
      test: w(r.result.test),
      whole: w(r.result.whole),
      periodsPerYear: r.result.periodsPerYear,
    };
  };
  const details = (splitTime: number, tickers: readonly (typeof results)[number][]) => ({
    signal: signalName,
    strategy: base.strategy,
    splitDate: Number.isFinite(splitTime) ? isoDateOrTime(splitTime) : null,
    // The artifact's own tickers' facts: a ticker's file says the same whichever tickers ran beside it (shards).
    seedMode: tickers[0]?.result.seedMode ?? true,
    modelId: tickers[0]?.input.modelId ?? null,
    sizing: base.sizing,
    shares: base.shares,
    capitalMode: tickers[0]?.result.capitalMode ?? "per-window",
    ...(tickers.length === 1 ? { capital: tickers[0].result.capital } : {}),
    // One ticker's own; a file of several: theirs when they agree, else the pooled one (each ticker's is in windows).
    periodsPerYear: commonPeriods(tickers.map((r) => r.result.periodsPerYear)) ?? periodsPerYear,
    windows: Object.fromEntries(tickers.map((r) => [r.input.ticker, windowsOf(r)])),
    ...walkForwardDetails(tickers.map((r) => r.input)),
    ...(sweepSpec
      ? {
          sweep: Object.fromEntries(
            tickers.flatMap((r) =>
              sweeps[r.input.ticker] ? [[r.input.ticker, sweeps[r.input.ticker]]] : [],
            ),
          ),
        }
      : {}),
  });
  const outputs: string[] = [];
  if (options.output) {
    // One frame per ticker over a shared ticker dictionary: the fast writer puts each in its own row group
    // without joining them first (stdout goes through writeTable inside writeTableFast).
    const names = results.map((r) => r.input.ticker);
    const meta = backtestMeta(
      provenance,
      details(results[0]?.splitTime ?? Number.NEGATIVE_INFINITY, results),
    );
    if (isStdio(options.output)) ctx.claimStdout();
    if (streamed) await streamed.commit(meta);
    else
      await writeTableFast(
        options.output,
        results.map((r, k) => outputFrame(names, k, r.input.frame.time, r.result)),
        meta,
      );
    outputs.push(options.output);
  } else {
    for (const r of results) {
      const path = runOutput(ctx, tickerTablePath(ctx.workspace, "backtests", r.input.ticker));
      await writeTableFast(
        path,
        outputFrame([r.input.ticker], 0, r.input.frame.time, r.result),
        backtestMeta(provenance, details(r.splitTime, [r])),
      );
      outputs.push(path);
    }
  }
  lap("write");
  const split = results[0]?.splitTime ?? Number.NEGATIVE_INFINITY;
  type WindowName = "train" | "test" | "whole";
  // Each ticker's window returns, from that window's own starting equity (the per-ticker rules), then averaged.
  const tickerReturns = (name: WindowName, benchmark: boolean): TickerReturns[] =>
    results.flatMap((r) => {
      const w = r.result[name];
      if (!w) return [];
      const { start, end, capital } = w;
      const returns = benchmark
        ? priceReturns(r.result.columns.get("price")!, start, end)
        : windowReturns(r.result.columns.get("profit")!, start, end, capital);
      return [{ time: r.input.frame.time.subarray(start, end), returns }];
    });
  // snake_case like the per-ticker metrics (one spelling per file), via the same converter.
  const combinedWindow = (name: WindowName) => {
    const m = combinedMetrics(combineEqualWeight(tickerReturns(name, false)), periodsPerYear);
    const b = combinedMetrics(combineEqualWeight(tickerReturns(name, true)), periodsPerYear);
    return m ? tradingMetricSet(m, b ?? undefined) : null;
  };
  // The chart shows the whole period as one line.
  const charts = options.chart !== false && !ctx.quiet;
  const combined = results.length > 1 && charts ? combineEqualWeight(tickerReturns("whole", false)) : null;
  const windowSet = (w: WindowMetrics | null) =>
    w ? { start_equity: w.capital, ...tradingMetricSet(w.strategy, w.buyAndHold) } : null;
  const summary = {
    tickers: Object.fromEntries(
      results.map((r) => [
        r.input.ticker,
        {
          splitDate: Number.isFinite(r.splitTime) ? isoDateOrTime(r.splitTime) : null,
          // The model whose signals these are (the run history links backtests to trained models by it).
          modelId: r.input.modelId,
          capital: r.result.capital,
          capitalMode: r.result.capitalMode,
          periodsPerYear: r.result.periodsPerYear,
          seedMode: r.result.seedMode,
          sample: sampleLabels(r.input),
          ...(r.input.walkForward ? { walkForward: walkForwardSummary(r.input.walkForward) } : {}),
          blockedOrders: r.result.blockedOrders,
          minCash: Number.isFinite(r.result.minCash) ? r.result.minCash : null,
          train: windowSet(r.result.train),
          test: windowSet(r.result.test),
          whole: windowSet(r.result.whole),
        },
      ]),
    ),
    ...(sweepSpec ? { sweep: sweeps } : {}),
    combined:
      results.length > 1
        ? {
            train: combinedWindow("train"),
            test: combinedWindow("test"),
            whole: combinedWindow("whole"),
          }
        : null,
  };
  const metricsPath = options.output
    ? isStdio(options.output)
      ? null
      : options.output.replace(/(\.parquet)?$/, ".metrics.json")
    : results.length === 1
      ? runOutput(ctx, tickerTablePath(ctx.workspace, "backtests", results[0].input.ticker, "metrics.json"))
      : runOutput(ctx, join(ctx.workspace, WORKSPACE_DIRS.backtests, "summary.metrics.json"));
  if (ctx.shard && !options.output) {
    // The sharded form of the summary: one per ticker (backtests/<T>.metrics.json, as a one-ticker run writes),
    // so shards never share a file; a combined line over one shard's tickers would describe no portfolio.
    for (const r of results) {
      const ticker = r.input.ticker;
      const path = runOutput(ctx, tickerTablePath(ctx.workspace, "backtests", ticker, "metrics.json"));
      const own = { tickers: { [ticker]: summary.tickers[ticker] }, combined: null };
      const ppy = r.result.periodsPerYear;
      await writeJsonArtifact(path, backtestSummaryArtifact(provenance, { periodsPerYear: ppy, ...own }));
      outputs.push(path);
    }
  } else if (metricsPath) {
    const ppy = results.length === 1 ? results[0].result.periodsPerYear : periodsPerYear;
    await writeJsonArtifact(
      metricsPath,
      backtestSummaryArtifact(provenance, { periodsPerYear: ppy, ...summary }),
    );
    outputs.push(metricsPath);
  }
  lap("metrics summary");
  if (!ctx.quiet) {
    // Loaded only to print: tables and charts cost --quiet runs nothing.
    const { renderReport } = await import("../backtest/terminal-report.js");
    const report = results.map((r) => ({
      ticker: r.input.ticker,
      time: r.input.frame.time,
      result: r.result,
      splitTime: r.splitTime,
    }));
    ctx.print(periodsNote(base.periodsPerYear, pooled, results));
    for (const r of results) {
      const note = sampleNote(r.input);
      if (note) ctx.print(note);
    }
    for (const block of renderReport(report, combined, split, { charts, color: ctx.color })) ctx.print(block);
  }
  if (!ctx.quiet && sweepSpec) {
    const { sweepText } = await import("./backtest-sweep.js");
    for (const [ticker, s] of Object.entries(sweeps)) ctx.print(sweepText(ticker, s));
  }
  return { outputs, periodsPerYear, ...summary };
}

/** What the train and test windows' P&L is: in-sample where a model was fitted on those bars. */
function sampleLabels(input: TickerInput): { train: string; test: string } | null {
  if (input.walkForward) return { train: "warm-up (no signals)", test: "out-of-sample (walk-forward)" };
  if (input.modelId) return { train: "in-sample", test: "out-of-sample" };
  return null;
}

/** The line printed above the tables saying which P&L is out of sample. */
function sampleNote(input: TickerInput): string | null {
  const wf = input.walkForward;
  if (wf) {
    const window = wf.window === "expanding" ? "expanding window" : `${wf.window}-row window`;
    return (
      `walk-forward ${input.ticker}: ${wf.refits.length} refits of ${wf.model}${wf.tuned ? ` (tuned, ${wf.trialsPerRefit} combinations each)` : ""} ` +
      `every ${wf.refitEvery} bars, ${window}, purged ${wf.purge} bar(s) (label ${wf.target}); every signal from ` +
      `${input.splitDate} on is out of sample` +
      (wf.warmUp
        ? `; ${wf.warmUp.from}..${wf.warmUp.to} is warm-up with no signal (train window P&L 0)`
        : "") +
      ` [${wf.seconds.toFixed(1)} s, ${wf.jobs} thread(s)]`
    );
  }
  if (input.modelId && input.splitDate)
    return `${input.ticker}: train-window P&L (before ${input.splitDate}) is IN-SAMPLE: the model was fitted on those bars`;
  return null;
}

/** The walk-forward refits per ticker, for the artifact's details. */
function walkForwardDetails(inputs: readonly TickerInput[]): {
  walkForward?: Record<string, WalkForwardRecord>;
} {
  const records = inputs.flatMap((i) => (i.walkForward ? [[i.ticker, i.walkForward] as const] : []));
  return records.length > 0 ? { walkForward: Object.fromEntries(records) } : {};
}

/** The probability the sweep thresholds: the input's `proba` (predictions, -m MODEL, walk-forward). */
function sweepProba(input: TickerInput): Float64Array {
  if (!input.frame.has("proba"))
    throw new UsageError(
      `${input.path}: --sweep threshold needs a proba column for ${input.ticker}`,
      "sweep over predictions, -m MODEL or --walk-forward",
    );
  return input.frame.get("proba");
}

/** The walk-forward at a glance (the refits themselves are in the artifact's details). */
function walkForwardSummary(wf: WalkForwardRecord) {
  return {
    model: wf.model,
    refits: wf.refits.length,
    refitEvery: wf.refitEvery,
    window: wf.window,
    tuned: wf.tuned,
    seconds: wf.seconds,
    jobs: wf.jobs,
    fitSeconds: wf.refits.reduce((a, r) => a + r.seconds, 0),
  };
}
