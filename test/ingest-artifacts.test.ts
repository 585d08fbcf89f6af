// Bars artifacts from `ingest csv`: written, then read back with DuckDB SQL as a second reader (types and
// metadata intact); a failing ingest leaves an existing output untouched.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { duckdb, sqlString } from "../src/artifacts/duckdb-engine.js";
import { readTable } from "../src/artifacts/table-io.js";
import { ingestCsv } from "../src/commands/ingest-csv.js";
import type { RunContext } from "../src/commands/support/run-context.js";
import { DataError } from "../src/core/errors.js";
import { sha256File } from "../src/core/fingerprint.js";
import { createMemoryLogger } from "../src/core/log.js";

const dir = mkdtempSync(join(tmpdir(), "tsml-ingest-art-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function context(workspace: string): RunContext & { printed: string[] } {
  const printed: string[] = [];
  return {
    workspace,
    json: false,
    quiet: false,
    verbose: false,
    color: false,
    seed: null,
    log: createMemoryLogger(),
    commandLine: "tsml ingest csv (test)",
    print: (text) => printed.push(text),
    claimStdout() {},
    stdoutClaimed: () => false,
    progress: () => ({ tick() {}, done() {} }),
    printed,
  };
}

const CSV = [
  "Symbol,Date,Open,High,Low,Close,Adj Close,Volume",
  "BBB,2020-01-03,1,2,1,1.5,1.4,10",
  "AAA,2020-01-03,10,11,9,10.5,10.4,100",
  "AAA,2020-01-02,9,10,8,9.5,9.4,0",
  "BBB,2020-01-02,1,2,0.5,1.2,1.1,20",
].join("\n");

async function query(sql: string) {
  const connection = await duckdb();
  return (await connection.runAndReadAll(sql)).getRowObjectsJson();
}

describe("bars artifact round trip", () => {
  it("writes real column types and tsml metadata that DuckDB reads back", async () => {
    const input = join(dir, "panel.csv");
    writeFileSync(input, CSV);
    const output = join(dir, "panel.parquet");
    const ctx = context(join(dir, "ws"));
    await ingestCsv([input], { output }, ctx);
    const types = await query(
      `SELECT typeof(ticker) t, typeof(date) d, typeof(close) c, typeof(volume) v FROM read_parquet(${sqlString(output)}) LIMIT 1`,
    );
    expect(types[0]).toEqual({ t: "VARCHAR", d: "DATE", c: "DOUBLE", v: "DOUBLE" });
    const rows = await query(
      `SELECT ticker, strftime(date, '%Y-%m-%d') AS day, close FROM read_parquet(${sqlString(output)})`,
    );
    expect(rows).toEqual([
      { ticker: "AAA", day: "2020-01-02", close: 9.5 },
      { ticker: "AAA", day: "2020-01-03", close: 10.5 },
      { ticker: "BBB", day: "2020-01-02", close: 1.2 },
      { ticker: "BBB", day: "2020-01-03", close: 1.5 },
    ]);
    const kv = await query(
      `SELECT decode(value) AS v FROM parquet_kv_metadata(${sqlString(output)}) WHERE decode(key) = 'tsml'`,
    );
    const meta = JSON.parse(String(kv[0].v));
    expect(meta).toMatchObject({
      kind: "bars",
      schemaVersion: 1,
      details: { source: "csv", tickers: ["AAA", "BBB"] },
    });
    expect(meta.provenance.inputs[0]).toMatchObject({ path: input });
    expect(meta.provenance.inputs[0].sha256).toBe(await sha256File(input));
    const back = await readTable(output, { kinds: ["bars"] });
    expect(back.frame.columnNames).toEqual(["open", "high", "low", "close", "adj_close", "volume"]);
    expect(Array.from(back.frame.get("volume"))).toEqual([0, 100, 20, 10]);
    expect(ctx.printed.join("\n")).toMatch(/AAA: zero volume \(1\): 2020-01-02/);
  });

  it("writes one workspace file per ticker, and NULL for a missing open", async () => {
    const input = join(dir, "gspc.csv");
    writeFileSync(input, "Date,Open,High,Low,Close,Volume\n1962-01-02,0.0,71.9,70.7,70.9,3120000\n");
    const ws = join(dir, "ws2");
    const summary = (await ingestCsv([input], { ticker: "^GSPC" }, context(ws))) as { outputs: string[] };
    expect(summary.outputs).toEqual([join(ws, "bars", "^GSPC.parquet")]);
    const rows = await query(`SELECT open, close FROM read_parquet(${sqlString(summary.outputs[0])})`);
    expect(rows).toEqual([{ open: null, close: 70.9 }]);
  });
});

describe("atomic output", () => {
  it("a failing ingest leaves the existing output file unchanged and writes no temp files", async () => {
    const good = join(dir, "good.csv");
    const bad = join(dir, "bad.csv");
    writeFileSync(good, "Date,Close\n2020-01-02,1\n");
    writeFileSync(bad, "Date,Close\n2020-01-02,1\n2020-01-03,-5\n");
    const output = join(dir, "keep.parquet");
    await ingestCsv([good], { output }, context(dir));
    const before = readFileSync(output);
    const error = await ingestCsv([bad], { output }, context(dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(readFileSync(output).equals(before)).toBe(true);
    const ws = join(dir, "ws3");
    await ingestCsv([bad], {}, context(ws)).catch(() => undefined);
    expect(() => readFileSync(join(ws, "bars", "bad.parquet"))).toThrow();
  });
});
