import { afterEach, describe, expect, it } from "vitest";
import { type LoopbackServer, send, startLoopbackServer } from "../../../test/helpers/loopback-server.js";
import { SourceError } from "../../core/errors.js";
import { backoffDelay, httpGet } from "./http-get.js";
import { RateLimiter } from "./rate-limiter.js";
import { redactUrl, urlWithoutSecrets } from "./redact-url.js";

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const fast = { baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 500 };

describe("httpGet", () => {
  it("retries 429 and 500 then succeeds", async () => {
    server = await startLoopbackServer((_req, res, n) => {
      if (n === 1) send(res, "slow down", 429);
      else if (n === 2) send(res, "<html>oops</html>", 500, "text/html");
      else send(res, '{"ok":true}');
    });
    const delays: number[] = [];
    const r = await httpGet(`${server.url}/x`, { ...fast, onRetry: (_a, d) => delays.push(d) });
    expect(r.body).toBe('{"ok":true}');
    expect(server.requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it("gives up after the retry budget with a SourceError naming the cause and no api key", async () => {
    server = await startLoopbackServer((_req, res) => send(res, "busy", 503));
    const error = await httpGet(`${server.url}/q?apikey=SECRET123`, { ...fast, retries: 2 }).catch((e) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error.exitCode).toBe(4);
    expect(error.message).toContain("HTTP 503");
    expect(error.message).toContain("3 attempts");
    expect(error.message).not.toContain("SECRET123");
    expect(server.requests).toHaveLength(3);
  });

  it("times out a slow response and retries it", async () => {
    server = await startLoopbackServer((_req, res, n) => {
      if (n === 1) setTimeout(() => send(res, "{}"), 400);
      else send(res, '{"second":1}');
    });
    const r = await httpGet(`${server.url}/slow`, { ...fast, timeoutMs: 100 });
    expect(r.body).toBe('{"second":1}');
  });

  it("retries a body cut short (content-length larger than sent, then reset)", async () => {
    server = await startLoopbackServer((_req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { "content-type": "application/json", "content-length": 100 });
        res.write('{"Meta Data": {');
        setTimeout(() => res.destroy(), 20);
      } else send(res, '{"a":1}');
    });
    const r = await httpGet(`${server.url}/cut`, fast);
    expect(r.body).toBe('{"a":1}');
    expect(server.requests).toHaveLength(2);
  });

  it("fails at once on 404", async () => {
    server = await startLoopbackServer((_req, res) => send(res, "nope", 404));
    await expect(httpGet(`${server.url}/missing`, fast)).rejects.toThrow(/HTTP 404/);
    expect(server.requests).toHaveLength(1);
  });

  it("backoff grows exponentially, is capped and jittered", () => {
    expect(backoffDelay(1, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(400);
    expect(backoffDelay(3, 100, 10_000, () => 0)).toBe(200);
    expect(backoffDelay(20, 100, 1000, () => 1)).toBe(1000);
  });
});

describe("RateLimiter", () => {
  it("allows `limit` requests per window, then waits", async () => {
    let now = 0;
    const waits: number[] = [];
    const limiter = new RateLimiter({
      limit: 2,
      windowMs: 1000,
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    for (let i = 0; i < 5; i++) await limiter.acquire();
    expect(waits).toEqual([1000, 1000]);
  });

  it("keeps a minimum interval", async () => {
    let now = 0;
    const limiter = new RateLimiter({
      minIntervalMs: 2000,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    await limiter.acquire();
    await limiter.acquire();
    await limiter.acquire();
    expect(now).toBe(4000);
  });
});

describe("redaction", () => {
  it("hides keys in messages and removes them from cache keys", () => {
    const url = "https://www.alphavantage.co/query?symbol=IBM&apikey=ABC&function=TIME_SERIES_DAILY";
    expect(redactUrl(url)).not.toContain("ABC");
    expect(urlWithoutSecrets(url)).toBe(
      "https://www.alphavantage.co/query?function=TIME_SERIES_DAILY&symbol=IBM",
    );
    expect(urlWithoutSecrets(url.replace("ABC", "OTHER"))).toBe(urlWithoutSecrets(url));
  });
});
