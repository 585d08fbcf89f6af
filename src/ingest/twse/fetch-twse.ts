// Fetches TWSE history one month per request (the endpoints answer a whole month for any date in it),
// politely spaced, with a per-month cache: past months never change, the current month is refetched.

import { SourceError, UsageError } from "../../core/errors.js";
import { parseDateFlag } from "../../frame/dates.js";
import type { Frame } from "../../frame/frame.js";
import { cachedFetch } from "../http/cached-fetch.js";
import { type HttpGetOptions, TruncatedBodyError } from "../http/http-get.js";
import type { RateLimiter } from "../http/rate-limiter.js";
import type { ResponseCache } from "../http/response-cache.js";
import { SeriesBuilder } from "../source-frame.js";
import { validateSourceBars } from "../validate-source-bars.js";
import { parseTwseMonth, twseFrame } from "./twse-parse.js";

export const TWSE_DEFAULT_BASE_URL = "https://www.twse.com.tw";

export interface TwseRequest {
  /** "TAIEX" for the index, or a stock number such as "2330". */
  target: { kind: "index"; name: string } | { kind: "stock"; stockNo: string };
  ticker: string;
  /** Months as [year, month (1-12)], inclusive. */
  from: { year: number; month: number };
  to: { year: number; month: number };
  baseUrl: string;
  cache: ResponseCache | null;
  refresh: boolean;
  limiter: RateLimiter;
  http: HttpGetOptions;
  /** Today's month, injected for tests; months >= it are refetched. */
  currentMonth?: { year: number; month: number };
  warn: (message: string) => void;
  onProgress?: (label: string) => void;
}

export interface TwseResult {
  bars: Frame;
  months: number;
  skippedMonths: string[];
  noTradeDays: number;
  fromCache: number;
  urls: string[];
}

/** "2023-01" or "2023-01-15" -> {year, month}, through the one strict date parser (2023-02-30 is refused). */
export function parseMonthFlag(value: string, flag: string): { year: number; month: number } {
  const day = new Date(parseDateFlag(value, flag));
  return { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1 };
}

/** Every month from..to inclusive. */
export function monthsBetween(from: { year: number; month: number }, to: { year: number; month: number }) {
  const out: { year: number; month: number }[] = [];
  for (let y = from.year, m = from.month; y < to.year || (y === to.year && m <= to.month); ) {
    out.push({ year: y, month: m });
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

export function twseMonthUrl(
  request: Pick<TwseRequest, "baseUrl" | "target">,
  year: number,
  month: number,
): string {
  const date = `${year}${String(month).padStart(2, "0")}01`;
  const base = request.baseUrl.replace(/\/+$/, "");
  if (request.target.kind === "index") {
    return `${base}/rwd/zh/TAIEX/MI_5MINS_HIST?date=${date}&response=json`;
  }
  return `${base}/rwd/zh/afterTrading/STOCK_DAY?date=${date}&stockNo=${encodeURIComponent(request.target.stockNo)}&response=json`;
}

/**
 * @example
 * const { bars } = await fetchTwse({ target: { kind: "index", name: "TAIEX" }, ticker: "TAIEX", ... });
 */
export async function fetchTwse(request: TwseRequest): Promise<TwseResult> {
  const months = monthsBetween(request.from, request.to);
  if (months.length === 0) throw new UsageError("--from is after --to");
  const now = new Date();
  const current = request.currentMonth ?? { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 };
  const builder = new SeriesBuilder();
  const skipped: string[] = [];
  const urls: string[] = [];
  let noTrade = 0;
  let fromCache = 0;
  const what = request.target.kind === "index" ? request.target.name : `stock ${request.target.stockNo}`;
  for (const { year, month } of months) {
    const label = `${year}-${String(month).padStart(2, "0")}`;
    const url = twseMonthUrl(request, year, month);
    urls.push(url);
    const past = year < current.year || (year === current.year && month < current.month);
    const fetched = await cachedFetch(url, {
      cache: request.cache,
      label: `${request.target.kind === "index" ? "MI_5MINS_HIST" : `STOCK_DAY-${request.target.stockNo}`}-${label}`,
      refresh: request.refresh || !past,
      limiter: request.limiter,
      http: { source: "TWSE", ...request.http, validate: validateTwseBody },
      shouldCache: (body) => past && hasStat(body),
    });
    if (fetched.fromCache) fromCache++;
    const parsed = parseTwseMonth(fetched.body, `${what} ${label}`, builder);
    if (!parsed.ok) {
      skipped.push(label);
      request.warn(`TWSE ${what} ${label}: no data ("${parsed.stat}"), month skipped`);
    } else {
      noTrade += parsed.noTrade;
    }
    request.onProgress?.(label);
  }
  if (builder.length === 0) {
    throw new SourceError(
      `TWSE returned no data for ${what} in ${months.length} month(s) ${months[0].year}-${String(months[0].month).padStart(2, "0")}..${request.to.year}-${String(request.to.month).padStart(2, "0")}`,
      request.target.kind === "stock"
        ? "check the stock number and the date range (TWSE data starts in 1999)"
        : "check the date range",
    );
  }
  if (noTrade > 0) request.warn(`TWSE ${what}: ${noTrade} day(s) without trades ("--") skipped`);
  const bars = twseFrame(builder, request.ticker);
  validateSourceBars(bars, `TWSE ${what}`);
  return {
    bars,
    months: months.length,
    skippedMonths: skipped,
    noTradeDays: noTrade,
    fromCache,
    urls,
  };
}

function hasStat(body: string): boolean {
  try {
    return typeof (JSON.parse(body) as { stat?: unknown }).stat === "string";
  } catch {
    return false;
  }
}

/** An HTML page means TWSE refused us (too many requests or maintenance); a JSON cut short is retried. */
function validateTwseBody(body: string): void {
  if (body.trimStart().startsWith("<")) {
    throw new SourceError(
      "TWSE answered with an HTML page instead of JSON (blocked for too many requests, or maintenance)",
      "wait a few minutes and retry with a longer --delay",
    );
  }
  try {
    JSON.parse(body);
  } catch (error) {
    throw new TruncatedBodyError((error as Error).message);
  }
}
