// The contract every data source passes: a bars artifact with the canonical schema (ticker, date, then
// open/high/low/close[/adj_close][/volume] in that order, extras after), sorted, no duplicate
// ticker+date, provenance recorded without secrets; and --to-db stores the same rows.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTable } from "../src/artifacts/table-io.js";
import { ingestAlphaVantage } from "../src/commands/ingest-alphavantage.js";
import { ingestCsv } from "../src/commands/ingest-csv.js";
import { ingestDb } from "../src/commands/ingest-db.js";
import { ingestTwse } from "../src/commands/ingest-twse.js";
import type { RunContext } from "../src/commands/support/run-context.js";
import { createMemoryLogger } from "../src/core/log.js";
import { readFrame } from "../src/db/read-frame.js";
import { writeFrame } from "../src/db/write-frame.js";
import { Frame } from "../src/frame/frame.js";
import { PRICE_FIELDS } from "../src/ingest/bars-schema.js";
import { type LoopbackServer, send, startLoopbackServer } from "./helpers/loopback-server.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "sources");
const dir = mkdtempSync(join(tmpdir(), "tsml-contract-"));
const dbUrl = `duckdb:${join(dir, "contract.duckdb")}`;
let server: LoopbackServer;

beforeAll(async () => {
  const av = readFileSync(join(FIXTURES, "av-daily-adjusted-3rows.json"), "utf8");
  const twse = readFileSync(join(FIXTURES, "twse-stock-2330-202310.json"), "utf8");
  server = await startLoopbackServer((req, res) => send(res, req.url?.startsWith("/query") ? av : twse));
  // A seed-000-style table: time, price, high, low, volume (no open, no ticker).
  const day = (d: number) => Date.UTC(2021, 5, d);
  await writeFrame(
    dbUrl,
    "stock_prices",
    new Frame({
      time: Float64Array.from([day(3), day(1), day(2)]),
      tickerCodes: new Uint32Array(3),
      tickerNames: ["MSFT"],
      columns: new Map([
        ["price", Float64Array.from([12, 10, 11])],
        ["high", Float64Array.from([12.5, 10.5, 11.5])],
        ["low", Float64Array.from([11.5, 9.5, 10.5])],
        ["volume", Float64Array.from([300, 100, 200])],
      ]),
    }),
  );
});
afterAll(() => server?.close());

function context(workspace: string): RunContext {
  return {
    workspace,
    json: false,
    quiet: true,
    verbose: false,
    color: false,
    seed: null,
    log: createMemoryLogger(),
    commandLine: "tsml ingest (contract test)",
    print() {},
    claimStdout() {},
    stdoutClaimed: () => false,
    progress: () => ({ tick() {}, done() {} }),
  };
}

const sources: { name: string; ticker: string; run: (ctx: RunContext, table: string) => Promise<unknown> }[] =
  [
    {
      name: "csv",
      ticker: "CSVT",
      run: (ctx, table) => {
        const file = join(dir, "csvt.csv");
        writeFileSync(
          file,
          "Date,Open,High,Low,Close,Volume\n2020-01-03,2,3,1,2.5,10\n2020-01-02,1,2,1,1.5,10\n",
        );
        return ingestCsv([file], { ticker: "CSVT", toDb: dbUrl, table } as never, ctx);
      },
    },
    {
      name: "alphavantage",
      ticker: "TEST",
      run: (ctx, table) =>
        ingestAlphaVantage(
          {
            symbol: "TEST",
            function: "daily-adjusted",
            apiKey: "CONTRACTKEY",
            baseUrl: `${server.url}/query`,
            rate: "1000",
            toDb: dbUrl,
            table,
          },
          ctx,
        ),
    },
    {
      name: "twse",
      ticker: "2330",
      run: (ctx, table) =>
        ingestTwse(
          {
            stock: "2330",
            from: "2023-10",
            to: "2023-10",
            delay: "0",
            baseUrl: server.url,
            toDb: dbUrl,
            table,
          },
          ctx,
        ),
    },
    {
      name: "db",
      ticker: "MSFT",
      run: (ctx, table) =>
        ingestDb({ url: dbUrl, table: "stock_prices", ticker: "MSFT", toDb: dbUrl, toTable: table }, ctx),
    },
  ];

describe.each(sources)("source contract: $name", ({ name, ticker, run }) => {
  it("writes canonical, sorted, unique bars with provenance, and the same rows to --to-db", async () => {
    const workspace = join(dir, `ws-${name}`);
    const table = `contract_${name}`;
    await run(context(workspace), table);
    await run(context(workspace), table); // a re-run must not duplicate database rows
    const { frame, meta } = await readTable(join(workspace, "bars", `${ticker}.parquet`), {
      kinds: ["bars"],
    });
    expect(meta?.kind).toBe("bars");
    expect(frame.length).toBeGreaterThan(0);
    const names = frame.columnNames;
    for (const required of ["open", "high", "low", "close"]) expect(names).toContain(required);
    const canonical = names.filter((n) => (PRICE_FIELDS as readonly string[]).includes(n));
    expect(canonical).toEqual(PRICE_FIELDS.filter((f) => canonical.includes(f)));
    expect(names.slice(0, canonical.length)).toEqual(canonical);
    expect(frame.isSorted()).toBe(true); // strictly increasing dates per ticker: sorted and no duplicates
    expect(frame.tickers()).toEqual([ticker]);
    expect(meta?.provenance.command).toBeTruthy();
    expect(meta?.provenance.inputs.length).toBeGreaterThan(0);
    expect(JSON.stringify(meta)).not.toContain("CONTRACTKEY");
    const stored = (await readFrame(dbUrl, { table })).frame.sortByTickerTime();
    expect(stored.length).toBe(frame.length);
    expect(Array.from(stored.get("close"))).toEqual(Array.from(frame.get("close")));
  });
});

describe("ingest db mapping", () => {
  it("keeps the database's tickers even with --ticker, and maps renamed columns with --map", async () => {
    const day = (d: number) => Date.UTC(2022, 0, d);
    await writeFrame(
      dbUrl,
      "panel",
      new Frame({
        time: Float64Array.from([day(4), day(3), day(3)]),
        tickerCodes: Uint32Array.from([0, 0, 1]),
        tickerNames: ["AAA", "BBB"],
        columns: new Map([["kurs", Float64Array.from([2, 1, 5])]]),
      }),
    );
    const workspace = join(dir, "ws-panel");
    const summary = (await ingestDb(
      { url: dbUrl, table: "panel", ticker: "IGNORED", map: ["kurs=close"] },
      context(workspace),
    )) as { tickers: string[]; rows: number };
    expect(summary.tickers).toEqual(["AAA", "BBB"]);
    expect(summary.rows).toBe(3);
    const { frame } = await readTable(join(workspace, "bars", "AAA.parquet"));
    expect(Array.from(frame.get("close"))).toEqual([1, 2]);
  });
});
