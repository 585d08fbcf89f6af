// One source request: the disk cache first (unless refreshing), then the rate limiter, then httpGet.

import { type HttpGetOptions, httpGet } from "./http-get.js";
import type { RateLimiter } from "./rate-limiter.js";
import type { ResponseCache } from "./response-cache.js";

export interface CachedFetchOptions {
  cache?: ResponseCache | null;
  /** Readable part of the cache file name (never the key). */
  label?: string;
  /** Skip the cache read (the response is still saved). */
  refresh?: boolean;
  /** Cached entries older than this are refetched. */
  maxAgeMs?: number;
  limiter?: RateLimiter;
  http?: HttpGetOptions;
  /** Whether a body may be saved (error bodies must not be). */
  shouldCache?: (body: string) => boolean;
}

export interface FetchedBody {
  body: string;
  fromCache: boolean;
  cachePath?: string;
}

/**
 * @example
 * const { body, fromCache } = await cachedFetch(url, { cache, label: "DAILY-IBM", limiter });
 */
export async function cachedFetch(url: string, options: CachedFetchOptions = {}): Promise<FetchedBody> {
  const label = options.label ?? "";
  if (options.cache && !options.refresh) {
    const hit = options.cache.get(url, label, options.maxAgeMs);
    if (hit) return { body: hit.body, fromCache: true, cachePath: hit.path };
  }
  await options.limiter?.acquire();
  const response = await httpGet(url, options.http);
  let cachePath: string | undefined;
  if (options.cache && (options.shouldCache?.(response.body) ?? true)) {
    cachePath = await options.cache.put(url, response.body, label);
  }
  return { body: response.body, fromCache: false, cachePath };
}
