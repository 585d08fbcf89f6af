// Alpha Vantage technical indicators (seed 001's list): request parameters per indicator, the
// "Technical Analysis: X" body parser, and the merge by date onto the bars (NaN where AV has no value).

import { DataError, UsageError } from "../../core/errors.js";
import { Frame } from "../../frame/frame.js";
import { parseSourceDate, SeriesBuilder } from "../source-frame.js";
import { type AvRequestLabel, checkAvBody } from "./av-errors.js";

/** Indicators and the parameters each accepts (seed 001). */
const INDICATOR_PARAMS: Record<string, { period: boolean; series: boolean }> = {
  SMA: { period: true, series: true },
  EMA: { period: true, series: true },
  WMA: { period: true, series: true },
  RSI: { period: true, series: true },
  BBANDS: { period: true, series: true },
  TRIX: { period: true, series: true },
  DX: { period: true, series: false },
  MFI: { period: true, series: false },
  AROON: { period: true, series: false },
  ADX: { period: true, series: false },
  MACD: { period: false, series: true },
  PPO: { period: false, series: true },
  STOCH: { period: false, series: false },
  OBV: { period: false, series: false },
  AD: { period: false, series: false },
};

export const SUPPORTED_INDICATORS = Object.keys(INDICATOR_PARAMS);
export const DEFAULT_TIME_PERIOD = 14;

export interface IndicatorSpec {
  /** AV function name, e.g. "RSI". */
  name: string;
  /** time_period, for indicators that take one. */
  period: number | null;
}

/**
 * "RSI,MACD,SMA:10,SMA:20" -> specs; unknown names are a usage error.
 * @example
 * parseIndicatorList("RSI:7,MACD") // [{name:"RSI",period:7},{name:"MACD",period:null}]
 */
export function parseIndicatorList(text: string): IndicatorSpec[] {
  const specs: IndicatorSpec[] = [];
  for (const part of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [rawName, rawPeriod] = part.split(":");
    const name = rawName.toUpperCase();
    const params = INDICATOR_PARAMS[name];
    if (!params) {
      throw new UsageError(
        `--indicators: unknown indicator "${rawName}"`,
        `supported: ${SUPPORTED_INDICATORS.join(", ")} (add :N for a time period, e.g. SMA:20)`,
      );
    }
    if (rawPeriod !== undefined && (!params.period || !/^\d+$/.test(rawPeriod) || Number(rawPeriod) < 1)) {
      throw new UsageError(
        `--indicators: "${part}": ${params.period ? "period must be a positive integer" : `${name} takes no period`}`,
      );
    }
    specs.push({ name, period: params.period ? Number(rawPeriod ?? DEFAULT_TIME_PERIOD) : null });
  }
  return specs;
}

/** Query parameters for one indicator request (daily interval, close prices). */
export function indicatorParams(spec: IndicatorSpec, symbol: string): Record<string, string> {
  const params: Record<string, string> = { function: spec.name, symbol, interval: "daily" };
  if (spec.period !== null) params.time_period = String(spec.period);
  if (INDICATOR_PARAMS[spec.name].series) params.series_type = "close";
  return params;
}

function normaliseKey(key: string): string {
  return key
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "")
    .replace(/^real_/, "")
    .replace(/_band$/, "");
}

/** Column name for one value key of an indicator: rsi_14, macd_signal, aroon_up_14, bbands_upper_20. */
export function indicatorColumn(spec: IndicatorSpec, key: string, keyCount: number): string {
  const base = spec.name.toLowerCase();
  const k = normaliseKey(key);
  const name = keyCount === 1 ? base : k.startsWith(base) ? k : `${base}_${k}`;
  return spec.period !== null ? `${name}_${spec.period}` : name;
}

/** Parses one "Technical Analysis: X" body into a single-ticker frame of indicator columns. */
export function parseAvIndicator(
  body: string,
  spec: IndicatorSpec,
  ticker: string,
  request: AvRequestLabel,
): Frame {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new DataError(
      `Alpha Vantage ${spec.name} ${request.symbol}: response is not valid JSON (${(error as Error).message})`,
    );
  }
  checkAvBody(json, request);
  const root = json as Record<string, unknown>;
  const key = Object.keys(root).find((k) => k.startsWith("Technical Analysis"));
  if (!key) {
    throw new DataError(
      `Alpha Vantage ${spec.name} ${request.symbol}: no "Technical Analysis" key (keys: ${Object.keys(root).join(", ")})`,
    );
  }
  const points = root[key] as Record<string, Record<string, string>>;
  const builder = new SeriesBuilder();
  for (const [dateKey, values] of Object.entries(points)) {
    const time = parseSourceDate(dateKey);
    if (Number.isNaN(time)) throw new DataError(`Alpha Vantage ${spec.name}: bad date key "${dateKey}"`);
    const keys = Object.keys(values);
    const row: Record<string, number> = {};
    for (const k of keys) row[indicatorColumn(spec, k, keys.length)] = Number(values[k]);
    builder.push(time, row);
  }
  return builder.toFrame(ticker, []);
}

/** Bars plus indicator columns, aligned on the bars' dates (NaN where an indicator has no value yet). */
export function mergeIndicators(bars: Frame, indicators: readonly Frame[]): Frame {
  const rowOf = new Map<number, number>();
  for (let i = 0; i < bars.length; i++) rowOf.set(bars.time[i], i);
  let merged = bars;
  for (const indicator of indicators) {
    for (const name of indicator.columnNames) {
      if (merged.has(name)) continue;
      const out = new Float64Array(bars.length).fill(Number.NaN);
      const source = indicator.get(name);
      for (let j = 0; j < indicator.length; j++) {
        const row = rowOf.get(indicator.time[j]);
        if (row !== undefined) out[row] = source[j];
      }
      merged = merged.with(name, out);
    }
  }
  return new Frame({
    time: merged.time,
    tickerCodes: merged.tickerCodes,
    tickerNames: merged.tickerNames,
    columns: merged.columns,
  });
}
