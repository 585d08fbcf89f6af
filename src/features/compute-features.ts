// The features stage: per ticker (nothing crosses tickers), normalise prices, compute sets/indicators/labels,
// then drop rows with missing values as the seeds do (optionally keeping the live tail with unknown labels).

import { DataError, UsageError } from "../core/errors.js";
import { Frame } from "../frame/frame.js";
import { type BarSeries, barSeries } from "./bar-series.js";
import type { FeatureBlock, LabelInfo } from "./feature-block.js";
import { computeIndicators, type IndicatorRequest } from "./indicator-spec.js";
import { computeLabels, type LabelRequest } from "./labels/label-spec.js";
import { deflate, type IndexSeries, indexOnDates } from "./normalise/deflate.js";
import { fitLinearTrend, removeTrend } from "./normalise/detrend.js";
import { seed000 } from "./sets/seed000.js";
import { seed001 } from "./sets/seed001.js";

export const FEATURE_SETS = ["seed000", "seed001"] as const;
export type FeatureSetName = (typeof FEATURE_SETS)[number];

export interface FeatureOptions {
  set?: FeatureSetName;
  indicators?: readonly IndicatorRequest[];
  labels?: readonly LabelRequest[];
  /** Keep the final rows whose forward labels are still unknown (NaN), for live prediction. */
  keepIncomplete?: boolean;
  /** Price index to divide prices by before anything is computed. */
  deflateBy?: IndexSeries;
  /** Subtract a linear trend fitted on rows dated <= this (epoch ms) from the prices. */
  detrendUntil?: number;
}

export interface FeatureResult {
  frame: Frame;
  labels: LabelInfo[];
  /** Non-label columns, in output order. */
  features: string[];
  rowsIn: number;
}

/** Everything computed for one ticker, before rows are dropped (the causality test compares these). */
export function computeBlock(bars: BarSeries, options: FeatureOptions): FeatureBlock {
  const block: FeatureBlock = { columns: new Map(), labels: [] };
  const merge = (part: FeatureBlock) => {
    for (const [k, v] of part.columns) {
      if (block.columns.has(k)) throw new UsageError(`features: column "${k}" is requested twice`);
      block.columns.set(k, v);
    }
    block.labels.push(...part.labels);
  };
  if (options.set === "seed000") merge(seed000(bars));
  else if (options.set === "seed001") merge(seed001(bars));
  if (options.indicators?.length) merge({ columns: computeIndicators(bars, options.indicators), labels: [] });
  if (options.labels?.length) merge(computeLabels(bars.close, options.labels));
  return block;
}

/** Prices after --deflate and --detrend (volume untouched). */
export function normaliseBars(bars: BarSeries, options: FeatureOptions, label: string): BarSeries {
  let out = bars;
  if (options.deflateBy) {
    const idx = indexOnDates(options.deflateBy, bars.time);
    out = {
      ...out,
      open: deflate(out.open, idx),
      high: deflate(out.high, idx),
      low: deflate(out.low, idx),
      close: deflate(out.close, idx),
    };
  }
  if (options.detrendUntil !== undefined) {
    const trend = fitLinearTrend(out.time, out.close, options.detrendUntil, label);
    out = {
      ...out,
      open: removeTrend(out.time, out.open, trend),
      high: removeTrend(out.time, out.high, trend),
      low: removeTrend(out.time, out.low, trend),
      close: removeTrend(out.time, out.close, trend),
    };
  }
  return out;
}

/**
 * Computes features and labels for every ticker of a bars frame.
 * @example computeFeatures(bars, { set: "seed000" })
 */
export function computeFeatures(bars: Frame, options: FeatureOptions, label = "bars"): FeatureResult {
  const frame = bars.sortByTickerTime();
  const groups = frame.groups();
  const n = frame.length;
  let columns: Map<string, Float64Array> | null = null;
  let labels: LabelInfo[] = [];
  const keep = new Uint8Array(n);
  for (const g of groups) {
    const series = normaliseBars(barSeries(frame, g.start, g.end, label), options, `${label} (${g.ticker})`);
    const block = computeBlock(series, options);
    if (!columns) {
      columns = new Map([...block.columns.keys()].map((k) => [k, new Float64Array(n)]));
      labels = block.labels;
    }
    for (const [name, values] of block.columns) {
      const target = columns.get(name);
      if (!target) throw new DataError(`${label}: ticker ${g.ticker} produced an unexpected column "${name}"`);
      target.set(values, g.start);
    }
    markComplete(columns, labels, g.start, g.end, options.keepIncomplete ?? false, keep);
  }
  const out = new Frame({
    time: frame.time,
    tickerCodes: frame.tickerCodes,
    tickerNames: frame.tickerNames,
    columns: columns ?? new Map(),
  }).filter(keep);
  const labelNames = new Set(labels.map((l) => l.name));
  return {
    frame: out,
    labels,
    features: [...(columns?.keys() ?? [])].filter((k) => !labelNames.has(k)),
    rowsIn: n,
  };
}

/**
 * Infinities become NaN (the seeds' replace([inf, -inf], nan)); a row is kept when nothing is missing, or,
 * with keepIncomplete, when only labels are missing and only because they look past the last row.
 */
function markComplete(
  columns: Map<string, Float64Array>,
  labels: readonly LabelInfo[],
  start: number,
  end: number,
  keepIncomplete: boolean,
  keep: Uint8Array,
): void {
  const horizon = new Map(labels.map((l) => [l.name, l.horizon]));
  keep.fill(1, start, end);
  for (const [name, values] of columns) {
    const h = horizon.get(name);
    const tailFrom = h === undefined || !keepIncomplete ? end : Math.max(start, end - h);
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) values[i] = Number.NaN;
      if (Number.isNaN(values[i]) && i < tailFrom) keep[i] = 0;
    }
  }
}
