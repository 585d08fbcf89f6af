// The stream writer against DuckDB reading its file back: frames of uneven sizes, a ticker continued across
// appends and row groups (262,144 rows), NaN stored as NULL, metadata in the footer; nothing at the target
// before commit, nothing left after discard.

import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Frame } from "../frame/frame.js";
import { duckdb, sqlString } from "./duckdb-engine.js";
import { ParquetStreamWriter } from "./parquet-stream-writer.js";
import { tableMeta } from "./table-io.js";

const dir = mkdtempSync(join(tmpdir(), "tsml-stream-writer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DAY = 86_400_000;
const meta = tableMeta("features", {
  tsmlVersion: "test",
  command: "test",
  options: {},
  seed: null,
  inputs: [],
  createdAt: "2026-01-01T00:00:00.000Z",
});

/** Rows [from, to) of a panel where ticker k holds rows 100,000 k .. 100,000 (k + 1) - 1 and x = row * 0.5. */
function rows(from: number, to: number): Frame {
  const n = to - from;
  const time = new Float64Array(n);
  const codes = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = from + i;
    codes[i] = Math.floor(row / 100_000);
    time[i] = (row % 100_000) * DAY;
    x[i] = row * 0.5;
    y[i] = row % 7 === 0 ? Number.NaN : -row;
  }
  return new Frame({
    time,
    tickerCodes: codes,
    tickerNames: ["A", "B", "C"],
    columns: new Map([
      ["x", x],
      ["y", y],
    ]),
  });
}

describe("ParquetStreamWriter", () => {
  it("writes every appended row, in order, readable by DuckDB, only on commit", async () => {
    const target = join(dir, "out.parquet");
    const writer = ParquetStreamWriter.open(target);
    const cuts = [0, 1, 50_000, 150_000, 262_144, 262_145, 300_000];
    for (let i = 1; i < cuts.length; i++) await writer.append([rows(cuts[i - 1], cuts[i])]);
    expect(existsSync(target)).toBe(false);
    await writer.commit(meta);
    const connection = await duckdb();
    const source = `read_parquet(${sqlString(target)})`;
    const summary = (
      await connection.runAndReadAll(
        `SELECT count(*), count(DISTINCT ticker), count(y), sum(x) FROM ${source}`,
      )
    ).getRows()[0];
    // 300,000 rows; y is NULL on every 7th row (42,858 of them); x sums to 0.5 * (0 + ... + 299,999).
    expect(summary.map(Number)).toEqual([300_000, 3, 300_000 - 42_858, 0.5 * 299_999 * 150_000]);
    const mismatches = (
      await connection.runAndReadAll(
        `SELECT count(*) FROM (SELECT ticker, date, x, y, row_number() OVER () - 1 AS r FROM ${source})
         WHERE ticker <> ['A', 'B', 'C'][r // 100000 + 1] OR date <> DATE '1970-01-01' + CAST(r % 100000 AS INTEGER)
            OR x <> r * 0.5 OR (r % 7 = 0) <> (y IS NULL) OR (y IS NOT NULL AND y <> -r)`,
      )
    ).getRows()[0][0];
    expect(Number(mismatches)).toBe(0);
    const groups = (
      await connection.runAndReadAll(
        `SELECT count(DISTINCT row_group_id) FROM parquet_metadata(${sqlString(target)})`,
      )
    ).getRows()[0][0];
    expect(Number(groups)).toBe(2);
    const kv = (
      await connection.runAndReadAll(`SELECT decode(value) FROM parquet_kv_metadata(${sqlString(target)})`)
    ).getRows()[0][0];
    expect(JSON.parse(String(kv)).kind).toBe("features");
  });

  it("discard leaves neither the target nor a temp file", async () => {
    const target = join(dir, "sub", "gone.parquet");
    const writer = ParquetStreamWriter.open(target);
    await writer.append([rows(0, 1000)]);
    await writer.discard();
    expect(readdirSync(join(dir, "sub"))).toEqual([]);
  });
});
