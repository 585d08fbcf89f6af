import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type LoopbackServer, send, startLoopbackServer } from "../../../test/helpers/loopback-server.js";
import { SourceError } from "../../core/errors.js";
import { isoDate } from "../../frame/dates.js";
import { RateLimiter } from "../http/rate-limiter.js";
import { ResponseCache } from "../http/response-cache.js";
import { SeriesBuilder } from "../source-frame.js";
import { fetchTwse, monthsBetween, type TwseRequest } from "./fetch-twse.js";
import { parseRocDate, parseTwseMonth, parseTwseNumber, twseFrame } from "./twse-parse.js";

const SHARED = join(import.meta.dirname, "../../../../shared/data/api/twse");
const FIXTURES = join(import.meta.dirname, "../../../test/fixtures/sources");
const haveShared = existsSync(SHARED);
if (!haveShared) console.log(`skipping real TWSE bodies: ${SHARED} is absent`);

describe("TWSE cell parsing", () => {
  it("reads ROC dates with and without the leading space", () => {
    expect(isoDate(parseRocDate("112/10/02"))).toBe("2023-10-02");
    expect(isoDate(parseRocDate(" 89/01/04"))).toBe("2000-01-04");
    expect(parseRocDate("2023-10-02")).toBeNaN();
  });
  it("reads thousands separators and treats -- as missing", () => {
    expect(parseTwseNumber("16,382.96")).toBe(16382.96);
    expect(parseTwseNumber("57,404,594")).toBe(57404594);
    expect(parseTwseNumber("--")).toBeNaN();
    expect(parseTwseNumber("+35.00")).toBe(35);
  });
  it("skips no-trade days and keeps turnover and trades", () => {
    const builder = new SeriesBuilder();
    const body = readFileSync(join(FIXTURES, "twse-stock-2330-202310.json"), "utf8");
    const parsed = parseTwseMonth(body, "2330 2023-10", builder);
    expect(parsed.ok && parsed.noTrade).toBe(1);
    const f = twseFrame(builder, "2330");
    expect(Array.from(f.time, isoDate)).toEqual(["2023-10-02", "2023-10-03", "2023-10-05"]);
    expect(f.columnNames).toEqual(["open", "high", "low", "close", "volume", "turnover", "trades"]);
    expect(f.get("volume")[0]).toBe(21125880);
  });
  it("reports stat != OK (any wording) and {} as no data", () => {
    for (const body of [
      '{"stat":"很抱歉，沒有符合條件的資料!","total":0}',
      '{"stat":"很抱歉，沒有符合條件的資料"}',
      "{}",
      '{"stat":"OK","data":[]}',
    ]) {
      expect(parseTwseMonth(body, "x", new SeriesBuilder()).ok).toBe(false);
    }
  });
  it("counts months inclusively across a year end", () => {
    expect(monthsBetween({ year: 2022, month: 11 }, { year: 2023, month: 2 })).toHaveLength(4);
  });
});

describe.runIf(haveShared)("TWSE parsers on real saved bodies", () => {
  it("MI_5MINS_HIST month (python re-serialised) and year < 100", () => {
    const builder = new SeriesBuilder();
    parseTwseMonth(
      readFileSync(join(SHARED, "MI_5MINS_HIST/20231001.json"), "utf8"),
      "TAIEX 2023-10",
      builder,
    );
    parseTwseMonth(
      readFileSync(join(SHARED, "MI_5MINS_HIST/20000101.json"), "utf8"),
      "TAIEX 2000-01",
      builder,
    );
    const f = twseFrame(builder, "TAIEX");
    expect(f.isSorted()).toBe(true);
    expect(isoDate(f.time[0])).toBe("2000-01-04");
    expect(f.has("volume")).toBe(false);
    const i = Array.from(f.time).findIndex((t) => isoDate(t) === "2023-10-02");
    expect(f.get("open")[i]).toBe(16382.96);
    expect(f.get("close")[i]).toBe(16557.31);
  });
  it("STOCK_DAY with 10 fields and prices above 1,000", () => {
    const builder = new SeriesBuilder();
    const r = parseTwseMonth(
      readFileSync(join(SHARED, "STOCK_DAY_2330_20260301.json"), "utf8"),
      "2330 2026-03",
      builder,
    );
    expect(r.ok && r.rows).toBe(22);
    const f = twseFrame(builder, "2330");
    expect(f.get("open")[0]).toBe(1940);
    expect(f.get("volume")[0]).toBe(57404594);
  });
});

describe("fetchTwse through a loopback server", () => {
  let server: LoopbackServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });
  const body = readFileSync(join(FIXTURES, "twse-stock-2330-202310.json"), "utf8");
  const noData = '{"stat":"很抱歉，沒有符合條件的資料!","total":0}';
  const request = (url: string, cacheDir: string | null, warnings: string[]): TwseRequest => ({
    target: { kind: "stock", stockNo: "2330" },
    ticker: "2330",
    from: { year: 2023, month: 9 },
    to: { year: 2023, month: 11 },
    baseUrl: url,
    cache: cacheDir ? new ResponseCache(cacheDir) : null,
    refresh: false,
    limiter: new RateLimiter(),
    http: { baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 1000 },
    currentMonth: { year: 2023, month: 11 },
    warn: (m) => warnings.push(m),
  });

  it("one request per month, no-data months skipped with a warning, past months cached, current refetched", async () => {
    server = await startLoopbackServer((req, res) => {
      const date = new URL(req.url ?? "", "http://x").searchParams.get("date");
      send(res, date === "20231001" ? body : noData);
    });
    const dir = mkdtempSync(join(tmpdir(), "tsml-twse-"));
    const warnings: string[] = [];
    const result = await fetchTwse(request(server.url, dir, warnings));
    expect(server.requests).toHaveLength(3);
    expect(server.requests[0]).toBe(
      "/rwd/zh/afterTrading/STOCK_DAY?date=20230901&stockNo=2330&response=json",
    );
    expect(result.bars.length).toBe(3);
    expect(result.skippedMonths).toEqual(["2023-09", "2023-11"]);
    expect(warnings.filter((w) => w.includes("no data"))).toHaveLength(2);
    expect(readdirSync(dir)).toHaveLength(2);
    await fetchTwse(request(server.url, dir, []));
    expect(server.requests).toHaveLength(4);
    expect(server.requests[3]).toContain("date=20231101");
  });

  it("nothing at all is a SourceError; an HTML block page is one too", async () => {
    server = await startLoopbackServer((_req, res, n) =>
      n <= 3 ? send(res, noData) : send(res, "<html>blocked</html>", 200, "text/html"),
    );
    await expect(fetchTwse(request(server.url, null, []))).rejects.toThrow(
      /no data for stock 2330 in 3 month/,
    );
    const error = await fetchTwse(request(server.url, null, [])).catch((e) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toMatch(/HTML page/);
  });

  it("spaces requests by the configured delay", async () => {
    server = await startLoopbackServer((_req, res) => send(res, body));
    let now = 0;
    const limiter = new RateLimiter({
      minIntervalMs: 2000,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    await fetchTwse({ ...request(server.url, null, []), limiter });
    expect(now).toBe(4000);
  });
});
