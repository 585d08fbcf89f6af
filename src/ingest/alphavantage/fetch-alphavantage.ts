// Fetches Alpha Vantage daily series (and optional indicators) for many symbols through the shared
// cache -> rate limiter -> retrying GET path; the API key is only ever in the request URL.

import { SourceError } from "../../core/errors.js";
import type { Frame } from "../../frame/frame.js";
import { cachedFetch } from "../http/cached-fetch.js";
import { type HttpGetOptions, TruncatedBodyError } from "../http/http-get.js";
import type { RateLimiter } from "../http/rate-limiter.js";
import type { ResponseCache } from "../http/response-cache.js";
import { checkAvBody, isAvErrorBody } from "./av-errors.js";
import { type IndicatorSpec, indicatorParams, mergeIndicators, parseAvIndicator } from "./av-indicators.js";
import { parseAvSeries } from "./av-parse-series.js";

export const AV_DEFAULT_BASE_URL = "https://www.alphavantage.co/query";

export const AV_FUNCTIONS = {
  daily: "TIME_SERIES_DAILY",
  "daily-adjusted": "TIME_SERIES_DAILY_ADJUSTED",
  crypto: "DIGITAL_CURRENCY_DAILY",
} as const;
export type AvFunctionName = keyof typeof AV_FUNCTIONS;

export interface AlphaVantageRequest {
  symbols: readonly string[];
  function: AvFunctionName;
  /** Crypto market currency (default USD). */
  market: string;
  outputsize: "compact" | "full";
  datatype: "json" | "csv";
  indicators: readonly IndicatorSpec[];
  apiKey: string;
  baseUrl: string;
  cache: ResponseCache | null;
  refresh: boolean;
  /** Cached responses older than this are refetched (daily series change every day). */
  cacheMaxAgeMs: number;
  limiter: RateLimiter;
  http: HttpGetOptions;
  onProgress?: (label: string) => void;
}

export interface SymbolResult {
  symbol: string;
  ticker: string;
  bars: Frame;
  /** Bars plus indicator columns, when indicators were asked for. */
  features: Frame | null;
  /** Secret-free request URLs (for provenance). */
  urls: string[];
}

export interface AlphaVantageResult {
  symbols: SymbolResult[];
  requests: number;
  fromCache: number;
}

/** The ticker a symbol is stored under: the symbol, or SYMBOL-MARKET for crypto (BTC-USD). */
export function avTicker(symbol: string, fn: AvFunctionName, market: string): string {
  return fn === "crypto" ? `${symbol}-${market}` : symbol;
}

/**
 * Requests per symbol: 1 series + 1 per indicator.
 * @example
 * const result = await fetchAlphaVantage({ symbols: ["IBM"], function: "daily", ... });
 */
export async function fetchAlphaVantage(request: AlphaVantageRequest): Promise<AlphaVantageResult> {
  const out: SymbolResult[] = [];
  let requests = 0;
  let fromCache = 0;
  const get = async (params: Record<string, string>, label: string, json: boolean) => {
    const url = buildUrl(request.baseUrl, { ...params, apikey: request.apiKey });
    const fetched = await cachedFetch(url, {
      cache: request.cache,
      label,
      refresh: request.refresh,
      maxAgeMs: request.cacheMaxAgeMs,
      limiter: request.limiter,
      http: { source: "Alpha Vantage", ...request.http, validate: (body) => validateBody(body, json) },
      shouldCache: (body) => !isAvErrorBody(body),
    });
    requests++;
    if (fetched.fromCache) fromCache++;
    return { body: fetched.body, url: buildUrl(request.baseUrl, params) };
  };
  const fn = AV_FUNCTIONS[request.function];
  for (const symbol of request.symbols) {
    const ticker = avTicker(symbol, request.function, request.market);
    const params: Record<string, string> = { function: fn, symbol };
    if (request.function === "crypto") params.market = request.market;
    else params.outputsize = request.outputsize;
    if (request.datatype === "csv") params.datatype = "csv";
    const label = `${fn}-${symbol}${request.function === "crypto" ? `-${request.market}` : `-${request.outputsize}`}`;
    const series = await get(params, label, request.datatype === "json");
    const requestLabel = { function: fn, symbol };
    if (request.datatype === "csv" && series.body.trimStart().startsWith("{")) {
      // CSV requests still answer errors as JSON bodies.
      checkAvBody(JSON.parse(series.body), requestLabel);
    }
    const bars = parseAvSeries(series.body, { ticker, request: requestLabel, market: request.market });
    if (bars.length === 0) throw new SourceError(`Alpha Vantage returned no rows for ${fn} ${symbol}`);
    const urls = [series.url];
    let features: Frame | null = null;
    if (request.indicators.length > 0) {
      const frames: Frame[] = [];
      for (const spec of request.indicators) {
        const indicatorSymbol = request.function === "crypto" ? `${symbol}${request.market}` : symbol;
        const p = indicatorParams(spec, indicatorSymbol);
        const got = await get(p, `${spec.name}${spec.period ?? ""}-${indicatorSymbol}`, true);
        urls.push(got.url);
        frames.push(
          parseAvIndicator(got.body, spec, ticker, { function: spec.name, symbol: indicatorSymbol }),
        );
      }
      features = mergeIndicators(bars, frames);
    }
    out.push({ symbol, ticker, bars, features, urls });
    request.onProgress?.(symbol);
  }
  return { symbols: out, requests, fromCache };
}

function buildUrl(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

/** A 200 body that does not parse is a cut-off transfer (retried); an HTML page is a hard failure. */
function validateBody(body: string, json: boolean): void {
  const head = body.trimStart();
  if (head.startsWith("<")) {
    throw new SourceError(
      "Alpha Vantage answered with an HTML page instead of data",
      "the service may be under maintenance or --base-url is wrong; try again later",
    );
  }
  if (json || head.startsWith("{")) {
    try {
      JSON.parse(body);
    } catch (error) {
      throw new TruncatedBodyError((error as Error).message);
    }
  }
}
