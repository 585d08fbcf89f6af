// The direct Parquet writer round-trips through DuckDB's reader exactly like writeTable.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Frame } from "../frame/frame.js";
import { writeTableFast } from "./parquet-fast-writer.js";
import { makeProvenance } from "./provenance.js";
import { readTable, tableMeta } from "./table-io.js";

const dir = mkdtempSync(join(tmpdir(), "tsml-fast-writer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("writeTableFast", () => {
  it("round-trips tickers, dates, doubles and NaN (as NULL) across row groups, with metadata", async () => {
    const n = 600_000; // more than two row groups
    const time = Float64Array.from(
      { length: n },
      (_, i) => Date.UTC(1990, 0, 1) + (i % 300_000) * 86_400_000,
    );
    const codes = Uint32Array.from({ length: n }, (_, i) => (i < 300_000 ? 0 : 1));
    const a = Float64Array.from({ length: n }, (_, i) => (i % 7 === 3 ? Number.NaN : i * 0.5 - 1e6));
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const frame = new Frame({
      time,
      tickerCodes: codes,
      tickerNames: ["ÅBC", "T2"],
      columns: new Map([
        ["a", a],
        ["7_day_RSI", b],
      ]),
    });
    const meta = tableMeta("features", await makeProvenance({ command: "test", options: {} }), {
      labels: [],
    });
    const file = join(dir, "f.parquet");
    await writeTableFast(file, frame, meta);
    const back = await readTable(file, { kinds: ["features"] });
    expect(back.meta?.details).toEqual({ labels: [] });
    expect(back.frame.length).toBe(n);
    expect(back.frame.columnNames).toEqual(["a", "7_day_RSI"]);
    expect(Array.from(back.frame.time)).toEqual(Array.from(time));
    expect(back.frame.ticker(0)).toBe("ÅBC");
    expect(back.frame.ticker(n - 1)).toBe("T2");
    expect(Array.from(back.frame.get("a"))).toEqual(Array.from(a));
    expect(Array.from(back.frame.get("7_day_RSI"))).toEqual(Array.from(b));
  });

  it("writes a list of per-ticker frames as row groups of one table", async () => {
    const names = ["A", "B"];
    const part = (code: number, n: number) =>
      new Frame({
        time: Float64Array.from({ length: n }, (_, i) => i * 86_400_000),
        tickerCodes: new Uint32Array(n).fill(code),
        tickerNames: names,
        columns: new Map([["x", Float64Array.from({ length: n }, (_, i) => code * 1000 + i)]]),
      });
    const file = join(dir, "parts.parquet");
    const meta = tableMeta("features", await makeProvenance({ command: "t", options: {} }));
    await writeTableFast(file, [part(1, 3), part(0, 0), part(0, 2)], meta);
    const back = await readTable(file);
    expect(Array.from(back.frame.get("x"))).toEqual([1000, 1001, 1002, 0, 1]);
    expect([back.frame.ticker(0), back.frame.ticker(4)]).toEqual(["B", "A"]);
  });

  it("a single-row, single-ticker table", async () => {
    const frame = Frame.fromColumns("X", Float64Array.of(0), { v: Float64Array.of(Number.NaN) });
    const file = join(dir, "one.parquet");
    await writeTableFast(
      file,
      frame,
      tableMeta("features", await makeProvenance({ command: "t", options: {} })),
    );
    const back = await readTable(file);
    expect(back.frame.length).toBe(1);
    expect(Number.isNaN(back.frame.get("v")[0])).toBe(true);
    expect(back.frame.ticker(0)).toBe("X");
  });
});
