// Parsers for Alpha Vantage price series: TIME_SERIES_DAILY(_ADJUSTED) and DIGITAL_CURRENCY_DAILY, in the
// JSON ("1. open" keys, newest first, numbers as strings; old and new crypto layouts) and CSV datatypes.

import { DataError } from "../../core/errors.js";
import type { Frame } from "../../frame/frame.js";
import { BAR_COLUMNS, parseSourceDate, SeriesBuilder } from "../source-frame.js";
import { validateSourceBars } from "../validate-source-bars.js";
import { type AvRequestLabel, checkAvBody } from "./av-errors.js";

/** Extra columns kept from adjusted series, after the canonical bars columns. */
export const AV_EXTRA_COLUMNS = ["dividend", "split_coefficient"] as const;

/** "5. adjusted close" / "adjusted_close" / "4a. close (EUR)" -> canonical field (null = not kept). */
function fieldOf(key: string, market: string | undefined): string | null {
  const currency = /\(([A-Za-z]+)\)\s*$/.exec(key)?.[1]?.toUpperCase();
  const name = key
    .replace(/^\s*\d+[a-z]?[.:]\s*/, "")
    .replace(/\s*\([^)]*\)\s*$/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, " ");
  if (name === "market cap") return null; // equals volume in old crypto bodies (an AV bug)
  // Old crypto layout repeats OHLC in the market currency ("a") and USD ("b"): keep the market currency.
  if (currency && name !== "volume" && market && currency !== market.toUpperCase()) return null;
  switch (name) {
    case "open":
    case "high":
    case "low":
    case "close":
    case "volume":
      return name;
    case "adjusted close":
      return "adj_close";
    case "dividend amount":
      return "dividend";
    case "split coefficient":
      return "split_coefficient";
    default:
      return null;
  }
}

export interface SeriesParseOptions {
  ticker: string;
  request: AvRequestLabel;
  /** Crypto market currency (old bodies carry both it and USD). */
  market?: string;
}

/**
 * Parses one Alpha Vantage daily price body (JSON or CSV) into a sorted bars frame.
 * @example
 * const bars = parseAvSeries(body, { ticker: "IBM", request: { function: "TIME_SERIES_DAILY", symbol: "IBM" } });
 */
export function parseAvSeries(body: string, options: SeriesParseOptions): Frame {
  const text = body.replace(/^\uFEFF/, "").trim();
  if (text.startsWith("{") || text.startsWith("[")) return parseJsonSeries(text, options);
  return parseCsvSeries(text, options);
}

function parseJsonSeries(text: string, options: SeriesParseOptions): Frame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataError(
      `Alpha Vantage ${label(options)}: response is not valid JSON (${(error as Error).message})`,
    );
  }
  checkAvBody(json, options.request);
  const root = json as Record<string, unknown>;
  const seriesKey = Object.keys(root).find((k) => k.startsWith("Time Series"));
  if (!seriesKey) {
    throw new DataError(
      `Alpha Vantage ${label(options)}: no "Time Series" key (keys: ${Object.keys(root).join(", ")})`,
    );
  }
  const series = root[seriesKey] as Record<string, Record<string, string>>;
  const builder = new SeriesBuilder();
  const fieldCache = new Map<string, string | null>();
  for (const [dateKey, values] of Object.entries(series)) {
    const time = parseSourceDate(dateKey);
    if (Number.isNaN(time)) throw new DataError(`Alpha Vantage ${label(options)}: bad date key "${dateKey}"`);
    const row: Record<string, number> = {};
    for (const [key, raw] of Object.entries(values)) {
      let field = fieldCache.get(key);
      if (field === undefined) {
        field = fieldOf(key, options.market);
        fieldCache.set(key, field);
      }
      if (field && !(field in row)) row[field] = toNumber(raw);
    }
    builder.push(time, row);
  }
  return checked(builder.toFrame(options.ticker, [...BAR_COLUMNS, ...AV_EXTRA_COLUMNS]), options);
}

function parseCsvSeries(text: string, options: SeriesParseOptions): Frame {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length === 0) throw new DataError(`Alpha Vantage ${label(options)}: empty response`);
  if (/^\s*</.test(lines[0])) {
    throw new DataError(`Alpha Vantage ${label(options)}: got an HTML page instead of data`);
  }
  const header = lines[0].split(",").map((h) => h.trim());
  if (header[0].toLowerCase() !== "timestamp") {
    throw new DataError(
      `Alpha Vantage ${label(options)}: CSV header starts with "${header[0]}", expected "timestamp"`,
    );
  }
  const fields = header.map((h, i) => (i === 0 ? null : fieldOf(h, undefined)));
  const builder = new SeriesBuilder();
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(",");
    const time = parseSourceDate(cells[0]);
    if (Number.isNaN(time)) {
      throw new DataError(`Alpha Vantage ${label(options)}: CSV line ${r + 1}: bad timestamp "${cells[0]}"`);
    }
    if (cells.length < header.length) {
      throw new DataError(
        `Alpha Vantage ${label(options)}: CSV line ${r + 1} has ${cells.length} of ${header.length} fields (truncated?)`,
      );
    }
    const row: Record<string, number> = {};
    for (let c = 1; c < fields.length; c++) {
      const field = fields[c];
      if (field) row[field] = toNumber(cells[c]);
    }
    builder.push(time, row);
  }
  return checked(builder.toFrame(options.ticker, [...BAR_COLUMNS, ...AV_EXTRA_COLUMNS]), options);
}

function toNumber(raw: unknown): number {
  if (typeof raw === "number") return raw;
  if (typeof raw !== "string") return Number.NaN;
  const t = raw.trim();
  if (t === "" || t === "-" || t === "None" || t === "null") return Number.NaN;
  const value = Number(t);
  return Number.isNaN(value) ? Number.NaN : value;
}

/** The same price rules as the CSV path (a negative close is a bad response, not a price). */
function checked(frame: Frame, options: SeriesParseOptions): Frame {
  validateSourceBars(frame, `Alpha Vantage ${label(options)}`);
  return frame;
}

function label(options: SeriesParseOptions): string {
  return `${options.request.function} ${options.request.symbol}`;
}
