// `tsml ingest twse --index TAIEX | --stock 2330 --from YYYY-MM --to YYYY-MM`: one request per month,
// at least --delay seconds apart, past months cached for good.

import { UsageError } from "../core/errors.js";
import { durationFlag } from "../core/flags.js";
import { RateLimiter } from "../ingest/http/rate-limiter.js";
import {
  fetchTwse,
  monthsBetween,
  parseMonthFlag,
  TWSE_DEFAULT_BASE_URL,
} from "../ingest/twse/fetch-twse.js";
import { publishBars } from "./support/publish-bars.js";
import type { RunContext } from "./support/run-context.js";
import { baseUrlFlag, httpFlags, type NetworkFlags, sourceCache } from "./support/source-flags.js";
import { toDbTarget } from "./support/to-db-target.js";

export interface IngestTwseOptions extends NetworkFlags {
  index?: string;
  stock?: string;
  from?: string;
  to?: string;
  ticker?: string;
  delay?: string;
  output?: string;
  toDb?: string;
  table?: string;
}

export async function ingestTwse(options: IngestTwseOptions, ctx: RunContext): Promise<unknown> {
  if (Boolean(options.index) === Boolean(options.stock)) {
    throw new UsageError(
      "give exactly one of --index TAIEX or --stock NUMBER",
      "e.g. tsml ingest twse --stock 2330 --from 2023-01 --to 2023-12",
    );
  }
  if (options.index && options.index.toUpperCase() !== "TAIEX") {
    throw new UsageError(
      `--index: "${options.index}" is not supported`,
      "the MI_5MINS_HIST endpoint serves TAIEX only",
    );
  }
  if (options.stock && !/^[0-9A-Za-z]{4,6}$/.test(options.stock)) {
    throw new UsageError(`--stock: "${options.stock}" is not a TWSE stock number`, "e.g. --stock 2330");
  }
  const now = new Date();
  const to = options.to
    ? parseMonthFlag(options.to, "--to")
    : { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 };
  const from = options.from ? parseMonthFlag(options.from, "--from") : { year: to.year - 1, month: to.month };
  if (monthsBetween(from, to).length === 0)
    throw new UsageError(`--from ${options.from} is after --to ${options.to}`);
  const delayMs = durationFlag(options.delay, "--delay", { unit: "s", fallback: 2000 });
  const toDb = toDbTarget(options as unknown as Record<string, unknown>);
  const target = options.index
    ? ({ kind: "index", name: "TAIEX" } as const)
    : ({ kind: "stock", stockNo: options.stock! } as const);
  const ticker = options.ticker ?? (target.kind === "index" ? "TAIEX" : target.stockNo);
  const months = monthsBetween(from, to).length;
  const progress = ctx.progress(months, "twse");
  const result = await fetchTwse({
    target,
    ticker,
    from,
    to,
    baseUrl: baseUrlFlag(options.baseUrl, TWSE_DEFAULT_BASE_URL),
    cache: sourceCache(options, "twse", ctx),
    refresh: Boolean(options.refresh),
    limiter: new RateLimiter({ minIntervalMs: delayMs }),
    http: httpFlags(options, ctx),
    warn: (message) => ctx.log.warn(message),
    onProgress: (label) => progress.tick(label),
  });
  progress.done();
  const details = {
    endpoint: target.kind === "index" ? "MI_5MINS_HIST" : "STOCK_DAY",
    months: result.months,
    skippedMonths: result.skippedMonths,
    noTradeDays: result.noTradeDays,
    fromCache: result.fromCache,
  };
  const summary = await publishBars(
    result.bars,
    {},
    { source: "twse", output: options.output, options: { ...options }, inputs: result.urls, details, toDb },
    ctx,
  );
  return {
    ...summary,
    months: result.months,
    skippedMonths: result.skippedMonths,
    fromCache: result.fromCache,
  };
}
