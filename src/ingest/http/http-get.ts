// HTTP GET for data sources: a timeout, bounded retries with exponential backoff and jitter on transient
// failures (429, 5xx, timeouts, connection resets, truncated bodies), then one SourceError (exit 4).

import { SourceError } from "../../core/errors.js";
import { redact } from "../../core/redact.js";
import { redactUrl } from "./redact-url.js";

export interface HttpGetOptions {
  /** Milliseconds before one attempt is abandoned (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 4). */
  retries?: number;
  /** First backoff delay in ms (default 1000); doubles per retry, capped at `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Throws `TruncatedBodyError` when a 200 body is incomplete (e.g. JSON that does not parse). */
  validate?: (body: string) => void;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called before each retry (for logging). */
  onRetry?: (attempt: number, delayMs: number, reason: string) => void;
  /** Label for messages, e.g. "Alpha Vantage". */
  source?: string;
}

export interface HttpResponse {
  status: number;
  body: string;
  contentType: string;
}

/** A body that ended early; retried like a reset. */
export class TruncatedBodyError extends Error {}

const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
]);

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Backoff before retry `attempt` (1-based): base * 2^(attempt-1), capped, with full jitter in [50%, 100%]. */
export function backoffDelay(attempt: number, base: number, max: number, random: () => number): number {
  const exp = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(exp * (0.5 + 0.5 * random()));
}

/**
 * GETs `url` and returns a 2xx body; non-transient HTTP errors (404, 401...) fail at once.
 * @example
 * const { body } = await httpGet("https://example.com/x.json", { timeoutMs: 10_000, retries: 3 });
 */
export async function httpGet(url: string, options: HttpGetOptions = {}): Promise<HttpResponse> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 4;
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const source = options.source ?? "HTTP source";
  const shown = redactUrl(url);
  let lastReason = "";
  let retryAfterMs = 0;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) {
      let delay = backoffDelay(attempt, base, max, random);
      if (retryAfterMs > 0) delay = Math.max(delay, Math.min(retryAfterMs, max));
      options.onRetry?.(attempt, delay, redact(lastReason));
      await sleep(delay);
    }
    const outcome = await attemptOnce(url, timeoutMs, options.validate);
    if (outcome.kind === "ok") return outcome.response;
    if (outcome.kind === "fatal") {
      throw new SourceError(redact(`${source}: ${outcome.reason} for ${shown}`), outcome.hint);
    }
    lastReason = outcome.reason;
    retryAfterMs = outcome.retryAfterMs ?? 0;
  }
  throw new SourceError(
    redact(`${source}: ${lastReason} for ${shown} (gave up after ${retries + 1} attempts)`),
    "the service may be down or throttling this address; try again later",
  );
}

type Outcome =
  | { kind: "ok"; response: HttpResponse }
  | { kind: "retry"; reason: string; retryAfterMs?: number }
  | { kind: "fatal"; reason: string; hint?: string };

async function attemptOnce(
  url: string,
  timeoutMs: number,
  validate: ((body: string) => void) | undefined,
): Promise<Outcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: "follow" });
    // The timeout also covers reading the body: a server that stalls mid-body is a timeout too.
    const body = await response.text();
    if (response.status === 429 || response.status >= 500) {
      const retryAfter = Number(response.headers.get("retry-after"));
      return {
        kind: "retry",
        reason: `HTTP ${response.status}`,
        retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      };
    }
    if (response.status < 200 || response.status >= 300) {
      return {
        kind: "fatal",
        reason: `HTTP ${response.status}`,
        hint: response.status === 404 ? "check --base-url and the symbol" : undefined,
      };
    }
    const length = Number(response.headers.get("content-length"));
    if (Number.isFinite(length) && length > 0 && Buffer.byteLength(body) < length) {
      return { kind: "retry", reason: "truncated body" };
    }
    if (validate) validate(body);
    return {
      kind: "ok",
      response: { status: response.status, body, contentType: response.headers.get("content-type") ?? "" },
    };
  } catch (error) {
    if (controller.signal.aborted) return { kind: "retry", reason: `no response within ${timeoutMs} ms` };
    if (error instanceof TruncatedBodyError)
      return { kind: "retry", reason: `truncated body (${error.message})` };
    if (error instanceof SourceError) throw error;
    const code = errorCode(error);
    if (code === "ECONNREFUSED") return { kind: "retry", reason: "connection refused" };
    if (code && TRANSIENT_CODES.has(code)) return { kind: "retry", reason: `connection error ${code}` };
    // undici reports a body cut short by a closed socket as "terminated".
    const cause = (error as { cause?: { message?: unknown } }).cause?.message;
    const message = `${error instanceof Error ? error.message : String(error)}${typeof cause === "string" ? `: ${cause}` : ""}`;
    if (/terminated|other side closed|socket/i.test(message))
      return { kind: "retry", reason: `connection reset (${message})` };
    if (code === "ENOTFOUND")
      return { kind: "fatal", reason: "host not found", hint: "check --base-url and your network" };
    return { kind: "retry", reason: `network error (${message})` };
  } finally {
    clearTimeout(timer);
  }
}

/** The errno-style code of a fetch failure (undici nests it in `cause`, sometimes in an AggregateError). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const inner = (current as { errors?: unknown[] }).errors;
    if (Array.isArray(inner) && inner.length > 0) current = inner[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
