// The backtest artifact (backtests/<T>.parquet): positions, profit and equity per ticker and date, written by
// `tsml backtest`, with the rules it ran under so anything reading it measures the same windows.

import type { CapitalMode } from "../../metrics/backtest-window.js";
import { SCHEMA_VERSION } from "../artifact-kind.js";
import type { Provenance } from "../provenance.js";
import { type ReadTableOptions, readTable, type TableMeta } from "../table-io.js";
import { detailsObject, isoSplitDate, numberField, textField } from "./details-fields.js";
import { type PortfolioDetails, portfolioDetails } from "./portfolio-details.js";
import { type TableArtifactMeta, typedMeta } from "./table-artifact.js";

/** One window's dates and starting equity. */
export interface WindowBase {
  from: string;
  to: string;
  capital: number;
}

export interface TickerWindows {
  train: WindowBase | null;
  test: WindowBase | null;
  whole: WindowBase | null;
  /** Bars per year the ticker was annualised with (its own bars'); null in files written before it was kept. */
  periodsPerYear: number | null;
}

/**
 * Schema 2: every field present (null when not recorded) and `splitDate` in its one ISO spelling. Schema-1 files
 * written before the window rules were recorded have no `capitalMode`, `shares` or `periodsPerYear`: those read
 * as null, and evaluate measures them the old way.
 */
export interface BacktestDetails {
  signal: string | null;
  strategy: string | null;
  splitDate: string | null;
  seedMode: boolean | null;
  modelId: string | null;
  sizing: string | null;
  shares: number | null;
  capitalMode: CapitalMode | null;
  /** Starting capital (one-ticker files). */
  capital: number | null;
  periodsPerYear: number | null;
  windows: Record<string, TickerWindows>;
  /** Walk-forward backtests: per ticker, the model, schedule and every refit (window dates, params, CV score). */
  walkForward: Record<string, unknown> | null;
  /** Parameter sweeps: per ticker, every trial, the deflated Sharpe ratio and PBO. */
  sweep: Record<string, unknown> | null;
  /** Portfolio backtests (`--portfolio`): the universe, the rules, and which of its two tables this is. */
  portfolio: PortfolioDetails | null;
}

export type BacktestMeta = TableArtifactMeta<"backtest", BacktestDetails>;

function windowBase(value: unknown): WindowBase | null {
  const w = detailsObject(value);
  const from = textField(w.from);
  const to = textField(w.to);
  const capital = numberField(w.capital);
  return from === null || to === null || capital === null ? null : { from, to, capital };
}

/** A backtest footer's details, typed; also the schema-1 migration. */
export function backtestDetails(raw: unknown): BacktestDetails {
  const d = detailsObject(raw);
  const windows: Record<string, TickerWindows> = {};
  for (const [ticker, value] of Object.entries(detailsObject(d.windows))) {
    const w = detailsObject(value);
    const ppy = numberField(w.periodsPerYear);
    windows[ticker] = {
      train: windowBase(w.train),
      test: windowBase(w.test),
      whole: windowBase(w.whole),
      periodsPerYear: ppy !== null && ppy > 0 ? ppy : null,
    };
  }
  const ppy = numberField(d.periodsPerYear);
  return {
    signal: textField(d.signal),
    strategy: textField(d.strategy),
    splitDate: isoSplitDate(d.splitDate),
    seedMode: typeof d.seedMode === "boolean" ? d.seedMode : null,
    modelId: textField(d.modelId),
    sizing: textField(d.sizing),
    shares: numberField(d.shares),
    capitalMode: d.capitalMode === "account" || d.capitalMode === "per-window" ? d.capitalMode : null,
    capital: numberField(d.capital),
    periodsPerYear: ppy !== null && ppy > 0 ? ppy : null,
    windows,
    walkForward: optionalRecord(d.walkForward),
    sweep: optionalRecord(d.sweep),
    portfolio: portfolioDetails(d.portfolio),
  };
}

/** An object field kept as written (absent, or not an object: null). */
function optionalRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** The footer tsml backtest writes. */
export function backtestMeta(provenance: Provenance, details: Partial<BacktestDetails>): TableMeta {
  return {
    kind: "backtest",
    schemaVersion: SCHEMA_VERSION.backtest,
    provenance,
    details: { ...backtestDetails(details) },
  };
}

/** Reads a backtest table. */
export async function readBacktest(path: string, options: Omit<ReadTableOptions, "kinds"> = {}) {
  const { frame, meta, path: read } = await readTable(path, { ...options, kinds: ["backtest"] });
  return { frame, path: read, meta: meta ? typedMeta(path, meta, "backtest", backtestDetails) : null };
}
