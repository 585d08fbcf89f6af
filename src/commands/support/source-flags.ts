// Flags shared by the network sources (alphavantage, twse): cache folder, HTTP settings, base URL.

import { join } from "node:path";
import { WORKSPACE_DIRS } from "../../artifacts/workspace.js";
import { UsageError } from "../../core/errors.js";
import { durationFlag, integerFlag } from "../../core/flags.js";
import type { HttpGetOptions } from "../../ingest/http/http-get.js";
import { ResponseCache } from "../../ingest/http/response-cache.js";
import type { RunContext } from "./run-context.js";

export interface NetworkFlags {
  baseUrl?: string;
  cacheDir?: string;
  refresh?: boolean;
  /** --no-cache */
  cache?: boolean;
  timeout?: string;
  retries?: string;
  retryDelay?: string;
}

/** The raw-response cache for a source: --cache-dir, default <workspace>/cache/<source>; null with --no-cache. */
export function sourceCache(flags: NetworkFlags, source: string, ctx: RunContext): ResponseCache | null {
  if (flags.cache === false) return null;
  return new ResponseCache(flags.cacheDir ?? join(ctx.workspace, WORKSPACE_DIRS.cache, source));
}

/** Timeout, retries and backoff from flags; retries are logged as warnings. */
export function httpFlags(flags: NetworkFlags, ctx: RunContext): HttpGetOptions {
  return {
    timeoutMs: durationFlag(flags.timeout, "--timeout", { unit: "s", fallback: 30_000 }),
    retries: integerFlag(flags.retries, "--retries", { min: 0, fallback: 4 }),
    baseDelayMs: durationFlag(flags.retryDelay, "--retry-delay", { unit: "ms", fallback: 1000 }),
    onRetry: (attempt, delay, reason) =>
      ctx.log.warn(`${reason}; retry ${attempt} in ${(delay / 1000).toFixed(1)} s`),
  };
}

/** A URL flag must be http(s). */
export function baseUrlFlag(value: string | undefined, fallback: string): string {
  const url = value ?? fallback;
  if (!/^https?:\/\/[^\s]+$/i.test(url)) throw new UsageError(`--base-url: "${url}" is not an http(s) URL`);
  return url;
}
