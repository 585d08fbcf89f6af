// End to end with the built CLI (`npm run build` first): large panels are streamed a batch of tickers at a
// time (src/features/stream-features.ts, src/backtest/stream-backtest.ts). A small panel forced to stream with
// tiny batches (TSML_STREAM_ROWS=0, TSML_STREAM_BATCH_ROWS) must give exactly the rows, values and metadata
// of the in-memory path, and streamed features at a date must not change when the panel is cut after it.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { duckdb, sqlString } from "../../src/artifacts/duckdb-engine.js";
import { makeProvenance } from "../../src/artifacts/provenance.js";
import { readTable, tableMeta, writeTable } from "../../src/artifacts/table-io.js";
import { fixtureBars } from "../../src/features/test-fixtures.js";
import { Frame } from "../../src/frame/frame.js";
import { runTsml } from "../helpers/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-stream-"));
const ws = join(dir, "ws");
const STREAM = { TSML_STREAM_ROWS: "0", TSML_STREAM_BATCH_ROWS: "350" };
const tsml = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  runTsml(["--workspace", ws, "--no-color", "--quiet", ...args], { env });

/** Five tickers of different lengths and price levels, in name order (as tsml writes panels). */
function panel(cutAfter = Number.POSITIVE_INFINITY): Frame {
  const spx = fixtureBars("SPX");
  const parts = ["AAA", "BBB", "CCC", "DDD", "EEE"].map((ticker, k) => {
    const from = k * 20;
    const keep = Array.from(spx.time.subarray(from), (t) => t <= cutAfter).filter(Boolean).length;
    const columns = new Map(
      [...spx.columns].map(([name, v]) => [name, v.slice(from, from + keep).map((x) => x * (1 + k / 10))]),
    );
    return Frame.fromColumns(ticker, spx.time.slice(from, from + keep), columns);
  });
  return Frame.concat(parts);
}

beforeAll(async () => {
  const provenance = await makeProvenance({ command: "test", options: {} });
  const full = panel();
  await writeTable(join(dir, "bars.parquet"), full, tableMeta("bars", provenance));
  await writeTable(join(dir, "bars-cut.parquet"), panel(full.time[200]), tableMeta("bars", provenance));
  // A predictions table (price and a 0/1 `pred` that follows the close's direction over 3 rows), with the
  // split and model a `tsml predict` records.
  const close = full.get("close");
  const pred = Float64Array.from(close, (c, i) => (i >= 3 && c > close[i - 3] ? 1 : 0));
  await writeTable(
    join(dir, "predictions.parquet"),
    new Frame({
      ...full,
      columns: new Map([
        ["price", close],
        ["pred", pred],
      ]),
    }),
    tableMeta("predictions", provenance, { modelId: "model-1", splitDate: "2000-10-02" }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Same tickers, dates and every value (NaN where the other has NaN), column for column. */
function expectSameTable(actual: Frame, expected: Frame) {
  expect(actual.length).toBe(expected.length);
  expect(Array.from({ length: actual.length }, (_, i) => actual.ticker(i))).toEqual(
    Array.from({ length: expected.length }, (_, i) => expected.ticker(i)),
  );
  expect(Array.from(actual.time)).toEqual(Array.from(expected.time));
  expect(actual.columnNames).toEqual(expected.columnNames);
  for (const name of expected.columnNames) expect(actual.get(name), name).toEqual(expected.get(name));
}

/**
 * Row groups in a file: the in-memory writer puts each ticker in its own, the stream gathers tickers into
 * groups of up to 262,144 rows, so this tells which path wrote a file.
 */
async function rowGroups(file: string): Promise<number> {
  const connection = await duckdb();
  const reader = await connection.runAndReadAll(
    `SELECT count(DISTINCT row_group_id) FROM parquet_metadata(${sqlString(file)})`,
  );
  return Number(reader.getRows()[0][0]);
}

/** The metadata without what differs by construction (the command line, output name and clock). */
function details(meta: { details: unknown } | null) {
  return JSON.stringify(meta?.details);
}

describe("streamed features and backtest", () => {
  it("features: streamed in batches of one or two tickers equals the in-memory output", async () => {
    const bars = join(dir, "bars.parquet");
    const memory = tsml({}, "features", "-i", bars, "-o", join(dir, "f-mem.parquet"), "--set", "seed000");
    expect(memory.code, memory.stderr).toBe(0);
    const streamed = tsml(
      STREAM,
      "features",
      "-i",
      bars,
      "-o",
      join(dir, "f-str.parquet"),
      "--set",
      "seed000",
    );
    expect(streamed.code, streamed.stderr).toBe(0);
    const a = await readTable(join(dir, "f-str.parquet"), { kinds: ["features"] });
    const b = await readTable(join(dir, "f-mem.parquet"), { kinds: ["features"] });
    expect(a.frame.tickers()).toEqual(["AAA", "BBB", "CCC", "DDD", "EEE"]);
    expect(await rowGroups(join(dir, "f-mem.parquet"))).toBe(5);
    expect(await rowGroups(join(dir, "f-str.parquet"))).toBe(1);
    expectSameTable(a.frame, b.frame);
    expect(details(a.meta)).toBe(details(b.meta));
  });

  it("features: a streamed feature at a date is unchanged when the panel is cut after that date", async () => {
    const cut = tsml(
      STREAM,
      "features",
      "-i",
      join(dir, "bars-cut.parquet"),
      "-o",
      join(dir, "f-cut.parquet"),
      "--set",
      "seed000",
    );
    expect(cut.code, cut.stderr).toBe(0);
    const { frame: short, meta } = await readTable(join(dir, "f-cut.parquet"), { kinds: ["features"] });
    const { frame: long } = await readTable(join(dir, "f-str.parquet"), { kinds: ["features"] });
    const features = (meta?.details as { features?: string[] } | undefined)?.features ?? [];
    expect(features).toContain("RSI");
    const row = new Map<string, number>();
    for (let i = 0; i < long.length; i++) row.set(`${long.ticker(i)} ${long.time[i]}`, i);
    expect(short.length).toBeGreaterThan(100);
    for (let i = 0; i < short.length; i++) {
      const j = row.get(`${short.ticker(i)} ${short.time[i]}`);
      expect(j, `${short.ticker(i)} ${short.time[i]}`).toBeDefined();
      for (const name of features) expect(short.get(name)[i], name).toBe(long.get(name)[j as number]);
    }
  });

  it("backtest: streamed equals the in-memory artifact and metrics", async () => {
    const input = join(dir, "f-mem.parquet");
    const args = ["--signal", "macd_binary", "--split-date", "2000-09-01", "--no-chart"];
    const memory = tsml({}, "backtest", "-i", input, ...args, "-o", join(dir, "b-mem.parquet"));
    expect(memory.code, memory.stderr).toBe(0);
    const streamed = tsml(STREAM, "backtest", "-i", input, ...args, "-o", join(dir, "b-str.parquet"));
    expect(streamed.code, streamed.stderr).toBe(0);
    const a = await readTable(join(dir, "b-str.parquet"), { kinds: ["backtest"] });
    const b = await readTable(join(dir, "b-mem.parquet"), { kinds: ["backtest"] });
    expect(a.frame.tickers().length).toBe(5);
    expect(await rowGroups(join(dir, "b-mem.parquet"))).toBe(5);
    expect(await rowGroups(join(dir, "b-str.parquet"))).toBe(1);
    expectSameTable(a.frame, b.frame);
    expect(details(a.meta)).toBe(details(b.meta));
    const metrics = (name: string) => {
      const json = JSON.parse(readFileSync(join(dir, `${name}.metrics.json`), "utf8"));
      delete json.provenance;
      return json;
    };
    expect(metrics("b-str")).toEqual(metrics("b-mem"));
  });

  it("backtest: a streamed predictions table (pred, --split-date) equals the in-memory one and keeps its model", async () => {
    const input = join(dir, "predictions.parquet");
    const args = ["--split-date", "2000-09-01", "--no-chart"];
    const memory = tsml({}, "backtest", "-i", input, ...args, "-o", join(dir, "p-mem.parquet"));
    expect(memory.code, memory.stderr).toBe(0);
    const streamed = tsml(STREAM, "backtest", "-i", input, ...args, "-o", join(dir, "p-str.parquet"));
    expect(streamed.code, streamed.stderr).toBe(0);
    expect(await rowGroups(join(dir, "p-str.parquet"))).toBe(1);
    const a = await readTable(join(dir, "p-str.parquet"), { kinds: ["backtest"] });
    const b = await readTable(join(dir, "p-mem.parquet"), { kinds: ["backtest"] });
    expectSameTable(a.frame, b.frame);
    expect((a.meta?.details as { modelId?: string } | undefined)?.modelId).toBe("model-1");
    expect(details(a.meta)).toBe(details(b.meta));
  });
});
