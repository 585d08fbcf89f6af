import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Frame } from "../frame/frame.js";
import { duckdb, sqlString } from "./duckdb-engine.js";
import { writeTableFast } from "./parquet-fast-writer.js";
import { makeProvenance } from "./provenance.js";
import { MissingColumnError, readTable, tableMeta, writeTable } from "./table-io.js";

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
  it("reads only the requested columns, plus ticker and date", async () => {
    const { frame, path } = await sample();
    const { frame: back, meta } = await readTable(path, {
      kinds: ["bars"],
      columns: ["volume"],
      optionalColumns: ["open", "close"],
    });
    expect(meta?.kind).toBe("bars");
    expect(back.columnNames.sort()).toEqual(["close", "volume"]);
    // SPX's two rows, then 2330.TW's: contiguous runs, so the codes come from the runs query.
    expect(back.tickerNames).toEqual(frame.tickerNames);
    expect([...back.tickerCodes]).toEqual([...frame.tickerCodes]);
    expect([...back.time]).toEqual([...frame.time]);
    expect([...back.get("volume")]).toEqual([...frame.get("volume")]);
    expect(Number.isNaN(back.get("close")[1])).toBe(true);
    const none = await readTable(path, { columns: [] });
    expect(none.frame.columnNames).toEqual([]);
    expect(none.frame.length).toBe(3);
  });

  it("projects tables whose tickers are interleaved", async () => {
    const frame = new Frame({
      time: Float64Array.from([1, 1, 2, 2].map((d) => Date.UTC(2020, 0, d))),
      tickerCodes: Uint32Array.from([0, 1, 0, 1]),
      tickerNames: ["A", "B"],
      columns: new Map([
        ["x", Float64Array.from([1, 2, 3, 4])],
        ["y", Float64Array.from([5, 6, 7, 8])],
      ]),
    });
    const path = join(dir, "interleaved.parquet");
    await writeTable(path, frame, tableMeta("features", await makeProvenance({ command: "t", options: {} })));
    const { frame: back } = await readTable(path, { columns: ["y"] });
    expect(back.columnNames).toEqual(["y"]);
    expect(back.tickerNames).toEqual(["A", "B"]);
    expect([...back.tickerCodes]).toEqual([0, 1, 0, 1]);
    expect([...back.get("y")]).toEqual([5, 6, 7, 8]);
  });

  it("reads whole tables alike materialised or streamed: ticker runs, interleaved, Symbol, no ticker", async () => {
    const connection = await duckdb();
    const file = (name: string) => join(dir, name);
    // Tickers in runs (filled from the runs), interleaved with a NULL ticker and a TIMESTAMP (read as strings),
    // named Symbol, and no ticker column at all; written by DuckDB itself, not by tsml.
    await connection.run(
      `COPY (SELECT CASE WHEN i < 1500 THEN 'AAA' ELSE 'BB' END AS ticker, DATE '2000-01-01' + (i % 1500)::INT AS date,
         CASE WHEN i % 7 = 0 THEN NULL ELSE i * 0.5 END AS close, i::BIGINT AS volume, 'n' || i AS note
       FROM range(3000) t(i)) TO ${sqlString(file("runs.parquet"))} (FORMAT parquet)`,
    );
    await connection.run(
      `COPY (SELECT CASE WHEN i = 5 THEN NULL WHEN i % 2 = 0 THEN 'X' ELSE 'Y' END AS Symbol,
         TIMESTAMP '2001-02-03 04:05:06' + to_seconds(i) AS timestamp, i / 4 AS value FROM range(3000) t(i))
       TO ${sqlString(file("interleaved.parquet"))} (FORMAT parquet)`,
    );
    await connection.run(
      `COPY (SELECT DATE '1999-12-31' + i::INT AS day, i * i AS sq FROM range(3000) t(i))
       TO ${sqlString(file("single.parquet"))} (FORMAT parquet)`,
    );
    const readBothWays = async (name: string) => {
      const previous = process.env.TSML_MATERIALISE_CELLS;
      try {
        process.env.TSML_MATERIALISE_CELLS = "0";
        const streamed = (await readTable(file(name))).frame;
        delete process.env.TSML_MATERIALISE_CELLS;
        const materialised = (await readTable(file(name))).frame;
        expect(streamed.columnNames).toEqual(materialised.columnNames);
        expect(streamed.tickerNames).toEqual(materialised.tickerNames);
        expect([...streamed.tickerCodes]).toEqual([...materialised.tickerCodes]);
        expect([...streamed.time]).toEqual([...materialised.time]);
        for (const c of streamed.columnNames) expect([...streamed.get(c)]).toEqual([...materialised.get(c)]);
        expect(streamed.text).toEqual(materialised.text);
        return materialised;
      } finally {
        if (previous === undefined) delete process.env.TSML_MATERIALISE_CELLS;
        else process.env.TSML_MATERIALISE_CELLS = previous;
      }
    };

    const runs = await readBothWays("runs.parquet");
    expect(runs.tickerNames).toEqual(["AAA", "BB"]);
    expect(runs.columnNames).toEqual(["close", "volume"]);
    expect(runs.length).toBe(3000);
    for (let i = 0; i < 3000; i++) {
      expect(runs.ticker(i)).toBe(i < 1500 ? "AAA" : "BB");
      expect(runs.time[i]).toBe(Date.UTC(2000, 0, 1 + (i % 1500)));
      if (i % 7 === 0) expect(runs.get("close")[i]).toBeNaN();
      else expect(runs.get("close")[i]).toBe(i * 0.5);
      expect(runs.get("volume")[i]).toBe(i);
    }
    expect(runs.text.get("note")?.[2999]).toBe("n2999");

    const interleaved = await readBothWays("interleaved.parquet");
    expect(interleaved.tickerNames).toEqual(["X", "Y", ""]);
    expect(interleaved.ticker(5)).toBe("");
    expect(interleaved.ticker(6)).toBe("X");
    expect(interleaved.ticker(7)).toBe("Y");
    expect(interleaved.time[2]).toBe(Date.UTC(2001, 1, 3, 4, 5, 8));
    expect(interleaved.get("value")[2999]).toBe(2999 / 4);

    const single = await readBothWays("single.parquet");
    expect(single.tickerNames).toEqual([""]);
    expect(single.time[0]).toBe(Date.UTC(1999, 11, 31));
    expect(single.get("sq")[2999]).toBe(2999 * 2999);
  });

  it("names the file and the column when a requested column is missing", async () => {
    const { path } = await sample();
    const read = readTable(path, { columns: ["close", "nope"] });
    await expect(read).rejects.toBeInstanceOf(MissingColumnError);
    await expect(readTable(path, { columns: ["nope"] })).rejects.toMatchObject({
      exitCode: 3,
      column: "nope",
      message: `${path}: column "nope" not found (columns: close, volume)`,
    });
  });
  it("round-trips what the fast writer dictionary-encodes or writes as column views, bit for bit", async () => {
    const n = 300_000; // two row groups
    const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(1990, 0, 1) + i * 86_400_000);
    // Runs of 0/1 with NaN gaps, a -0 that must not become 0, and a 17-valued column that stays PLAIN.
    const flags = Float64Array.from({ length: n }, (_, i) => (i % 11 === 5 ? Number.NaN : (i >> 3) & 1));
    const signed = Float64Array.from({ length: n }, (_, i) => [100, -100, 0, -0][(i >> 2) % 4]);
    const many = Float64Array.from({ length: n }, (_, i) => i % 17);
    // Many values with NaN in a few long stretches (a train/test split): written as views of the column.
    const split = Float64Array.from({ length: n }, (_, i) => (i < n / 3 || i > n - 5 ? Number.NaN : i / 4));
    const frame = Frame.fromColumns("X", time, { flags, signed, many, split });
    const path = join(dir, "dictionary.parquet");
    await writeTableFast(
      path,
      frame,
      tableMeta("backtest", await makeProvenance({ command: "t", options: {} })),
    );
    const { frame: back } = await readTable(path, { kinds: ["backtest"] });
    for (const [name, column] of [
      ["flags", flags],
      ["signed", signed],
      ["many", many],
      ["split", split],
    ] as const) {
      const got = back.get(name);
      let mismatches = 0;
      for (let i = 0; i < n; i++) if (!Object.is(got[i], column[i])) mismatches++;
      expect(mismatches, name).toBe(0);
    }
    const connection = await duckdb();
    const encodings = await connection.runAndReadAll(
      `SELECT path_in_schema, any_value(encodings) FROM parquet_metadata(${sqlString(path)})
       WHERE path_in_schema IN ('flags', 'many') GROUP BY 1 ORDER BY 1`,
    );
    const [flagsEncodings, manyEncodings] = encodings.getRows().map((r) => String(r[1]));
    expect(flagsEncodings).toMatch(/DICTIONARY/);
    expect(manyEncodings).not.toMatch(/DICTIONARY/);
  });
});
