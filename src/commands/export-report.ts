// `tsml export report`: gathers a ticker's bars, backtest, predictions, models and metrics from the workspace
// and writes one self-contained HTML report.

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readJsonArtifact } from "../artifacts/json-artifact.js";
import { artifactTableMeta, readArtifactTable } from "../artifacts/kinds/artifact-table.js";
import { splitTimeOf } from "../artifacts/kinds/details-fields.js";
import { readBacktestSummary, readEvaluation } from "../artifacts/kinds/metrics-artifact.js";
import { tsmlVersion } from "../artifacts/provenance.js";
import { readTableMeta } from "../artifacts/table-io.js";
import {
  modelPath,
  tickerFileName,
  tickersWith,
  tickerTablePath,
  WORKSPACE_DIRS,
} from "../artifacts/workspace.js";
import { writeFileAtomic } from "../core/atomic-file.js";
import { DataError } from "../core/errors.js";
import { oneOfFlag, tickerListFlag } from "../core/flags.js";
import { isStdio } from "../core/stdio.js";
import { modelView } from "../export/model-view.js";
import { type ReportData, type ReportInput, renderReport, type TickerReport } from "../export/report-html.js";
import type { LogScaleChoice } from "../export/tearsheet/tearsheet-series.js";
import type { Frame } from "../frame/frame.js";
import { reportComparison } from "./report-comparison.js";
import { gatherPortfolio } from "./report-portfolio.js";
import { artifactOfModel, modelFileOf, parseModelId } from "./support/report-lineage.js";
import type { RunContext } from "./support/run-context.js";

export interface ExportReportOptions {
  ticker?: string[];
  output?: string;
  title?: string;
  /** Cumulative returns and price axes: auto (log when the curve spans more than 10x), log, linear. */
  logScale?: string;
}

export const LOG_SCALE_CHOICES = ["auto", "log", "linear"] as const;

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

/**
 * Reads everything the report shows for one ticker; missing artifacts are simply left out. When the backtest
 * (else the predictions) names the model its signals came from, the model, predictions and evaluation shown
 * are that model's (report-lineage.ts): a later training run never lends its model to an earlier backtest.
 */
export async function gatherTicker(
  workspace: string,
  ticker: string,
  inputs: ReportInput[],
): Promise<TickerReport> {
  const firstInput = inputs.length;
  const table = async (dir: "bars" | "backtests" | "predictions", at?: string) => {
    const path = at ?? tickerTablePath(workspace, dir, ticker);
    if (!existsSync(path)) return null;
    const { frame, meta } = await readArtifactTable(path);
    inputs.push({ path, kind: meta?.kind ?? "table", provenance: meta?.provenance ?? null });
    return { frame: one(frame, ticker), meta };
  };
  const bars = await table("bars");
  const backtest = await table("backtests");
  const backtestDetails = backtest?.meta?.kind === "backtest" ? backtest.meta.details : null;
  const latestPredictions = tickerTablePath(workspace, "predictions", ticker);
  const latestPredictionsRaw = existsSync(latestPredictions) ? await readTableMeta(latestPredictions) : null;
  const latestPredictionsMeta = latestPredictionsRaw
    ? artifactTableMeta(latestPredictions, latestPredictionsRaw)
    : null;
  const latestPredictionsModel =
    latestPredictionsMeta?.kind === "predictions" ? latestPredictionsMeta.details.modelId : null;
  // A walk-forward backtest fits its own models (its refits are in its details): no model file, predictions or
  // evaluation of the workspace belongs to it.
  const walkForward = backtestDetails?.modelId?.startsWith("walk-forward:") === true;
  // The lineage: the model the backtest's signals came from, else the one the predictions were made with.
  const lineage = parseModelId(backtestDetails?.modelId)
    ? (backtestDetails?.modelId ?? null)
    : backtest === null && parseModelId(latestPredictionsModel)
      ? latestPredictionsModel
      : null;
  const predictionsPath =
    lineage === null
      ? latestPredictions
      : artifactOfModel(workspace, "predictions", ticker, lineage, {
          path: latestPredictions,
          modelId: latestPredictionsModel,
        });
  const predictions =
    predictionsPath === null || walkForward ? null : await table("predictions", predictionsPath);
  const predictionsDetails = predictions?.meta?.kind === "predictions" ? predictions.meta.details : null;
  const latestModels = modelFiles(workspace, ticker);
  const lineageModel = lineage === null ? null : await modelFileOf(workspace, ticker, lineage, latestModels);
  const shownModels = walkForward
    ? []
    : lineage === null
      ? latestModels
      : lineageModel === null
        ? []
        : [lineageModel];
  const models = shownModels.map((path) => {
    const artifact = readJsonArtifact(path, ["model"]);
    inputs.push({ path, kind: "model", provenance: artifact.provenance });
    return { path, view: modelView(artifact) };
  });
  const latestMetrics = tickerTablePath(workspace, "metrics", ticker, "json");
  const latestEvaluation = existsSync(latestMetrics) ? readEvaluation(latestMetrics) : null;
  const latestEvaluationModel = latestEvaluation?.evaluation.modelId;
  const metricsPath =
    lineage === null
      ? latestMetrics
      : artifactOfModel(workspace, "metrics", ticker, lineage, {
          path: latestMetrics,
          modelId: typeof latestEvaluationModel === "string" ? latestEvaluationModel : null,
        });
  let metricsBody: Record<string, unknown> | null = null;
  const evaluated =
    metricsPath === null || walkForward || !existsSync(metricsPath)
      ? null
      : metricsPath === latestMetrics
        ? latestEvaluation
        : readEvaluation(metricsPath);
  if (evaluated && metricsPath !== null) {
    inputs.push({ path: metricsPath, kind: "metrics", provenance: evaluated.provenance });
    const { source: _source, ...shown } = evaluated.evaluation;
    metricsBody = shown;
  }
  // The backtest's summary (capital, split date, train/test trading metrics) sits beside its table.
  const summaryPath = tickerTablePath(workspace, "backtests", ticker, "metrics.json");
  const summary = backtest && existsSync(summaryPath) ? readBacktestSummary(summaryPath) : null;
  if (summary) inputs.push({ path: summaryPath, kind: "metrics", provenance: summary.provenance });
  const perTicker = summary?.summary.tickers[ticker] ?? null;
  // The test window starts at the split the backtest ran with, else the one its predictions or model recorded.
  const splitDate =
    perTicker?.splitDate ??
    backtestDetails?.splitDate ??
    predictionsDetails?.splitDate ??
    models[0]?.view.splitDate ??
    null;
  return {
    ticker,
    splitTime: splitTimeOf(splitDate),
    bars: bars?.frame ?? null,
    backtest: backtest?.frame ?? null,
    // The summary's walk-forward entry is a digest (a refit count): the details keep every refit.
    backtestDetails: backtest
      ? {
          ...backtestDetails,
          ...perTicker,
          walkForward: backtestDetails?.walkForward ?? null,
          sweep: backtestDetails?.sweep ?? null,
        }
      : null,
    predictions: predictions?.frame ?? null,
    models,
    metrics: metricsBody,
    inputs: inputs.slice(firstInput),
    comparison: reportComparison(workspace, ticker, lineage),
  };
}

/** Builds the report data (exported for the benchmark). */
export async function buildReportData(
  workspace: string,
  tickers: readonly string[],
  title?: string,
  logScale: LogScaleChoice = "auto",
): Promise<ReportData> {
  const inputs: ReportInput[] = [];
  const sections: TickerReport[] = [];
  for (const t of tickers) sections.push(await gatherTicker(workspace, t, inputs));
  const portfolio = await gatherPortfolio(workspace, inputs);
  return {
    portfolio,
    title: title ?? `tsml research report: ${tickers.join(", ")}`,
    generatedAt: new Date().toISOString(),
    tsmlVersion: tsmlVersion(),
    tickers: sections,
    inputs,
    logScale,
  };
}

export async function exportReport(options: ExportReportOptions, ctx: RunContext) {
  const wanted = tickerListFlag(options.ticker, "--ticker");
  const logScale = oneOfFlag(options.logScale, "--log-scale", LOG_SCALE_CHOICES, "auto");
  const requested = wanted.length > 0 ? wanted : reportableTickers(ctx.workspace);
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
  const data = await buildReportData(ctx.workspace, requested, options.title, logScale);
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
