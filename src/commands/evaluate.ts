// `tsml evaluate`: score predictions and backtests, write metrics artifacts, append the metrics history, show
// its trend, and fail (exit 5) when a --fail-if gate holds.

import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { changedInputs } from "../artifacts/freshness.js";
import { writeJsonArtifact } from "../artifacts/json-artifact.js";
import { readArtifactTable } from "../artifacts/kinds/artifact-table.js";
import { readBars } from "../artifacts/kinds/bars-artifact.js";
import { splitTimeOf } from "../artifacts/kinds/details-fields.js";
import { readFeatures } from "../artifacts/kinds/features-artifact.js";
import { evaluationArtifact } from "../artifacts/kinds/metrics-artifact.js";
import { readModelSplitFacts } from "../artifacts/kinds/model-artifact.js";
import { predictionsDetails } from "../artifacts/kinds/predictions-artifact.js";
import { makeProvenance, type Provenance } from "../artifacts/provenance.js";
import { readTableMeta } from "../artifacts/table-io.js";
import { tickersWith, tickerTablePath, WORKSPACE_DIRS } from "../artifacts/workspace.js";
import { GateError, UsageError } from "../core/errors.js";
import { sha256File } from "../core/fingerprint.js";
import { integerFlag, tickerListFlag } from "../core/flags.js";
import { lineChart } from "../core/terminal-chart.js";
import { terminalTable } from "../core/terminal-table.js";
import { parseWriteMode, writeFrame } from "../db/write-frame.js";
import {
  evaluateBacktest,
  evaluatePredictions,
  evaluateSequencePredictions,
  type ForecastSummary,
  isSequenceTable,
  sequenceTarget,
  type TableEvaluation,
  type TargetSeries,
} from "../evaluate/evaluate-table.js";
import {
  horizonJson,
  isHorizonMetric,
  parseHorizonMetric,
  withHorizonNames,
} from "../evaluate/forecast-horizons.js";
import { checkGates, type Gate, type GateResult, parseGate } from "../evaluate/gates.js";
import { KNOWN_METRICS, type MetricSet } from "../evaluate/metric-sets.js";
import { appendHistory, type HistoryRow, previousMetrics, readHistory } from "../evaluate/metrics-history.js";
import { targetSeriesFromBars } from "../evaluate/target-series.js";
import { isoDate } from "../frame/dates.js";
import { Frame } from "../frame/frame.js";
import { formatMetric } from "../metrics/format-metric.js";
import { recordedBacktest } from "../metrics/recorded-backtest.js";
import { sequenceFolder } from "../models/sequence/sequence-artifact.js";
import type { RunContext } from "./support/run-context.js";
import { runOutput } from "./support/run-output.js";
import { emptyShard, ownsShardTicker, shardTickers } from "./support/shard-tickers.js";

export interface EvaluateCliOptions {
  input?: string;
  /** `--queue URL`: one job per ticker on the queue (cli/queued-batch.ts), never seen here. */
  queue?: string;
  ticker?: string[];
  model?: string;
  last?: string;
  failIf?: string[];
  history?: boolean;
  metric?: string[];
  record?: boolean;
  toDb?: string;
  toTable?: string;
  output?: string;
}

interface TickerEvaluation {
  ticker: string;
  modelId: string | null;
  sources: { kind: string; path: string; fingerprint: string; evaluation: TableEvaluation }[];
  metrics: MetricSet;
}

const HISTORY_DEFAULT_METRICS = ["smape", "roc_auc", "accuracy", "overall_score", "sharpe", "total_return"];
/** Metric names a gate or `--metric` may use: the known metrics and the per-horizon forecast names (`smape_h5`). */
const GATE_METRICS = withHorizonNames(KNOWN_METRICS);

export function historyPath(workspace: string): string {
  return join(workspace, WORKSPACE_DIRS.metrics, "history.duckdb");
}

/** The ticker's target series from the workspace bars, for a forecast table without it; null when none. */
async function barsTarget(workspace: string, ticker: string, target: string): Promise<TargetSeries | null> {
  const barsPath = tickerTablePath(workspace, "bars", ticker);
  if (!existsSync(barsPath)) return null;
  return targetSeriesFromBars((await readBars(barsPath)).frame, ticker, target);
}

async function evaluateFile(
  path: string,
  wanted: readonly string[],
  last: number | undefined,
  workspace: string,
  warn: (message: string) => void,
) {
  const { frame, meta } = await readArtifactTable(path, { kinds: ["predictions", "backtest"] });
  const fingerprint = await sha256File(path).catch(() => "");
  const recorded = meta?.kind === "backtest" || meta?.kind === "predictions" ? meta.details : null;
  const splitTime = splitTimeOf(recorded?.splitDate ?? null) ?? undefined;
  // A model trained on every row has no test window: its scores are in-sample and flatter it.
  if (recorded?.modelId && splitTime === undefined && last === undefined)
    warn(
      `${path}: model ${recorded.modelId} was trained on every row (--split-date none), so these metrics are in-sample (its own training rows); retrain without --split-date none (the default holds out the last 20%) for out-of-sample figures`,
    );
  // A Parquet file tsml did not write is read as predictions that recorded nothing.
  const predictions = meta?.kind === "predictions" ? meta.details : predictionsDetails({});
  const sorted = frame.sortByTickerTime();
  const out: {
    ticker: string;
    kind: string;
    modelId: string | null;
    evaluation: TableEvaluation;
    fingerprint: string;
  }[] = [];
  for (const g of sorted.groups()) {
    if (wanted.length > 0 && !wanted.includes(g.ticker)) continue;
    const part = sorted.slice(g.start, g.end);
    const label = `${path} (${g.ticker})`;
    const window = { last, from: last === undefined ? splitTime : undefined };
    let evaluation: TableEvaluation;
    // A backtest is measured by the rules (starting equity, periods per year) it recorded.
    if (meta?.kind === "backtest") {
      const backtest = recordedBacktest({ ...meta.details }, g.ticker);
      evaluation = evaluateBacktest(part, label, { ...window, backtest });
    } else if (isSequenceTable(part, predictions)) {
      // The realised values come from the table's own target column; the bars only when it has none.
      const target = sequenceTarget(part, predictions).name;
      const bars = part.has(target) ? null : await barsTarget(workspace, g.ticker, target);
      evaluation = evaluateSequencePredictions(part, predictions, label, window, bars);
    } else {
      evaluation = evaluatePredictions(part, predictions, label, window);
    }
    const modelId = recorded?.modelId ?? null;
    out.push({ ticker: g.ticker, kind: meta?.kind ?? "predictions", modelId, evaluation, fingerprint });
  }
  return out;
}

/** `-m model.json`: score the model's ticker features in memory and evaluate those predictions. */
async function gatherModel(
  options: EvaluateCliOptions,
  wanted: string[],
  ctx: RunContext,
  last: number | undefined,
): Promise<TickerEvaluation[]> {
  if (sequenceFolder(options.model as string)) {
    const { evaluateSequenceModel } = await import("./evaluate-sequence-model.js");
    return evaluateSequenceModel(options.model as string, options.input, wanted, ctx.workspace, last);
  }
  const { applyModel, readModelArtifact } = await import("../models/scoring/model-signals.js");
  const body = readModelArtifact(options.model as string);
  const ticker = wanted[0] ?? body.ticker;
  const path = options.input ?? tickerTablePath(ctx.workspace, "features", ticker);
  const { frame } = await readFeatures(path);
  const features = frame.tickers().length > 1 ? frame.forTicker(ticker) : frame;
  const scored = await applyModel(options.model as string, features.sortByTickerTime());
  // Without --last, score the model's test window only (rows from its split date), never its training rows.
  const split = splitTimeOf(readModelSplitFacts(options.model as string).splitDate);
  const from = last === undefined && split !== null ? split : undefined;
  const evaluation = evaluatePredictions(scored.frame, { target: body.target }, `${path} (${ticker})`, {
    last,
    from,
  });
  const fingerprint = await sha256File(path).catch(() => "");
  return [
    {
      ticker,
      modelId: scored.modelId,
      sources: [{ kind: "model", path, fingerprint, evaluation }],
      metrics: evaluation.metrics,
    },
  ];
}

async function gather(
  options: EvaluateCliOptions,
  ctx: RunContext,
  last: number | undefined,
): Promise<TickerEvaluation[]> {
  const wanted = tickerListFlag(options.ticker, "--ticker");
  // With --shard a model's ticker, or an input's, that another shard owns is that shard's to evaluate.
  if (options.model)
    return (await gatherModel(options, wanted, ctx, last)).filter((r) => ownsShardTicker(ctx, r.ticker));
  const files: string[] = [];
  if (options.input) files.push(options.input);
  else {
    const all = wanted.length
      ? wanted
      : [
          ...new Set([
            ...tickersWith(ctx.workspace, "predictions"),
            ...tickersWith(ctx.workspace, "backtests"),
          ]),
        ].sort();
    const tickers = shardTickers(ctx, all, "evaluate");
    if (all.length > 0 && tickers.length === 0) return [];
    for (const t of tickers) {
      const found = (["predictions", "backtests"] as const)
        .map((d) => tickerTablePath(ctx.workspace, d, t))
        .filter((p) => existsSync(p));
      // A backtest made from other predictions than the ones here (a forecaster scored since) is left out, so
      // one ticker's metrics never mix two models.
      if (found.length === 2 && (await backtestOfOtherPredictions(found[1], found[0]))) {
        ctx.log.warn(`${t}: the backtest was made from earlier predictions; evaluating the predictions only`);
        found.pop();
      }
      if (found.length === 0 && wanted.length)
        throw new UsageError(
          `nothing to evaluate for ${t} in ${ctx.workspace}`,
          `run tsml predict --ticker ${t} or tsml backtest --ticker ${t} first`,
        );
      files.push(...found);
    }
    if (files.length === 0)
      throw new UsageError(
        `no predictions or backtests in ${ctx.workspace}`,
        "run tsml predict or tsml backtest first, or pass -i FILE",
      );
  }
  const byTicker = new Map<string, TickerEvaluation>();
  for (const path of files) {
    for (const e of await evaluateFile(path, wanted, last, ctx.workspace, (m) => ctx.log.warn(m))) {
      if (!ownsShardTicker(ctx, e.ticker)) continue;
      const entry = byTicker.get(e.ticker) ?? { ticker: e.ticker, modelId: null, sources: [], metrics: {} };
      entry.sources.push({ kind: e.kind, path, fingerprint: e.fingerprint, evaluation: e.evaluation });
      // Prediction metrics (read first) keep the shared `rows` name; trading metrics have their own names.
      entry.metrics =
        e.kind === "backtest"
          ? { ...e.evaluation.metrics, ...entry.metrics }
          : { ...entry.metrics, ...e.evaluation.metrics };
      entry.modelId = entry.modelId ?? e.modelId;
      byTicker.set(e.ticker, entry);
    }
  }
  if (byTicker.size === 0 && !ctx.shard)
    throw new UsageError(`no rows for ticker ${wanted.join(", ")} in ${files.join(", ")}`);
  return [...byTicker.values()];
}

/** Whether the backtest at `backtestPath` recorded the predictions at `predictionsPath` with other contents. */
async function backtestOfOtherPredictions(backtestPath: string, predictionsPath: string): Promise<boolean> {
  const meta = await readTableMeta(backtestPath);
  if (!meta?.provenance) return false;
  const changed = await changedInputs(meta.provenance);
  return changed.some((p) => resolve(p) === resolve(predictionsPath));
}

/** The metrics per ticker, less the forecast metrics (shown per horizon by horizonsTable); "" when none are left. */
function metricsTable(results: readonly TickerEvaluation[], color: boolean): string {
  const inForecast = (r: TickerEvaluation, name: string) => {
    const forecast = forecastOf(r);
    return (
      forecast !== undefined && (parseHorizonMetric(name) !== null || name in forecast.horizons[0].metrics)
    );
  };
  const names = [...new Set(results.flatMap((r) => Object.keys(r.metrics).filter((n) => !inForecast(r, n))))];
  if (names.length === 0) return "";
  const table = terminalTable(["metric", ...results.map((r) => r.ticker)], { color: color, compact: true });
  for (const name of names)
    table.push([
      name,
      ...results.map((r) =>
        name in r.metrics && !inForecast(r, name) ? formatMetric(name, r.metrics[name]) : "",
      ),
    ]);
  return table.toString();
}

/** The forecast evaluation of a ticker (sequence predictions), if it has one. */
function forecastOf(r: TickerEvaluation): ForecastSummary | undefined {
  return r.sources.find((s) => s.evaluation.forecast)?.evaluation.forecast;
}

/** `forecast: { target, horizon, horizons: [{ h, from, to, metrics }] }` for the JSON outputs. */
function forecastBody(r: TickerEvaluation) {
  const forecast = forecastOf(r);
  if (!forecast) return {};
  return {
    forecast: {
      target: forecast.target,
      targetRecorded: forecast.targetRecorded,
      actuals: forecast.actuals,
      horizon: forecast.horizons.length,
      horizons: forecast.horizons.map(horizonJson),
    },
  };
}

/** One row per horizon h = 1..H: what was forecast, over which forecast dates, and every regression metric. */
function horizonsTable(r: TickerEvaluation, forecast: ForecastSummary, color: boolean): string {
  const names = [...new Set(forecast.horizons.flatMap((e) => Object.keys(e.metrics)))];
  const table = terminalTable(["h", "from", "to", ...names], { color: color, compact: true });
  for (const e of forecast.horizons) {
    const j = horizonJson(e);
    table.push([String(e.h), j.from ?? "", j.to ?? "", ...names.map((n) => formatMetric(n, e.metrics[n]))]);
  }
  const source = forecast.actuals === "table" ? "the table's" : "the bars'";
  const recorded = forecast.targetRecorded ? "" : " (not recorded in the predictions' metadata: assumed)";
  return (
    `${r.ticker}: forecasts of ${forecast.target}${recorded} h = 1..${forecast.horizons.length} bars ahead, ` +
    `scored against ${source} ${forecast.target} h bars after each forecast's date\n${table.toString()}`
  );
}

/**
 * The gate checks for one ticker. On a k-step forecast a bare per-horizon metric (`smape>5`) is checked on every
 * horizon and fails when it holds on any of them (every horizon must pass: for an error metric, the worst
 * horizon decides); `smape_h5>5` checks one horizon, and a one-step forecast answers to `smape_h1` as well.
 */
function checkGate(
  gate: Gate,
  r: TickerEvaluation,
  previous: Readonly<Record<string, number>> | null,
): GateResult[] {
  const forecast = forecastOf(r);
  if (!forecast) return checkGates([gate], r.metrics, r.ticker, previous);
  if (forecast.horizons.length > 1 && gate.metrics.some((m) => isHorizonMetric(m) && !(m in r.metrics)))
    return forecast.horizons.flatMap((e) => checkGates([gate], e.metrics, `${r.ticker} h${e.h}`, previous));
  // A one-step forecast answers to smape_h1 as well as smape.
  const stepOne: Record<string, number> = {};
  for (const m of gate.metrics) {
    const perHorizon = parseHorizonMetric(m);
    if (perHorizon && forecast.horizons.length === 1 && perHorizon.h === 1)
      stepOne[m] = forecast.horizons[0].metrics[perHorizon.metric];
  }
  return checkGates([gate], { ...r.metrics, ...stepOne }, r.ticker, previous);
}

async function writeToDb(url: string, table: string, results: readonly TickerEvaluation[], time: number) {
  const rows = results.flatMap((r) =>
    Object.entries(r.metrics).map(([metric, value]) => ({ r, metric, value })),
  );
  const tickerNames = results.map((r) => r.ticker);
  const frame = new Frame({
    time: new Float64Array(rows.length).fill(time),
    tickerCodes: Uint32Array.from(rows, (x) => tickerNames.indexOf(x.r.ticker)),
    tickerNames,
    columns: new Map([["value", Float64Array.from(rows, (x) => x.value)]]),
    text: new Map([
      ["metric", rows.map((x) => x.metric)],
      ["model_id", rows.map((x) => x.r.modelId)],
      ["fingerprint", rows.map((x) => x.r.sources.map((s) => s.fingerprint).join(","))],
    ]),
  });
  return writeFrame(url, table, frame, { mode: parseWriteMode("upsert"), key: ["ticker", "date", "metric"] });
}

/** `tsml evaluate --history`: the trend per ticker as a table and a line. */
async function showHistory(options: EvaluateCliOptions, gates: readonly Gate[], ctx: RunContext) {
  const path = historyPath(ctx.workspace);
  if (!existsSync(path)) throw new UsageError(`no metrics history yet (${path})`, "run tsml evaluate first");
  const wanted = tickerListFlag(options.ticker, "--ticker");
  const requested = [...(options.metric ?? []), ...gates.flatMap((g) => g.metrics)];
  for (const m of requested)
    if (!GATE_METRICS.has(m))
      throw new UsageError(
        `--metric: unknown metric "${m}"`,
        `known metrics: ${[...KNOWN_METRICS].sort().join(", ")}`,
      );
  // A bare forecast metric (`smape`) also selects the per-horizon names of k-step forecasts (`smape_h1..H`).
  const shown = new Set(requested.length ? requested : HISTORY_DEFAULT_METRICS);
  const rows = (await readHistory(path)).filter(
    (r) => shown.has(r.metric) || shown.has(parseHorizonMetric(r.metric)?.metric ?? ""),
  );
  const selected = rows.filter((r) => wanted.length === 0 || wanted.includes(r.ticker));
  const byTicker = new Map<string, HistoryRow[]>();
  for (const r of selected) byTicker.set(r.ticker, [...(byTicker.get(r.ticker) ?? []), r]);
  const trend: Record<string, { time: string; modelId: string | null; metrics: Record<string, number> }[]> =
    {};
  for (const [ticker, list] of byTicker) {
    const runs = new Map<number, { modelId: string | null; metrics: Record<string, number> }>();
    for (const r of list) {
      const run = runs.get(r.time) ?? { modelId: r.modelId, metrics: {} };
      run.metrics[r.metric] = r.value;
      runs.set(r.time, run);
    }
    const metricNames = [...new Set(list.map((r) => r.metric))];
    const table = terminalTable([ticker, "model", ...metricNames], { color: ctx.color });
    trend[ticker] = [];
    for (const [time, run] of runs) {
      const when = new Date(time).toISOString().replace("T", " ").slice(0, 19);
      table.push([
        when,
        run.modelId ?? "",
        ...metricNames.map((m) => (m in run.metrics ? formatMetric(m, run.metrics[m]) : "")),
      ]);
      trend[ticker].push({ time: new Date(time).toISOString(), modelId: run.modelId, metrics: run.metrics });
    }
    ctx.print(table.toString());
    const first = metricNames[0];
    const series = [...runs.values()].map((r) => r.metrics[first]).filter((v) => Number.isFinite(v));
    if (series.length > 1)
      ctx.print(lineChart(series, { title: `${ticker} ${first} over ${series.length} runs`, height: 8 }));
  }
  if (byTicker.size === 0) ctx.print("no matching history rows");
  return { history: path, trend };
}

/**
 * The flags evaluate checks before anything is read or built (the CLI calls it before scoring missing
 * predictions): a bad gate or count is a usage error (exit 2).
 */
export function evaluateSettings(options: EvaluateCliOptions) {
  const gates = (options.failIf ?? []).map((g) => parseGate(g, GATE_METRICS));
  const last = integerFlag(options.last, "--last", { min: 1 });
  if (options.toTable && !options.toDb) throw new UsageError("--to-table needs --to-db URL");
  return { gates, last };
}

export async function evaluate(options: EvaluateCliOptions, ctx: RunContext) {
  const { gates, last } = evaluateSettings(options);
  if (options.history) return showHistory(options, gates, ctx);
  const results = await gather(options, ctx, last);
  if (results.length === 0) return emptyShard(ctx, "evaluate");
  const now = Date.now();
  // `previous` in a gate reads the latest recorded run of the same ticker and model (before this one is added).
  const previousRuns = new Map<string, Record<string, number> | null>();
  if (gates.some((g) => g.usesPrevious) && existsSync(historyPath(ctx.workspace)))
    for (const r of results)
      previousRuns.set(r.ticker, await previousMetrics(historyPath(ctx.workspace), r.ticker, r.modelId));
  const gateResults: GateResult[] = results.flatMap((r) =>
    gates.flatMap((g) => checkGate(g, r, previousRuns.get(r.ticker) ?? null)),
  );
  const provenance: Provenance = await makeProvenance({
    command: ctx.commandLine,
    options: { ...options },
    seed: ctx.seed,
    inputs: results.flatMap((r) => r.sources.map((s) => ({ path: s.path, sha256: s.fingerprint }))),
  });
  const body = (r: TickerEvaluation) => ({
    ticker: r.ticker,
    modelId: r.modelId,
    last: last ?? null,
    sources: r.sources.map((s) => ({
      kind: s.kind,
      path: s.path,
      evaluation: s.evaluation.kind,
      from: Number.isFinite(s.evaluation.from) ? isoDate(s.evaluation.from) : null,
      to: Number.isFinite(s.evaluation.to) ? isoDate(s.evaluation.to) : null,
    })),
    metrics: r.metrics,
    ...forecastBody(r),
  });
  const outputs: string[] = [];
  if (options.output) {
    await writeJsonArtifact(options.output, evaluationArtifact(provenance, { tickers: results.map(body) }));
    outputs.push(options.output);
  } else {
    for (const r of results) {
      const path = runOutput(ctx, tickerTablePath(ctx.workspace, "metrics", r.ticker, "json"));
      await writeJsonArtifact(path, evaluationArtifact(provenance, body(r)));
      outputs.push(path);
    }
  }
  if (options.record !== false) {
    await appendHistory(
      historyPath(ctx.workspace),
      results.map((r) => ({
        time: now,
        ticker: r.ticker,
        modelId: r.modelId,
        source: r.sources.map((s) => s.kind).join("+"),
        fingerprint: r.sources.map((s) => s.fingerprint).join(","),
        metrics: r.metrics,
      })),
    );
  }
  if (options.toDb) await writeToDb(options.toDb, options.toTable ?? "metrics_history", results, now);
  const general = metricsTable(results, ctx.color);
  if (general) ctx.print(general);
  for (const r of results) {
    const forecast = forecastOf(r);
    if (forecast) ctx.print(horizonsTable(r, forecast, ctx.color));
  }
  const tripped = gateResults.filter((g) => g.tripped);
  for (const g of gateResults) {
    ctx.print(`${g.tripped ? "FAIL" : "ok  "} ${g.scope}: ${g.gate.text} (${g.reason})`);
  }
  const summary = {
    outputs,
    tickers: Object.fromEntries(results.map((r) => [r.ticker, body(r)])),
    gates: gateResults.map((g) => ({
      gate: g.gate.text,
      ticker: g.scope,
      value: g.value,
      tripped: g.tripped,
      undefined: g.undefined,
    })),
  };
  if (tripped.length > 0) {
    if (ctx.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    const list = tripped.map((g) => `${g.gate.text} on ${g.scope} (${g.reason})`).join("; ");
    throw new GateError(
      `gate failed: ${list}`,
      tripped.some((g) => g.undefined)
        ? "an undefined metric fails its gate: score rows that have a label, a prediction and (for roc_auc, log_loss) a finite probability"
        : "the monitored metric crossed its threshold: retrain (seed 003 retrains when sMAPE > 100 or ROC AUC < 0.8)",
    );
  }
  return summary;
}
