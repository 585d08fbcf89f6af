// Garbage that ingest and the stages after it must not take silently, through the built CLI: years 0001 and
// 0099 (JS Date's two-digit-year quirk), a negative close from Alpha Vantage (the CSV path refuses it too),
// a price file given to --deflate, and a predictions artifact given to train.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoopbackServer, send, startLoopbackServer } from "../helpers/loopback-server.js";
import { runTsml, TSML_BIN } from "../helpers/run-cli.js";

const ROOT = resolve(import.meta.dirname, "..", "..");
const SHARED = resolve(ROOT, "..", "shared", "data");
const BARS = join(ROOT, "test", "fixtures", "features", "bars.csv");
const dir = mkdtempSync(join(tmpdir(), "tsml-attack-ingest-"));
const oneLine = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("tsml:"));

/** Rows of a query run by DuckDB itself (an independent reader of what tsml wrote). */
async function duck(sql: string, path = ":memory:"): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRows() as unknown[][];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("dates before year 100", () => {
  const csv = join(dir, "ancient.csv");
  beforeAll(() =>
    writeFileSync(
      csv,
      "Date,Open,High,Low,Close,Volume\n0001-01-01,1,2,0.5,1.5,10\n0099-06-01,1,2,0.5,1.5,10\n2020-01-02,1,2,0.5,1.5,10\n",
    ),
  );

  it("a CSV stores 0001-01-01 and 0099-06-01 as those days, not 1901 and 1999", async () => {
    const out = join(dir, "ancient.parquet");
    const run = runTsml(["--quiet", "ingest", "csv", csv, "--ticker", "OLD", "-o", out]);
    expect(run.code, run.stderr).toBe(0);
    const rows = await duck(`SELECT strftime(date, '%Y-%m-%d') FROM read_parquet('${out}') ORDER BY date`);
    expect(rows.map((r) => r[0])).toEqual(["0001-01-01", "0099-06-01", "2020-01-02"]);
  });

  it("a database read stores them right too", async () => {
    const file = join(dir, "ancient.duckdb");
    await duck(
      "CREATE TABLE bars AS SELECT * FROM (VALUES (DATE '0001-01-01', 1.5), (DATE '0099-06-01', 1.5), (DATE '2020-01-02', 1.5)) AS t(date, close)",
      file,
    );
    const out = join(dir, "ancient-db.parquet");
    const run = runTsml(["--quiet", "ingest", "db", "--url", `duckdb:${file}`, "--table", "bars", "-o", out]);
    expect(run.code, run.stderr).toBe(0);
    const rows = await duck(`SELECT strftime(date, '%Y-%m-%d') FROM read_parquet('${out}') ORDER BY date`);
    expect(rows.map((r) => r[0])).toEqual(["0001-01-01", "0099-06-01", "2020-01-02"]);
  });
});

describe("a negative close", () => {
  const KEY = "ATTACKSECRETKEY";
  let server: LoopbackServer;
  const body = readFileSync(
    join(ROOT, "test", "fixtures", "sources", "av-daily-adjusted-3rows.json"),
    "utf8",
  );
  beforeAll(async () => {
    server = await startLoopbackServer((req, res) => {
      const symbol = new URL(req.url ?? "", "http://x").searchParams.get("symbol");
      // NEG: the 2024-03-05 close turned negative; OK: the fixture as it is.
      send(res, symbol === "NEG" ? body.replace('"4. close": "10.5"', '"4. close": "-10.5"') : body);
    });
  });
  afterAll(() => server?.close());

  /** Async: the loopback server lives in this process, so its event loop must keep running. */
  const tsmlAsync = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [TSML_BIN, ...args], {
        env: { ...process.env, TZ: "UTC", ALPHAVANTAGE_API_KEY: KEY },
      });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.stdout.resume();
      child.on("close", (code) => done({ code, stderr }));
    });
  const av = (symbol: string, ws: string) =>
    tsmlAsync([
      "--workspace",
      ws,
      "ingest",
      "alphavantage",
      "--symbol",
      symbol,
      "--function",
      "daily-adjusted",
      "--base-url",
      `${server.url}/query`,
      "--rate",
      "1000",
    ]);

  it("from Alpha Vantage is exit 3 naming the date and field, like the CSV path", async () => {
    const ws = join(dir, "av");
    const ok = await av("OK", ws);
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await av("NEG", ws);
    expect(bad.code, bad.stderr).toBe(3);
    expect(oneLine(bad.stderr)).toEqual([
      "tsml: Alpha Vantage TIME_SERIES_DAILY_ADJUSTED NEG: 2024-03-05: close -10.5 is negative",
    ]);
    expect(bad.stderr).toMatch(/hint: prices must be positive and finite/);
    expect(bad.stderr).not.toContain(KEY);
    expect(existsSync(join(ws, "bars", "NEG.parquet"))).toBe(false);

    const csv = join(dir, "negative.csv");
    writeFileSync(
      csv,
      "Date,Open,High,Low,Close\n2024-03-04,20,21,19.5,20.4\n2024-03-05,10.2,10.6,10.1,-10.5\n",
    );
    const viaCsv = runTsml(["--workspace", ws, "ingest", "csv", csv, "--ticker", "NEG"]);
    expect(viaCsv.code, viaCsv.stderr).toBe(3);
    expect(viaCsv.stderr).toMatch(/price "-10.5" is negative\nhint: prices must be positive and finite/);
  });
});

describe("TWSE bars and Alpha Vantage date keys", () => {
  let server: LoopbackServer;
  const month = readFileSync(
    join(ROOT, "test", "fixtures", "sources", "twse-stock-2330-202310.json"),
    "utf8",
  );
  const av = readFileSync(join(ROOT, "test", "fixtures", "sources", "av-daily-adjusted-3rows.json"), "utf8");
  beforeAll(async () => {
    server = await startLoopbackServer((req, res) => {
      const url = new URL(req.url ?? "", "http://x");
      // AV: one date key moved to the year 0099, which Date.UTC would read as 1999.
      if (url.pathname === "/query") return send(res, av.replace('"2024-03-05"', '"0099-03-05"'));
      // TWSE stock 9999: the 2023-10-03 close turned negative; 2330: the month as TWSE sent it.
      const body =
        url.searchParams.get("stockNo") === "9999"
          ? month.replace('"540.00","-1.00"', '"-540.00","-1.00"')
          : month;
      return send(res, body);
    });
  });
  afterAll(() => server?.close());
  const tsmlAsync = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [TSML_BIN, ...args], {
        env: { ...process.env, TZ: "UTC", ALPHAVANTAGE_API_KEY: "K" },
      });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.stdout.resume();
      child.on("close", (code) => done({ code, stderr }));
    });
  const twse = (stock: string, ws: string) =>
    tsmlAsync([
      "--workspace",
      ws,
      "ingest",
      "twse",
      "--stock",
      stock,
      "--from",
      "2023-10",
      "--to",
      "2023-10",
      "--delay",
      "0",
      "--base-url",
      server.url,
    ]);

  it("a negative TWSE close is exit 3 naming the day, and nothing is written", async () => {
    const ws = join(dir, "twse");
    const ok = await twse("2330", ws);
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await twse("9999", ws);
    expect(bad.code, bad.stderr).toBe(3);
    expect(oneLine(bad.stderr)).toEqual(["tsml: TWSE stock 9999: 2023-10-03: close -540 is negative"]);
    expect(existsSync(join(ws, "bars", "9999.parquet"))).toBe(false);
  });

  it("an Alpha Vantage date key in the year 0099 is stored as 0099, not 1999", async () => {
    const out = join(dir, "av-0099.parquet");
    const run = await tsmlAsync([
      "ingest",
      "alphavantage",
      "--symbol",
      "OLD",
      "--function",
      "daily-adjusted",
      "--base-url",
      `${server.url}/query`,
      "--rate",
      "1000",
      "-o",
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const rows = await duck(`SELECT strftime(date, '%Y-%m-%d') FROM read_parquet('${out}') ORDER BY date`);
    expect(rows[0][0]).toBe("0099-03-05");
    expect(rows.map((r) => r[0])).not.toContain("1999-03-05");
  });
});

describe("stages given the wrong input", () => {
  const ws = join(dir, "stages");
  beforeAll(() => {
    for (const args of [
      ["ingest", "csv", BARS, "--ticker", "SPX"],
      ["features", "--ticker", "SPX", "--set", "seed000"],
      ["train", "--ticker", "SPX", "--model", "ols", "--jobs", "1", "--splits", "2", "--repeats", "1"],
      ["predict", "-m", join(ws, "models", "SPX", "ols.json")],
    ]) {
      const run = runTsml(["--workspace", ws, "--quiet", ...args]);
      expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(0);
    }
  });

  it.skipIf(!existsSync(SHARED))(
    "--deflate with a price file is exit 3 with the fix, and writes nothing (reads ../shared/data)",
    () => {
      const prices = join(SHARED, "prices", "IBM_1962-2020_yahoo.csv");
      const out = join(dir, "deflated.parquet");
      const run = runTsml(["--workspace", ws, "features", "--ticker", "SPX", "--deflate", prices, "-o", out]);
      expect(run.code, run.stderr).toBe(3);
      expect(oneLine(run.stderr)).toEqual([
        `tsml: ${prices}: looks like a price file (column "Open"), not a price index`,
      ]);
      expect(run.stderr).toMatch(
        /hint: --deflate takes a price index of date,value rows \(e\.g\. FRED CPIAUCSL\)/,
      );
      expect(existsSync(out)).toBe(false);
      // Without a header: the row's width gives it away.
      const headerless = join(dir, "headerless.csv");
      writeFileSync(
        headerless,
        "2000-01-03,1469.25,1478,1438.36,1455.22,931800000\n2000-01-04,1455.22,1455.22,1397.43,1399.42,1009000000\n",
      );
      const bare = runTsml([
        "--workspace",
        ws,
        "features",
        "--ticker",
        "SPX",
        "--deflate",
        headerless,
        "-o",
        out,
      ]);
      expect(bare.code, bare.stderr).toBe(3);
      expect(bare.stderr).toMatch(/row 1 has 6 values; a price index has two \(date,value\)/);
      // A real index still deflates.
      const cpi = runTsml([
        "--workspace",
        ws,
        "--quiet",
        "features",
        "--ticker",
        "SPX",
        "--deflate",
        join(SHARED, "macro", "CPIAUCSL_1947-2018_fred.csv"),
        "-o",
        out,
      ]);
      expect(cpi.code, cpi.stderr).toBe(0);
    },
  );

  it("train refuses a predictions artifact, naming the kind and the fix", () => {
    const predictions = join(ws, "predictions", "SPX.parquet");
    const run = runTsml([
      "--workspace",
      ws,
      "train",
      "-i",
      predictions,
      "--model",
      "ols",
      "-o",
      join(dir, "m.json"),
    ]);
    expect(run.code, run.stderr).toBe(3);
    expect(oneLine(run.stderr)).toEqual([
      `tsml: ${predictions}: a predictions artifact cannot be trained on (it is not a features table)`,
    ]);
    expect(run.stderr).toMatch(/hint: run train on a features artifact/);
    expect(existsSync(join(dir, "m.json"))).toBe(false);
    // The same through stdin.
    const piped = runTsml(["train", "-i", "-", "--model", "ols", "-o", join(dir, "m.json")], {
      input: readFileSync(predictions),
    });
    expect(piped.code, piped.stderr).toBe(3);
    expect(piped.stderr).toMatch(/^tsml: <stdin>: a predictions artifact/);
  });
});
