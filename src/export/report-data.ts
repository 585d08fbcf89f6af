// What `tsml export report` hands the renderer: per ticker, the artifacts read from the workspace (one model
// lineage), the run comparison, and the provenance of every input file.

import type { Frame } from "../frame/frame.js";
import type { ModelView } from "./model-view.js";
import type { RunComparison } from "./tearsheet/comparison-section.js";
import type { HoldingsOverTime } from "./tearsheet/holdings-section.js";
import type { PortfolioReport } from "./tearsheet/portfolio-section.js";
import type { LogScaleChoice } from "./tearsheet/tearsheet-series.js";

export interface ReportInput {
  path: string;
  kind: string;
  provenance: unknown;
}

export interface TickerReport {
  ticker: string;
  /** Start of the test period (epoch ms), when known. */
  splitTime: number | null;
  bars: Frame | null;
  backtest: Frame | null;
  /** The backtest table's details (capital, strategy, windows, walk-forward, sweep) with its metrics summary. */
  backtestDetails: Record<string, unknown> | null;
  predictions: Frame | null;
  models: { path: string; view: ModelView }[];
  metrics: unknown;
  /** The files this ticker's sections read (a subset of the report's inputs). */
  inputs?: ReportInput[];
  /** The ticker's runs side by side, as `tsml compare` computes them. */
  comparison?: RunComparison | null;
  /** Portfolio backtests: weights per holding over time (rendered when present). */
  holdings?: HoldingsOverTime | null;
}

export interface ReportData {
  title: string;
  generatedAt: string;
  tsmlVersion: string;
  tickers: TickerReport[];
  inputs: ReportInput[];
  /** The cumulative-returns axis: log, linear, or auto (log when the curves span more than 10x). */
  logScale?: LogScaleChoice;
  /** The workspace's portfolio backtest (`backtest --portfolio`), when it has one. */
  portfolio?: PortfolioReport | null;
}
