// Client-side throttling: at most `limit` requests in any `windowMs`, and at least `minIntervalMs` between two.

import { defaultSleep } from "./http-get.js";

export interface RateLimiterOptions {
  /** Requests allowed per window (Alpha Vantage free tier: 5 per minute). */
  limit?: number;
  windowMs?: number;
  /** Minimum gap between consecutive requests (TWSE blocks bursts: 2000 ms). */
  minIntervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A sliding-window limiter; `acquire()` resolves when the next request may be sent.
 * @example
 * const limiter = new RateLimiter({ limit: 5, windowMs: 60_000 });
 * await limiter.acquire(); await httpGet(url);
 */
export class RateLimiter {
  private readonly sent: number[] = [];
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private queue: Promise<void> = Promise.resolve();
  /** Total time spent waiting, for tests and summaries. */
  waitedMs = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.limit = options.limit ?? Number.POSITIVE_INFINITY;
    this.windowMs = options.windowMs ?? 60_000;
    this.minIntervalMs = options.minIntervalMs ?? 0;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
  }

  acquire(): Promise<void> {
    // Serialise callers so concurrent requests are spaced too.
    const next = this.queue.then(() => this.waitTurn());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async waitTurn(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.sent.length > 0 && now - this.sent[0] >= this.windowMs) this.sent.shift();
      let wait = 0;
      if (this.sent.length >= this.limit) wait = this.sent[0] + this.windowMs - now;
      const last = this.sent[this.sent.length - 1];
      if (last !== undefined) wait = Math.max(wait, last + this.minIntervalMs - now);
      if (wait <= 0) {
        this.sent.push(now);
        return;
      }
      this.waitedMs += wait;
      await this.sleep(wait);
    }
  }
}
