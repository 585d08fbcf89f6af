import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Frame } from "../frame/frame.js";
import { duckdb, sqlString } from "./duckdb-engine.js";
import { makeProvenance } from "./provenance.js";
import { readTable, tableMeta, writeTable } from "./table-io.js";

const dir = mkdtempSync(join(tmpdir(), "tsml-table-"));

async function sample(): Promise<{ frame: Frame; path: string }> {
  const frame = new Frame({
    time: Float64Array.from([Date.UTC(2020, 0, 2), Date.UTC(2020, 0, 3), Date.UTC(2020, 0, 2)]),
    tickerCodes: Uint32Array.from([0, 0, 1]),
    tickerNames: ["SPX", "2330.TW"],
    columns: new Map([
      ["close", Float64Array.from([3200.5, Number.NaN, 331])],
      ["volume", Float64Array.from([1e9, 2e9, 3e7])],
    ]),
  });
  const path = join(dir, `t${Math.random().toString(36).slice(2)}.parquet`);
  const provenance = await makeProvenance({
    command: "tsml test",
    options: { apiKey: "s3cret", ticker: "SPX" },
    seed: 7,
  });
  await writeTable(path, frame, tableMeta("bars", provenance, { note: "x" }));
  return { frame, path };
}

describe("Parquet artifacts", () => {
  it("round-trips a frame with metadata, NaN as NULL", async () => {
    const { frame, path } = await sample();
    const { frame: back, meta } = await readTable(path, { kinds: ["bars"] });
    expect(back.length).toBe(3);
    expect([...back.time]).toEqual([...frame.time]);
    expect(back.tickerNames).toEqual(["SPX", "2330.TW"]);
    expect(back.get("close")[0]).toBe(3200.5);
    expect(Number.isNaN(back.get("close")[1])).toBe(true);
    expect(meta?.kind).toBe("bars");
    expect(meta?.provenance.seed).toBe(7);
    expect(meta?.provenance.options.apiKey).toBe("[redacted]");
    expect(meta?.details).toEqual({ note: "x" });
  });

  it("is readable by DuckDB SQL with real column types", async () => {
    const { path } = await sample();
    const connection = await duckdb();
    const types = await connection.runAndReadAll(
      `SELECT typeof(ticker), typeof(date), typeof(close), count(*) FILTER (WHERE close IS NULL) FROM read_parquet(${sqlString(path)}) GROUP BY ALL`,
    );
    expect(types.getRows()[0]).toEqual(["VARCHAR", "DATE", "DOUBLE", 1n]);
    const kv = await connection.runAndReadAll(
      `SELECT decode(value) FROM parquet_kv_metadata(${sqlString(path)}) WHERE decode(key) = 'tsml'`,
    );
    expect(JSON.parse(String(kv.getRows()[0][0])).kind).toBe("bars");
  });

  it("refuses the wrong kind, saying what to run first", async () => {
    const { path } = await sample();
    await expect(readTable(path, { kinds: ["features"] })).rejects.toMatchObject({
      exitCode: 3,
      hint: "run tsml features first",
    });
  });

  it("gives a data error for a missing or non-Parquet file", async () => {
    await expect(readTable(join(dir, "nope.parquet"))).rejects.toMatchObject({ exitCode: 3 });
    const junk = join(dir, "junk.parquet");
    writeFileSync(junk, "<html>error</html>");
    await expect(readTable(junk)).rejects.toMatchObject({ exitCode: 3 });
  });

  it("stores timestamps when times are not whole days", async () => {
    const frame = Frame.fromColumns("BTC", Float64Array.from([Date.UTC(2020, 0, 2, 13, 30)]), {
      close: Float64Array.from([1]),
    });
    const path = join(dir, "ts.parquet");
    await writeTable(path, frame, tableMeta("bars", await makeProvenance({ command: "t", options: {} })));
    const { frame: back } = await readTable(path);
    expect(back.time[0]).toBe(Date.UTC(2020, 0, 2, 13, 30));
  });
});
