// The built CLI against loopback HTTP servers and a DuckDB file: Alpha Vantage, TWSE, ingest db and
// --to-db, with the exit codes a user sees (0 ok, 2 hostile --table, 4 API error body / bad database).

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoopbackServer, send, startLoopbackServer } from "../helpers/loopback-server.js";
import { TSML_BIN } from "../helpers/run-cli.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "sources");
const SHARED_TWSE = join(
  import.meta.dirname,
  "..",
  "..",
  "..",
  "shared",
  "data",
  "api",
  "twse",
  "MI_5MINS_HIST",
);
const KEY = "E2ESECRETKEY";
let server: LoopbackServer;
const ws = mkdtempSync(join(tmpdir(), "tsml-e2e-src-"));
const duck = `duckdb:${join(ws, "bars.duckdb")}`;

/** Async spawn: the loopback server lives in this process, so the event loop must keep running. */
function tsml(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSML_BIN, "--workspace", ws, ...args], {
      env: { ...process.env, TZ: "UTC", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  const av = readFileSync(join(FIXTURES, "av-daily-adjusted-3rows.json"), "utf8");
  const rsi = readFileSync(join(FIXTURES, "av-rsi-3points.json"), "utf8");
  const stock = readFileSync(join(FIXTURES, "twse-stock-2330-202310.json"), "utf8");
  server = await startLoopbackServer((req, res) => {
    const url = new URL(req.url ?? "", "http://x");
    const symbol = url.searchParams.get("symbol");
    if (url.pathname === "/query") {
      if (symbol === "LIMIT")
        return send(
          res,
          JSON.stringify({
            Note: "Our standard API call frequency is 5 calls per minute and 500 calls per day.",
          }),
        );
      if (symbol === "BADSYM")
        return send(
          res,
          JSON.stringify({
            "Error Message":
              "Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY.",
          }),
        );
      return send(res, url.searchParams.get("function") === "RSI" ? rsi : av);
    }
    if (url.pathname.endsWith("MI_5MINS_HIST")) {
      const file = join(SHARED_TWSE, `${url.searchParams.get("date")}.json`);
      return existsSync(file)
        ? send(res, readFileSync(file, "utf8"))
        : send(res, '{"stat":"很抱歉，沒有符合條件的資料!","total":0}');
    }
    return send(
      res,
      url.searchParams.get("date") === "20231001"
        ? stock
        : '{"stat":"很抱歉，沒有符合條件的資料!","total":0}',
    );
  });
});
afterAll(() => server?.close());

describe("tsml ingest alphavantage | twse | db (built CLI)", () => {
  it("ingests Alpha Vantage with indicators and --to-db, never showing the key", async () => {
    const run = await tsml(
      [
        "--json",
        "ingest",
        "alphavantage",
        "--symbol",
        "TEST",
        "--function",
        "daily-adjusted",
        "--indicators",
        "RSI",
        "--base-url",
        `${server.url}/query`,
        "--rate",
        "1000",
        "--to-db",
        duck,
        "--table",
        "daily_bars",
      ],
      { ALPHAVANTAGE_API_KEY: KEY },
    );
    expect(run.stderr).not.toContain(KEY);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.rows).toBe(3);
    expect(summary.features).toHaveLength(1);
    expect(existsSync(join(ws, "bars", "TEST.parquet"))).toBe(true);
    for (const f of readdirSync(join(ws, "cache", "alphavantage"))) expect(f).not.toContain(KEY);
    expect(readFileSync(join(ws, "bars", "TEST.parquet")).includes(KEY)).toBe(false);
  });

  it("an API error body is exit 4 with its own one-line message", async () => {
    const limit = await tsml([
      "ingest",
      "alphavantage",
      "--symbol",
      "LIMIT",
      "--api-key",
      KEY,
      "--base-url",
      `${server.url}/query`,
    ]);
    expect(limit.code, limit.stderr).toBe(4);
    expect(limit.stderr).toMatch(/^tsml: Alpha Vantage rate limit reached/m);
    expect(limit.stderr).toMatch(/hint: .*60 s/);
    const bad = await tsml([
      "ingest",
      "alphavantage",
      "--symbol",
      "BADSYM",
      "--api-key",
      KEY,
      "--base-url",
      `${server.url}/query`,
    ]);
    expect(bad.code, bad.stderr).toBe(4);
    expect(bad.stderr).toMatch(/invalid API call TIME_SERIES_DAILY for BADSYM/);
    expect(`${limit.stderr}${bad.stderr}`).not.toContain(KEY);
  });

  it("ingests a TWSE stock with a no-data month skipped and a warning", async () => {
    const run = await tsml([
      "ingest",
      "twse",
      "--stock",
      "2330",
      "--from",
      "2023-09",
      "--to",
      "2023-10",
      "--delay",
      "0",
      "--base-url",
      server.url,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/2023-09: no data/);
    expect(existsSync(join(ws, "bars", "2330.parquet"))).toBe(true);
  });

  it.runIf(existsSync(SHARED_TWSE))("ingests a year of TAIEX from the real saved month bodies", async () => {
    const run = await tsml([
      "--json",
      "ingest",
      "twse",
      "--index",
      "TAIEX",
      "--from",
      "2023-01",
      "--to",
      "2023-12",
      "--delay",
      "0",
      "--base-url",
      server.url,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).rows).toBe(239);
  });

  it("reads back what --to-db wrote with ingest db, and refuses a hostile --table with exit 2", async () => {
    const run = await tsml([
      "--json",
      "ingest",
      "db",
      "--url",
      duck,
      "--table",
      "daily_bars",
      "-o",
      join(ws, "from-db.parquet"),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).rows).toBe(3);
    const hostile = await tsml(["ingest", "db", "--url", duck, "--table", "x; DROP TABLE y"]);
    expect(hostile.code, hostile.stderr).toBe(2);
    expect(hostile.stderr).toMatch(/not a plain table name/);
    const hostileTo = await tsml([
      "ingest",
      "twse",
      "--index",
      "TAIEX",
      "--delay",
      "0",
      "--base-url",
      server.url,
      "--to-db",
      duck,
      "--table",
      "x; DROP TABLE y",
    ]);
    expect(hostileTo.code, hostileTo.stderr).toBe(2);
  });

  it("a missing table or an unreachable server is exit 4 on one line, without the password", async () => {
    const missing = await tsml(["ingest", "db", "--url", duck, "--table", "no_such_table"]);
    expect(missing.code, missing.stderr).toBe(4);
    const down = await tsml([
      "ingest",
      "db",
      "--url",
      "postgres://u:topsecret@127.0.0.1:1/x",
      "--table",
      "t",
    ]);
    expect(down.code, down.stderr).toBe(4);
    expect(down.stderr).not.toContain("topsecret");
    expect(
      down.stderr
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("tsml:")),
    ).toHaveLength(1);
  });
});
