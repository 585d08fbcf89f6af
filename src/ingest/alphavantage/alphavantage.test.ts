import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type LoopbackServer, send, startLoopbackServer } from "../../../test/helpers/loopback-server.js";
import { SourceError } from "../../core/errors.js";
import { isoDate } from "../../frame/dates.js";
import { RateLimiter } from "../http/rate-limiter.js";
import { ResponseCache } from "../http/response-cache.js";
import { checkAvBody } from "./av-errors.js";
import { parseIndicatorList } from "./av-indicators.js";
import { parseAvSeries } from "./av-parse-series.js";
import { type AlphaVantageRequest, fetchAlphaVantage } from "./fetch-alphavantage.js";

const SHARED = join(import.meta.dirname, "../../../../shared/data/api/alphavantage");
const FIXTURES = join(import.meta.dirname, "../../../test/fixtures/sources");
const haveShared = existsSync(SHARED);
if (!haveShared) console.log(`skipping real Alpha Vantage bodies: ${SHARED} is absent`);
const request = (fn: string, symbol: string) => ({ function: fn, symbol });

describe.runIf(haveShared)("Alpha Vantage parsers on real saved bodies", () => {
  const read = (name: string) => readFileSync(join(SHARED, name), "utf8");
  it("TIME_SERIES_DAILY compact: 100 ascending rows", () => {
    const f = parseAvSeries(read("TIME_SERIES_DAILY_IBM_compact_2024-06-18.json"), {
      ticker: "IBM",
      request: request("TIME_SERIES_DAILY", "IBM"),
    });
    expect(f.length).toBe(100);
    expect(isoDate(f.time[0])).toBe("2024-01-26");
    expect(isoDate(f.time[99])).toBe("2024-06-18");
    expect(f.columnNames.slice(0, 5)).toEqual(["open", "high", "low", "close", "volume"]);
  });
  it("adjusted keeps adj_close, dividend and split coefficient (SPY array element)", () => {
    const spy = JSON.stringify(
      JSON.parse(read("TIME_SERIES_DAILY_ADJUSTED_SPY+VOOG_compact_2026-02-20_array.json"))[0],
    );
    const f = parseAvSeries(spy, { ticker: "SPY", request: request("TIME_SERIES_DAILY_ADJUSTED", "SPY") });
    expect(f.has("adj_close") && f.has("dividend") && f.has("split_coefficient")).toBe(true);
    const row = Array.from(f.time).findIndex((t) => isoDate(t) === "2025-12-19");
    expect(f.get("dividend")[row]).toBeCloseTo(1.9934, 6);
  });
  it("CSV datatype (CRLF, newest first) equals the expected order and split", () => {
    const f = parseAvSeries(read("csv/TIME_SERIES_DAILY_MSFT_full_2000-2018_unadjusted-split.csv"), {
      ticker: "MSFT",
      request: request("TIME_SERIES_DAILY", "MSFT"),
    });
    expect(f.length).toBe(4541);
    expect(f.isSorted()).toBe(true);
    const at = (d: string) => f.get("close")[Array.from(f.time).findIndex((t) => isoDate(t) === d)];
    expect(at("2003-02-14")).toBeCloseTo(48.3, 6);
    expect(at("2003-02-18")).toBeCloseTo(24.96, 6);
  });
  it("crypto old format keeps the market currency, new format plain keys, CSV with market cap", () => {
    const eur = parseAvSeries(read("DIGITAL_CURRENCY_DAILY_BTC-EUR_2018-2020.json"), {
      ticker: "BTC-EUR",
      market: "EUR",
      request: request("DIGITAL_CURRENCY_DAILY", "BTC"),
    });
    expect(eur.length).toBe(1000);
    expect(eur.get("open")[eur.length - 1]).toBeCloseTo(14892.155154, 5);
    expect(eur.has("market_cap")).toBe(false);
    const fresh = parseAvSeries(read("DIGITAL_CURRENCY_DAILY_BTC-EUR_3rows_2025-08-24_newformat.json"), {
      ticker: "BTC-EUR",
      market: "EUR",
      request: request("DIGITAL_CURRENCY_DAILY", "BTC"),
    });
    expect(fresh.length).toBe(3);
    expect(fresh.get("close")[2]).toBeCloseTo(97886.73, 5);
    const csv = parseAvSeries(read("csv/DIGITAL_CURRENCY_DAILY_BTC-USD_2018-2021.csv"), {
      ticker: "BTC-USD",
      request: request("DIGITAL_CURRENCY_DAILY", "BTC"),
    });
    expect(csv.length).toBe(1000);
    expect(csv.columnNames).toEqual(["open", "high", "low", "close", "volume"]);
  });
  it("each saved error body is a SourceError with its own message", () => {
    const note = () =>
      checkAvBody(
        JSON.parse(read("errors/Note_rate-limit_5-per-minute_500-per-day_2018.json")),
        request("TIME_SERIES_DAILY", "IBM"),
      );
    expect(note).toThrow(SourceError);
    expect(note).toThrow(/rate limit/);
    const invalid = () =>
      checkAvBody(
        JSON.parse(read("errors/Error-Message_invalid-api-call_FX_DAILY_2021.json")),
        request("FX_DAILY", "XYZ"),
      );
    expect(invalid).toThrow(/invalid API call FX_DAILY for XYZ/);
  });
});

describe("Alpha Vantage price checks (the CSV path's rules)", () => {
  const csv = (row: string) =>
    `timestamp,open,high,low,close,volume\n2024-03-05,10.2,10.6,10.1,10.5,1500\n${row}\n`;
  const parse = (body: string) =>
    parseAvSeries(body, { ticker: "T", request: request("TIME_SERIES_DAILY", "T") });
  it("accepts good rows and refuses a negative, zero or inverted price with the day and field", () => {
    expect(parse(csv("2024-03-04,20,21,19.5,20.4,900")).length).toBe(2);
    const refusals: [string, RegExp][] = [
      ["2024-03-04,20,21,19.5,-20.4,900", /T: 2024-03-04: close -20.4 is negative$/],
      ["2024-03-04,20,21,0,20.4,900", /2024-03-04: low 0 is zero$/],
      ["2024-03-04,-20,21,19.5,20.4,900", /2024-03-04: open -20 is negative$/],
      ["2024-03-04,20,21,19.5,20.4,-1", /2024-03-04: volume -1 is negative or infinite$/],
      ["2024-03-04,20,19,19.5,20.4,900", /2024-03-04: high 19 is below low 19.5$/],
    ];
    for (const [row, message] of refusals)
      expect(() => parse(csv(row)), row).toThrow(
        expect.objectContaining({ exitCode: 3, message: expect.stringMatching(message) }),
      );
  });
});

describe("Alpha Vantage error bodies (documented texts)", () => {
  const cases: [object, RegExp, RegExp][] = [
    [
      {
        Information:
          "Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day. Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits.",
      },
      /request limit/,
      /tomorrow/,
    ],
    [
      {
        Information:
          "Thank you for using Alpha Vantage! This is a premium endpoint and there are multiple ways to unlock premium endpoints",
      },
      /premium endpoint/,
      /daily/,
    ],
    [
      {
        Information:
          "The **demo** API key is for demo purposes only. Please claim your free API key at (https://www.alphavantage.co/support/#api-key)",
      },
      /demo API key/,
      /ALPHAVANTAGE_API_KEY/,
    ],
    [
      {
        "Error Message":
          "Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY.",
      },
      /invalid API call/,
      /valid symbol/,
    ],
    [
      {
        Note: "Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day.",
      },
      /rate limit/,
      /60 s/,
    ],
    [{}, /empty object/, /unknown or delisted/],
  ];
  it.each(cases)("%j", (body, message, hint) => {
    try {
      checkAvBody(body, request("TIME_SERIES_DAILY_ADJUSTED", "NOPE"));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SourceError);
      expect((error as SourceError).message).toMatch(message);
      expect((error as SourceError).hint).toMatch(hint);
    }
  });
});

describe("indicators list", () => {
  it("parses names and periods and refuses unknown ones", () => {
    expect(parseIndicatorList("rsi:7,MACD")).toEqual([
      { name: "RSI", period: 7 },
      { name: "MACD", period: null },
    ]);
    expect(() => parseIndicatorList("FOO")).toThrow(/unknown indicator/);
    expect(() => parseIndicatorList("OBV:3")).toThrow(/takes no period/);
  });
});

describe("fetchAlphaVantage through a loopback server", () => {
  let server: LoopbackServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });
  const daily = readFileSync(join(FIXTURES, "av-daily-adjusted-3rows.json"), "utf8");
  const rsi = readFileSync(join(FIXTURES, "av-rsi-3points.json"), "utf8");
  const base = (url: string, cacheDir: string | null): AlphaVantageRequest => ({
    symbols: ["TEST"],
    function: "daily-adjusted",
    market: "USD",
    outputsize: "compact",
    datatype: "json",
    indicators: [],
    apiKey: "SECRETKEY42",
    baseUrl: `${url}/query`,
    cache: cacheDir ? new ResponseCache(cacheDir) : null,
    refresh: false,
    cacheMaxAgeMs: 3_600_000,
    limiter: new RateLimiter(),
    http: { baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 1000 },
  });

  it("parses, merges indicators by date, caches without the key and reuses the cache", async () => {
    server = await startLoopbackServer((req, res) => {
      const fn = new URL(req.url ?? "", "http://x").searchParams.get("function");
      send(res, fn === "RSI" ? rsi : daily);
    });
    const dir = mkdtempSync(join(tmpdir(), "tsml-av-"));
    const first = await fetchAlphaVantage({
      ...base(server.url, dir),
      indicators: parseIndicatorList("RSI"),
    });
    const s = first.symbols[0];
    expect(Array.from(s.bars.time, isoDate)).toEqual(["2024-03-04", "2024-03-05", "2024-03-06"]);
    expect(s.bars.get("split_coefficient")[1]).toBe(2);
    const rsiCol = s.features!.get("rsi_14");
    expect(Number.isNaN(rsiCol[0])).toBe(true);
    expect(rsiCol[1]).toBe(55.25);
    expect(server.requests.every((r) => r.includes("apikey=SECRETKEY42"))).toBe(true);
    const files = readdirSync(dir);
    expect(files.length).toBe(2);
    for (const f of files) {
      expect(f).not.toContain("SECRETKEY42");
      expect(readFileSync(join(dir, f), "utf8")).not.toContain("SECRETKEY42");
    }
    const second = await fetchAlphaVantage({
      ...base(server.url, dir),
      apiKey: "ANOTHERKEY",
      indicators: parseIndicatorList("RSI"),
    });
    expect(second.fromCache).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it("retries truncated JSON and a 500 HTML page, then succeeds", async () => {
    server = await startLoopbackServer((_req, res, n) => {
      if (n === 1) send(res, daily.slice(0, 200));
      else if (n === 2) send(res, "<html><body>502 Bad Gateway</body></html>", 500, "text/html");
      else send(res, daily);
    });
    const result = await fetchAlphaVantage(base(server.url, null));
    expect(result.symbols[0].bars.length).toBe(3);
    expect(server.requests).toHaveLength(3);
  });

  it("a 200 HTML page and a Note body are SourceErrors; error bodies are not cached", async () => {
    server = await startLoopbackServer((_req, res, n) => {
      if (n === 1) send(res, "<html>maintenance</html>", 200, "text/html");
      else
        send(
          res,
          JSON.stringify({
            Note: "Our standard API call frequency is 5 calls per minute and 500 calls per day.",
          }),
        );
    });
    const dir = mkdtempSync(join(tmpdir(), "tsml-av-"));
    await expect(fetchAlphaVantage(base(server.url, dir))).rejects.toThrow(/HTML page/);
    const error = await fetchAlphaVantage(base(server.url, dir)).catch((e) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toMatch(/rate limit reached at TIME_SERIES_DAILY_ADJUSTED for TEST/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
