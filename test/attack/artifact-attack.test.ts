// Damaged and misplaced artifacts through the built CLI: a Parquet whose bytes decode to 2e183, 2,000 flipped
// bytes, a truncated file, an artifact of the wrong kind, and kill -9 while a workspace file is rewritten.
// Every case is exit 3 on one line (no stack trace), or leaves the previous file whole.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { runTsml, TSML_BIN } from "../helpers/run-cli.js";

const ROOT = resolve(import.meta.dirname, "..", "..");
const BARS = join(ROOT, "test", "fixtures", "features", "bars.csv");
const BIG = resolve(ROOT, "..", "shared", "data", "prices", "GSPC_1927-2023_yahoo.csv");
const dir = mkdtempSync(join(tmpdir(), "tsml-attack-artifact-"));
const ws = join(dir, "ws");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, ...args]);
const errorLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("tsml:"));

async function duck(sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRows() as unknown[][];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Overwrites the stored bytes of one DOUBLE cell with `value` (the file's PLAIN pages hold each double as 8
 * little-endian bytes): the first row from `fromRow` whose bytes occur exactly once in the file. Returns the
 * 1-based row patched.
 */
async function patchDouble(
  src: string,
  dst: string,
  column: string,
  fromRow: number,
  value: number,
): Promise<number> {
  const bytes = readFileSync(src);
  const values = (await duck(`SELECT "${column}" FROM read_parquet('${src}')`)).map((r) => Number(r[0]));
  for (let row = fromRow; row <= values.length; row++) {
    const pattern = Buffer.alloc(8);
    pattern.writeDoubleLE(values[row - 1]);
    const at = bytes.indexOf(pattern);
    if (at < 0 || bytes.indexOf(pattern, at + 1) >= 0) continue;
    const patched = Buffer.from(bytes);
    patched.writeDoubleLE(value, at);
    writeFileSync(dst, patched);
    return row;
  }
  throw new Error(`no unique ${column} value to patch in ${src}`);
}

/** XORs `count` seeded-random bytes between the magic number and the footer (so the file still opens). */
function flipBytes(src: string, dst: string, seed: number, count: number): void {
  const bytes = Buffer.from(readFileSync(src));
  const footer = bytes.readUInt32LE(bytes.length - 8) + 8;
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  for (let k = 0; k < count; k++)
    bytes[4 + Math.floor(next() * (bytes.length - 4 - footer))] ^= 1 + Math.floor(next() * 255);
  writeFileSync(dst, bytes);
}

beforeAll(() => {
  for (const args of [
    ["ingest", "csv", BARS, "--ticker", "SPX"],
    ["features", "--ticker", "SPX", "--set", "seed000"],
    ["train", "--ticker", "SPX", "--model", "ols", "--jobs", "1", "--splits", "2", "--repeats", "1"],
    ["predict", "-m", join(ws, "models", "SPX", "ols.json")],
  ]) {
    const run = tsml("--quiet", ...args);
    expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(0);
  }
});

describe("corrupted Parquet", () => {
  it("a close of 2e183 in bars stops features with exit 3, naming the column and row", async () => {
    const bad = join(dir, "bars-2e183.parquet");
    const row = await patchDouble(join(ws, "bars", "SPX.parquet"), bad, "close", 100, 2e183);
    const run = tsml("features", "-i", bad, "-o", join(dir, "f.parquet"));
    expect(run.code, run.stderr).toBe(3);
    expect(errorLines(run.stderr)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^tsml: ${bad}: column "close", row ${row} \\(SPX \\d{4}-\\d{2}-\\d{2}\\): 2e\\+183 is beyond any plausible value`,
        ),
      ),
    ]);
    expect(run.stderr).toMatch(/hint: the file is probably corrupted/);
    expect(existsSync(join(dir, "f.parquet"))).toBe(false);
  });

  it("a feature of -2e183 stops train with exit 3 instead of fitting on it", async () => {
    const bad = join(dir, "features-2e183.parquet");
    const features = join(ws, "features", "SPX.parquet");
    // RSI: a feature the model trains on, whose values are not repeated in another column (price is, as
    // price_prev one row later).
    const column = "RSI";
    const row = await patchDouble(features, bad, column, 50, -2e183);
    const run = tsml("train", "-i", bad, "--model", "ols", "--jobs", "1", "-o", join(dir, "m.json"));
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain(`column "${column}", row ${row}`);
    expect(existsSync(join(dir, "m.json"))).toBe(false);
  });

  it.each([1, 2, 3])(
    "2,000 flipped bytes (seed %i) are exit 3 on one line, never a crash or a model",
    (seed) => {
      const bad = join(dir, `flipped-${seed}.parquet`);
      flipBytes(join(ws, "features", "SPX.parquet"), bad, seed, 2000);
      const run = tsml("train", "-i", bad, "--model", "ols", "--jobs", "1", "-o", join(dir, `m${seed}.json`));
      expect(run.code, run.stderr).toBe(3);
      expect(errorLines(run.stderr)).toHaveLength(1);
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(existsSync(join(dir, `m${seed}.json`))).toBe(false);
    },
  );

  it("a truncated file and a file of the wrong kind are exit 3 on one line", () => {
    const whole = readFileSync(join(ws, "features", "SPX.parquet"));
    const truncated = join(dir, "truncated.parquet");
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const cut = tsml("train", "-i", truncated, "--model", "ols");
    expect(cut.code, cut.stderr).toBe(3);
    expect(errorLines(cut.stderr)).toHaveLength(1);
    const wrongKind = tsml(
      "features",
      "-i",
      join(ws, "predictions", "SPX.parquet"),
      "-o",
      join(dir, "w.parquet"),
    );
    expect(wrongKind.code, wrongKind.stderr).toBe(3);
    expect(wrongKind.stderr).toMatch(
      /expected a bars artifact but found a predictions artifact\nhint: run tsml ingest/,
    );
  });
});

describe("kill -9 while a workspace file is rewritten", () => {
  it("leaves the old file or the new one, whole and readable, never a half-written one", async () => {
    const target = join(ws, "bars", "SPX.parquet");
    const rowsOf = async () => Number((await duck(`SELECT count(*) FROM read_parquet('${target}')`))[0][0]);
    const oldRows = await rowsOf();
    for (const delay of [100, 300, 500, 700, 900, 1200]) {
      const child = spawn(
        process.execPath,
        [TSML_BIN, "--workspace", ws, "--quiet", "ingest", "csv", BIG, "--ticker", "SPX"],
        {
          stdio: "ignore",
        },
      );
      const closed = new Promise((done) => child.on("close", done));
      await new Promise((r) => setTimeout(r, delay));
      child.kill("SIGKILL");
      await closed;
      const rows = await rowsOf();
      if (rows !== oldRows) expect(rows).toBeGreaterThan(20_000);
      // Only hidden temp files may be left beside it; the workspace lists one ticker.
      expect(readdirSync(join(ws, "bars")).filter((f) => !f.startsWith("."))).toEqual(["SPX.parquet"]);
    }
    const after = tsml("--quiet", "features", "--ticker", "SPX", "-o", join(dir, "after-kill.parquet"));
    expect(after.code, after.stderr).toBe(0);
  });
});
