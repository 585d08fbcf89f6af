// `tsml export report`: gathers a ticker's bars, backtest, predictions, models and metrics from the workspace
// and writes one self-contained HTML report.

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type JsonArtifact, readJsonArtifact } from "../artifacts/json-artifact.js";
import { tsmlVersion } from "../artifacts/provenance.js";
import { readTable } from "../artifacts/table-io.js";
import {
  modelPath,
  tickerFileName,
  tickersWith,
  tickerTablePath,
  WORKSPACE_DIRS,
} from "../artifacts/workspace.js";
import { writeFileAtomic } from "../core/atomic-file.js";
import { DataError } from "../core/errors.js";
import { isStdio } from "../core/stdio.js";
import { modelView } from "../export/model-view.js";
import { type ReportData, type ReportInput, renderReport, type TickerReport } from "../export/report-html.js";
import { parseDateFlag } from "../frame/dates.js";
import type { Frame } from "../frame/frame.js";
import type { RunContext } from "./run-context.js";

export interface ExportReportOptions {
  ticker?: string[];
  output?: string;
  title?: string;
}

/** Tickers with anything to report. */
export function reportableTickers(workspace: string): string[] {
  const set = new Set<string>([
    ...tickersWith(workspace, "bars"),
    ...tickersWith(workspace, "backtests"),
    ...tickersWith(workspace, "predictions"),
  ]);
  return [...set].sort();
}

function modelFiles(workspace: string, ticker: string): string[] {
  const dir = join(workspace, WORKSPACE_DIRS.models, tickerFileName(ticker));
  if (!existsSync(dir)) return [];
  // Tabular models are <model>.json; sequence models are folders holding tsml.json beside their weights.
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith("."))
    .flatMap((e) => {
      if (e.isFile() && e.name.endsWith(".json")) return [join(dir, e.name)];
      const inner = join(dir, e.name, "tsml.json");
      return e.isDirectory() && existsSync(inner) ? [inner] : [];
    })
    .sort();
}

function one(frame: Frame, ticker: string): Frame {
  return frame.tickers().length > 1 ? frame.forTicker(ticker) : frame;
}

function splitTimeOf(...candidates: unknown[]): number | null {
  for (const c of candidates) {
    if (typeof c === "number" && Number.isFinite(c)) return c;
    if (typeof c === "string" && /^\d{4}-\d{2}-\d{2}/.test(c))
      return parseDateFlag(c.slice(0, 10), "splitDate");
  }
  return null;
}

/** Reads everything the report shows for one ticker; missing artifacts are simply left out. */
export async function gatherTicker(
  workspace: string,
  ticker: string,
  inputs: ReportInput[],
): Promise<TickerReport> {
  const table = async (dir: "bars" | "backtests" | "predictions") => {
    const path = tickerTablePath(workspace, dir, ticker);
    if (!existsSync(path)) return null;
    const { frame, meta } = await readTable(path);
    inputs.push({ path, kind: meta?.kind ?? "table", provenance: meta?.provenance ?? null });
    return { frame: one(frame, ticker), details: meta?.details ?? {} };
  };
  const bars = await table("bars");
  const backtest = await table("backtests");
  const predictions = await table("predictions");
  const models = modelFiles(workspace, ticker).map((path) => {
    const artifact = readJsonArtifact(path, ["model"]);
    inputs.push({ path, kind: "model", provenance: artifact.provenance });
    return { path, view: modelView(artifact) };
  });
  const metricsPath = tickerTablePath(workspace, "metrics", ticker, "json");
  let metrics: JsonArtifact | null = null;
  if (existsSync(metricsPath)) {
    metrics = readJsonArtifact(metricsPath, ["metrics"]);
    inputs.push({ path: metricsPath, kind: "metrics", provenance: metrics.provenance });
  }
  // The backtest's summary (capital, split date, train/test trading metrics) sits beside its table.
  let d: Record<string, unknown> = backtest?.details ?? {};
  const summaryPath = tickerTablePath(workspace, "backtests", ticker, "metrics.json");
  if (backtest && existsSync(summaryPath)) {
    const summary = readJsonArtifact(summaryPath, ["metrics"]);
    inputs.push({ path: summaryPath, kind: "metrics", provenance: summary.provenance });
    const perTicker = (summary.tickers as Record<string, Record<string, unknown>> | undefined)?.[ticker];
    if (perTicker) d = { ...d, ...perTicker };
  }
  const metricsBody = metrics
    ? Object.fromEntries(
        Object.entries(metrics).filter(([k]) => !["kind", "schemaVersion", "provenance"].includes(k)),
      )
    : null;
  return {
    ticker,
    splitTime: splitTimeOf(
      d.splitTime,
      d.splitDate,
      d.split_date,
      predictions?.details.splitDate,
      models[0]?.view.splitDate,
    ),
    bars: bars?.frame ?? null,
    backtest: backtest?.frame ?? null,
    backtestDetails: backtest ? d : null,
    predictions: predictions?.frame ?? null,
    models,
    metrics: metricsBody,
  };
}

/** Builds the report data (exported for the benchmark). */
export async function buildReportData(
  workspace: string,
  tickers: readonly string[],
  title?: string,
): Promise<ReportData> {
  const inputs: ReportInput[] = [];
  const sections: TickerReport[] = [];
  for (const t of tickers) sections.push(await gatherTicker(workspace, t, inputs));
  return {
    title: title ?? `tsml research report: ${tickers.join(", ")}`,
    generatedAt: new Date().toISOString(),
    tsmlVersion: tsmlVersion(),
    tickers: sections,
    inputs,
  };
}

export async function exportReport(options: ExportReportOptions, ctx: RunContext) {
  const requested =
    options.ticker && options.ticker.length > 0 ? options.ticker : reportableTickers(ctx.workspace);
  if (requested.length === 0)
    throw new DataError(
      `workspace ${ctx.workspace} has nothing to report`,
      "run tsml ingest, features, train and backtest first",
    );
  for (const t of requested) {
    const known =
      existsSync(tickerTablePath(ctx.workspace, "bars", t)) ||
      existsSync(tickerTablePath(ctx.workspace, "backtests", t)) ||
      existsSync(tickerTablePath(ctx.workspace, "predictions", t)) ||
      existsSync(modelPath(ctx.workspace, t, "x").replace(/x\.json$/, ""));
    if (!known)
      throw new DataError(
        `no artifacts for ticker ${t} in ${ctx.workspace}`,
        `tickers with data: ${reportableTickers(ctx.workspace).join(", ") || "none"}`,
      );
  }
  const data = await buildReportData(ctx.workspace, requested, options.title);
  const html = renderReport(data);
  const output = options.output ?? join(ctx.workspace, WORKSPACE_DIRS.reports, "report.html");
  if (isStdio(output)) {
    ctx.claimStdout();
    process.stdout.write(html);
  } else {
    await writeFileAtomic(output, html);
    ctx.print(`wrote report for ${requested.join(", ")} to ${output}`);
  }
  return {
    output,
    tickers: requested,
    bytes: Buffer.byteLength(html),
    inputs: data.inputs.map((i) => i.path),
  };
}
