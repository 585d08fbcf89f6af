// `tsml evaluate`: score predictions and backtests, write metrics artifacts, append the metrics history, show
// its trend, and fail (exit 5) when a --fail-if gate holds.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { plot as asciiPlot } from "asciichart";
import Table from "cli-table3";
import { jsonArtifact, writeJsonArtifact } from "../artifacts/json-artifact.js";
import { makeProvenance, type Provenance } from "../artifacts/provenance.js";
import { readTable } from "../artifacts/table-io.js";
import { tickersWith, tickerTablePath, WORKSPACE_DIRS } from "../artifacts/workspace.js";
import { GateError, UsageError } from "../core/errors.js";
import { sha256File } from "../core/fingerprint.js";
import { parseWriteMode, writeFrame } from "../db/write-frame.js";
import { evaluateBacktest, evaluatePredictions, type TableEvaluation } from "../evaluate/evaluate-table.js";
import { checkGates, type Gate, type GateResult, parseGate } from "../evaluate/gates.js";
import { isBinary, KNOWN_METRICS, type MetricSet } from "../evaluate/metric-sets.js";
import { appendHistory, type HistoryRow, readHistory } from "../evaluate/metrics-history.js";
import { isoDate, parseDateFlag } from "../frame/dates.js";
import { Frame } from "../frame/frame.js";
import type { RunContext } from "./run-context.js";

export interface EvaluateCliOptions {
  input?: string;
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

export function historyPath(workspace: string): string {
  return join(workspace, WORKSPACE_DIRS.metrics, "history.duckdb");
}

function parseLast(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`--last: "${value}" is not a positive whole number`, "e.g. --last 120");
  return Number(value);
}

function splitFrom(details: Record<string, unknown>): number | undefined {
  const v = details.splitDate;
  return typeof v === "string" ? parseDateFlag(v.slice(0, 10), "splitDate") : undefined;
}

/**
 * Sequence forecasts (`prediction` at row t is the forecast for the next bar) carry no actual column. The
 * realised value is the next bar's price: from the forecast table's own price column when its rows are
 * consecutive bars (tsml predict writes the target column next to the forecast), else joined by date from the
 * workspace bars.
 */
async function withActual(
  part: Frame,
  details: Record<string, unknown>,
  ticker: string,
  workspace: string,
): Promise<Frame> {
  const predName = ["pred", "prediction"].find((n) => part.has(n));
  if (!predName || isBinary(part.get(predName)) || ["actual", "y_true", "y"].some((n) => part.has(n)))
    return part;
  const target = typeof details.target === "string" ? details.target : null;
  const own = [target, "close", "price"].find((n): n is string => n !== null && part.has(n));
  const barsPath = tickerTablePath(workspace, "bars", ticker);
  if (existsSync(barsPath)) {
    const bars = (await readTable(barsPath, { kinds: ["bars"] })).frame.forTicker(ticker);
    const column = [target, own, "close"].find((n): n is string => typeof n === "string" && bars.has(n));
    if (column) {
      const values = bars.get(column);
      const rowOf = new Map<number, number>();
      for (let i = 0; i < bars.length; i++) rowOf.set(bars.time[i], i);
      const actual = Float64Array.from(part.time, (t) => {
        const row = rowOf.get(t);
        return row !== undefined && row + 1 < bars.length ? values[row + 1] : Number.NaN;
      });
      return part.with("actual", actual);
    }
  }
  if (!own) return part;
  const price = part.get(own);
  const actual = Float64Array.from(price, (_, i) => (i + 1 < price.length ? price[i + 1] : Number.NaN));
  return part.with("actual", actual);
}

async function evaluateFile(
  path: string,
  wanted: readonly string[],
  last: number | undefined,
  workspace: string,
) {
  const { frame, meta } = await readTable(path, { kinds: ["predictions", "backtest"] });
  const fingerprint = await sha256File(path).catch(() => "");
  const details = meta?.details ?? {};
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
    const slice = sorted.slice(g.start, g.end);
    const part = meta?.kind === "backtest" ? slice : await withActual(slice, details, g.ticker, workspace);
    const evaluation =
      meta?.kind === "backtest"
        ? evaluateBacktest(part, `${path} (${g.ticker})`, {
            last,
            from: last === undefined ? splitFrom(details) : undefined,
          })
        : evaluatePredictions(part, details, `${path} (${g.ticker})`, {
            last,
            from: last === undefined ? splitFrom(details) : undefined,
          });
    const modelId = typeof details.modelId === "string" ? details.modelId : null;
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
  const { applyModel, readModelArtifact } = await import("./model-signals.js");
  const body = readModelArtifact(options.model as string);
  const ticker = wanted[0] ?? body.ticker;
  const path = options.input ?? tickerTablePath(ctx.workspace, "features", ticker);
  const { frame } = await readTable(path, { kinds: ["features"] });
  const features = frame.tickers().length > 1 ? frame.forTicker(ticker) : frame;
  const scored = await applyModel(options.model as string, features.sortByTickerTime());
  // Without --last, score the model's test window only (rows from its split date), never its training rows.
  const from =
    last === undefined && body.splitDate
      ? parseDateFlag(body.splitDate.slice(0, 10), "splitDate")
      : undefined;
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
  const wanted = (options.ticker ?? []).flatMap((t) => t.split(",")).filter(Boolean);
  if (options.model) return gatherModel(options, wanted, ctx, last);
  const files: string[] = [];
  if (options.input) files.push(options.input);
  else {
    const tickers = wanted.length
      ? wanted
      : [
          ...new Set([
            ...tickersWith(ctx.workspace, "predictions"),
            ...tickersWith(ctx.workspace, "backtests"),
          ]),
        ].sort();
    for (const t of tickers) {
      const found = (["predictions", "backtests"] as const)
        .map((d) => tickerTablePath(ctx.workspace, d, t))
        .filter((p) => existsSync(p));
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
    for (const e of await evaluateFile(path, wanted, last, ctx.workspace)) {
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
  if (byTicker.size === 0)
    throw new UsageError(`no rows for ticker ${wanted.join(", ")} in ${files.join(", ")}`);
  return [...byTicker.values()];
}

const fmt = (x: number) =>
  Number.isFinite(x) ? (Number.isInteger(x) ? String(x) : x.toPrecision(5)) : x === Infinity ? "inf" : "-";

function metricsTable(results: readonly TickerEvaluation[], color: boolean): string {
  const names = [...new Set(results.flatMap((r) => Object.keys(r.metrics)))];
  const table = new Table({
    head: ["metric", ...results.map((r) => r.ticker)],
    style: { head: color ? ["cyan"] : [], compact: true },
  });
  for (const name of names)
    table.push([name, ...results.map((r) => (name in r.metrics ? fmt(r.metrics[name]) : ""))]);
  return table.toString();
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
  const wanted = (options.ticker ?? []).flatMap((t) => t.split(",")).filter(Boolean);
  const requested = [...(options.metric ?? []), ...gates.map((g) => g.metric)];
  for (const m of requested)
    if (!KNOWN_METRICS.has(m))
      throw new UsageError(
        `--metric: unknown metric "${m}"`,
        `known metrics: ${[...KNOWN_METRICS].sort().join(", ")}`,
      );
  const rows = await readHistory(path, { metrics: requested.length ? requested : HISTORY_DEFAULT_METRICS });
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
    const table = new Table({
      head: [ticker, "model", ...metricNames],
      style: { head: ctx.color ? ["cyan"] : [] },
    });
    trend[ticker] = [];
    for (const [time, run] of runs) {
      const when = new Date(time).toISOString().replace("T", " ").slice(0, 19);
      table.push([
        when,
        run.modelId ?? "",
        ...metricNames.map((m) => (m in run.metrics ? fmt(run.metrics[m]) : "")),
      ]);
      trend[ticker].push({ time: new Date(time).toISOString(), modelId: run.modelId, metrics: run.metrics });
    }
    ctx.print(table.toString());
    const first = metricNames[0];
    const series = [...runs.values()].map((r) => r.metrics[first]).filter((v) => Number.isFinite(v));
    if (series.length > 1)
      ctx.print(`${ticker} ${first} over ${series.length} runs\n${asciiPlot(series, { height: 8 })}`);
  }
  if (byTicker.size === 0) ctx.print("no matching history rows");
  return { history: path, trend };
}

export async function evaluate(options: EvaluateCliOptions, ctx: RunContext) {
  const gates = (options.failIf ?? []).map((g) => parseGate(g, KNOWN_METRICS));
  const last = parseLast(options.last);
  if (options.toTable && !options.toDb) throw new UsageError("--to-table needs --to-db URL");
  if (options.history) return showHistory(options, gates, ctx);
  const results = await gather(options, ctx, last);
  const now = Date.now();
  const gateResults: GateResult[] = results.flatMap((r) => checkGates(gates, r.metrics, r.ticker));
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
  });
  const outputs: string[] = [];
  if (options.output) {
    await writeJsonArtifact(
      options.output,
      jsonArtifact("metrics", provenance, { tickers: results.map(body) }),
    );
    outputs.push(options.output);
  } else {
    for (const r of results) {
      const path = tickerTablePath(ctx.workspace, "metrics", r.ticker, "json");
      await writeJsonArtifact(path, jsonArtifact("metrics", provenance, body(r)));
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
  ctx.print(metricsTable(results, ctx.color));
  const tripped = gateResults.filter((g) => g.tripped);
  for (const g of gateResults) {
    ctx.print(
      `${g.tripped ? "FAIL" : "ok  "} ${g.scope}: ${g.gate.text} (${g.gate.metric} = ${fmt(g.value)})`,
    );
  }
  const summary = {
    outputs,
    tickers: Object.fromEntries(results.map((r) => [r.ticker, body(r)])),
    gates: gateResults.map((g) => ({
      gate: g.gate.text,
      ticker: g.scope,
      value: g.value,
      tripped: g.tripped,
    })),
  };
  if (tripped.length > 0) {
    if (ctx.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    const list = tripped
      .map((g) => `${g.gate.text} on ${g.scope} (${g.gate.metric} = ${fmt(g.value)})`)
      .join("; ");
    throw new GateError(
      `gate failed: ${list}`,
      "the monitored metric crossed its threshold: retrain (seed 003 retrains when sMAPE > 100 or ROC AUC < 0.8)",
    );
  }
  return summary;
}
