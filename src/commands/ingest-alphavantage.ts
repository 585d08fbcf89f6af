// `tsml ingest alphavantage`: daily (adjusted) stock or crypto series, optional technical indicators
// (written as a features artifact), through the cache, the rate limiter and retries. The key is never shown.

import { featuresMeta } from "../artifacts/kinds/features-artifact.js";
import { makeProvenance } from "../artifacts/provenance.js";
import { writeTable } from "../artifacts/table-io.js";
import { tickerTablePath } from "../artifacts/workspace.js";
import { UsageError } from "../core/errors.js";
import { numberFlag, tickerListFlag } from "../core/flags.js";
import { Frame } from "../frame/frame.js";
import { parseIndicatorList } from "../ingest/alphavantage/av-indicators.js";
import {
  AV_DEFAULT_BASE_URL,
  AV_FUNCTIONS,
  type AvFunctionName,
  avTicker,
  fetchAlphaVantage,
} from "../ingest/alphavantage/fetch-alphavantage.js";
import { RateLimiter } from "../ingest/http/rate-limiter.js";
import { publishBars } from "./support/publish-bars.js";
import type { RunContext } from "./support/run-context.js";
import { emptyShard, ownsShardTicker } from "./support/shard-tickers.js";
import { baseUrlFlag, httpFlags, type NetworkFlags, sourceCache } from "./support/source-flags.js";
import { toDbTarget } from "./support/to-db-target.js";

export interface IngestAlphaVantageOptions extends NetworkFlags {
  symbol: string;
  function?: string;
  market?: string;
  outputsize?: string;
  datatype?: string;
  indicators?: string;
  apiKey?: string;
  rate?: string;
  output?: string;
  featuresOutput?: string;
  toDb?: string;
  table?: string;
  /** `--queue URL`: one job per symbol on the queue (cli/queued-batch.ts), never seen here. */
  queue?: string;
}

/** Daily series are refreshed by AV every trading day: cached answers older than 12 h are refetched. */
const CACHE_MAX_AGE_MS = 12 * 3600_000;

export async function ingestAlphaVantage(
  options: IngestAlphaVantageOptions,
  ctx: RunContext,
): Promise<unknown> {
  const symbols = [...new Set(tickerListFlag(options.symbol, "--symbol").map((s) => s.toUpperCase()))];
  if (symbols.length === 0)
    throw new UsageError("--symbol: give at least one symbol, e.g. --symbol IBM,MSFT");
  const fn = (options.function ?? "daily") as AvFunctionName;
  if (!(fn in AV_FUNCTIONS))
    throw new UsageError(`--function: "${fn}" is not daily, daily-adjusted or crypto`);
  const outputsize = options.outputsize ?? "compact";
  if (outputsize !== "compact" && outputsize !== "full")
    throw new UsageError(`--outputsize: "${outputsize}" is not compact or full`);
  const datatype = options.datatype ?? "json";
  if (datatype !== "json" && datatype !== "csv")
    throw new UsageError(`--datatype: "${datatype}" is not json or csv`);
  const indicators = parseIndicatorList(options.indicators ?? "");
  if (options.featuresOutput && symbols.length > 1)
    throw new UsageError("--features-output needs a single --symbol");
  const apiKey = options.apiKey ?? process.env.ALPHAVANTAGE_API_KEY;
  if (!apiKey) {
    throw new UsageError(
      "no Alpha Vantage API key",
      "pass --api-key KEY or set ALPHAVANTAGE_API_KEY (free keys: https://www.alphavantage.co/support/#api-key)",
    );
  }
  // Requests per minute: above 0 (a rate of 0 would never send one).
  const rate = numberFlag(options.rate, "--rate", { above: 0, fallback: 5 });
  const toDb = toDbTarget(options as unknown as Record<string, unknown>);
  const market = (options.market ?? "USD").toUpperCase();
  // A shard fetches only the symbols whose stored ticker (BTC-USD for crypto) it owns: no request is spent twice.
  const owned = symbols.filter((symbol) => ownsShardTicker(ctx, avTicker(symbol, fn, market)));
  if (owned.length === 0) return emptyShard(ctx, "ingest alphavantage", symbols.length);
  const progress = ctx.progress(owned.length, "alphavantage");
  const result = await fetchAlphaVantage({
    symbols: owned,
    function: fn,
    market,
    outputsize,
    datatype,
    indicators,
    apiKey,
    baseUrl: baseUrlFlag(options.baseUrl, AV_DEFAULT_BASE_URL),
    cache: sourceCache(options, "alphavantage", ctx),
    refresh: Boolean(options.refresh),
    cacheMaxAgeMs: CACHE_MAX_AGE_MS,
    limiter: new RateLimiter({ limit: Math.max(1, Math.floor(rate)), windowMs: 60_000 / Math.min(1, rate) }),
    http: httpFlags(options, ctx),
    onProgress: (symbol) => progress.tick(symbol),
  });
  progress.done();
  const urls = result.symbols.flatMap((s) => s.urls);
  const recorded = { ...options, apiKey: options.apiKey === undefined ? undefined : "[redacted]" };
  const bars = Frame.concat(result.symbols.map((s) => s.bars)).sortByTickerTime();
  const details = {
    function: AV_FUNCTIONS[fn],
    market: fn === "crypto" ? market : undefined,
    requests: result.requests,
    fromCache: result.fromCache,
  };
  const summary = await publishBars(
    bars,
    {},
    { source: "alphavantage", output: options.output, options: recorded, inputs: urls, details, toDb },
    ctx,
  );
  const features: string[] = [];
  for (const s of result.symbols) {
    if (!s.features) continue;
    const path = options.featuresOutput ?? tickerTablePath(ctx.workspace, "features", s.ticker);
    const provenance = await makeProvenance({
      command: ctx.commandLine,
      options: recorded,
      seed: ctx.seed,
      inputs: s.urls,
    });
    const featureNames = s.features.columnNames.filter((c) => !s.bars.has(c));
    await writeTable(
      path,
      s.features,
      featuresMeta(provenance, { source: "alphavantage", features: featureNames, labels: [] }),
    );
    features.push(path);
  }
  if (features.length > 0)
    ctx.print(`indicators (${indicators.map((i) => i.name).join(", ")}) -> ${features.join(", ")}`);
  ctx.print(`${result.requests} request(s), ${result.fromCache} from cache`);
  return { ...summary, features, requests: result.requests, fromCache: result.fromCache };
}
