// The features stage: per ticker (nothing crosses tickers), normalise prices, compute sets/indicators/labels,
// then drop rows with missing values as the seeds do (optionally keeping the live tail with unknown labels).

import { DataError, UsageError } from "../core/errors.js";
import { Frame } from "../frame/frame.js";
import { type BarSeries, barSeries } from "./bar-series.js";
import type { FeatureBlock, LabelInfo } from "./feature-block.js";
import { computeIndicators, type IndicatorRequest } from "./indicator-spec.js";
import { computeLabels, type LabelRequest } from "./labels/label-spec.js";
import { type EmptyTicker, emptyTicker } from "./no-rows.js";
import { deflate, type IndexSeries, indexOnDates } from "./normalise/deflate.js";
import { fitLinearTrend, removeTrend } from "./normalise/detrend.js";
import { seed000 } from "./sets/seed000.js";
import { seed001 } from "./sets/seed001.js";
import { stationary } from "./sets/stationary.js";

/**
 * Named feature sets: `stationary` (the default: returns, RSI, price relative to its averages, volatility,
 * volume z-score), `seed000` (the Flask app's price/volume/MACD/RSI/CCI/EMV/FI columns, raw prices included)
 * and `seed001` (the crypto pool's Alpha Vantage indicators and trend targets).
 */
export const FEATURE_SETS = ["stationary", "seed000", "seed001"] as const;
export type FeatureSetName = (typeof FEATURE_SETS)[number];
/** The set `tsml features` computes when neither --set nor --indicators/--labels is given. */
export const DEFAULT_FEATURE_SET: FeatureSetName = "stationary";

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
  /** Kept rows of each ticker (views where possible), in ticker order. */
  parts: Frame[];
  /** All tickers in one frame (built on first access). */
  readonly frame: Frame;
  /** Rows kept in total. */
  rows: number;
  labels: LabelInfo[];
  /** Non-label columns, in output order. */
  features: string[];
  rowsIn: number;
  /** Tickers that kept no row, with why (missing inputs or columns, warm-up): see no-rows.ts. */
  empty: EmptyTicker[];
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
  if (options.set === "stationary") merge(stationary(bars));
  else if (options.set === "seed000") merge(seed000(bars));
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
  const parts: Frame[] = [];
  let names: string[] | null = null;
  let labels: LabelInfo[] = [];
  const empty: EmptyTicker[] = [];
  for (const g of frame.groups()) {
    const series = normaliseBars(barSeries(frame, g.start, g.end, label), options, `${label} (${g.ticker})`);
    const block = computeBlock(series, options);
    if (!names) {
      names = [...block.columns.keys()];
      labels = block.labels;
    } else if (block.columns.size !== names.length || names.some((k) => !block.columns.has(k))) {
      const first = names;
      const differ = [
        ...first.filter((k) => !block.columns.has(k)),
        ...[...block.columns.keys()].filter((k) => !first.includes(k)),
      ];
      throw new DataError(
        `${label}: ticker ${g.ticker} produced different columns than ${frame.ticker(0)} (${differ.join(", ")})`,
        differ.some((k) => k.startsWith("volume"))
          ? "some tickers have volume and others do not: compute their features separately (--ticker, or one -i file each)"
          : undefined,
      );
    }
    const part = keptRows(frame.slice(g.start, g.end), block, options.keepIncomplete ?? false);
    if (part.length === 0) empty.push(emptyTicker(g.ticker, series, block));
    parts.push(part);
  }
  const labelNames = new Set(labels.map((l) => l.name));
  let joined: Frame | null = null;
  return {
    parts,
    // Built on first use: the CLI writes the parts directly and never pays for this copy.
    get frame() {
      joined ??= parts.length > 0 ? Frame.concat(parts) : Frame.empty(names ?? []);
      return joined;
    },
    rows: parts.reduce((sum, p) => sum + p.length, 0),
    labels,
    features: (names ?? []).filter((k) => !labelNames.has(k)),
    rowsIn: frame.length,
    empty,
  };
}

/**
 * One ticker's complete rows. They are usually one contiguous run (warm-up and label tail dropped), which is
 * returned as views without copying; otherwise the rows are gathered. Infinite values become NaN in a copy.
 */
function keptRows(bars: Frame, block: FeatureBlock, keepIncomplete: boolean): Frame {
  const keep = completeRows(block, keepIncomplete);
  const rows = keep.rows;
  let first = 0;
  while (first < rows.length && !rows[first]) first++;
  let last = rows.length;
  while (last > first && !rows[last - 1]) last--;
  let contiguous = true;
  for (let i = first; i < last; i++) if (!rows[i]) contiguous = false;
  const columns = new Map<string, Float64Array>();
  for (const [name, values] of block.columns) {
    let out = values;
    if (keep.infinite.has(values)) {
      out = values.slice();
      for (let i = 0; i < out.length; i++)
        if (out[i] === Number.POSITIVE_INFINITY || out[i] === Number.NEGATIVE_INFINITY) out[i] = Number.NaN;
    }
    columns.set(name, out);
  }
  const full = new Frame({
    time: bars.time,
    tickerCodes: bars.tickerCodes,
    tickerNames: bars.tickerNames,
    columns,
  });
  return contiguous ? full.slice(first, last) : full.filter(rows);
}

/**
 * Infinities count as missing (the seeds' replace([inf, -inf], nan), done while copying); a row is kept when nothing is missing, or,
 * with keepIncomplete, when only labels are missing and only because they look past the last row.
 */
function completeRows(
  block: FeatureBlock,
  keepIncomplete: boolean,
): { rows: Uint8Array; infinite: Set<Float64Array> } {
  const horizon = new Map(block.labels.map((l) => [l.name, l.horizon]));
  let n = 0;
  for (const values of block.columns.values()) n = values.length;
  const keep = new Uint8Array(n).fill(1);
  const infinite = new Set<Float64Array>();
  for (const [name, values] of block.columns) {
    const h = horizon.get(name);
    const tailFrom = h === undefined || !keepIncomplete ? n : Math.max(0, n - h);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v - v === 0) continue; // finite
      if (!Number.isNaN(v)) infinite.add(values);
      if (i < tailFrom) keep[i] = 0;
    }
  }
  return { rows: keep, infinite };
}
