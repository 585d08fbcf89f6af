// End to end with the built CLI (`npm run build` first): every date flag is parsed strictly (impossible dates exit
// 2 naming the flag), a split outside the data exits 2 naming the flag and the data's range, and the model
// artifact stores the split as a normalised ISO date, never the raw text.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTsml } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-dates-"));
const ws = join(dir, "ws");
const sp500 = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--seed", "1", "--no-color", ...args]);
const train = (...args: string[]) =>
  tsml("train", "--ticker", "SPX", "--model", "ols", "--jobs", "1", "--splits", "2", ...args);

beforeAll(() => {
  if (!existsSync(join(root, "dist", "cli", "main.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
  for (const args of [
    ["ingest", "csv", sp500, "--ticker", "SPX"],
    ["features", "--ticker", "SPX", "--set", "seed000"],
  ]) {
    const run = tsml(...args, "--quiet");
    expect(run.code, run.stderr).toBe(0);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("date flags", () => {
  it("train refuses impossible split dates (exit 2, the flag named, nothing written)", () => {
    for (const [bad, reason] of [
      ["2016-13-45", "month 13 does not exist"],
      ["2019-02-30", "2019-02 has days 01 to 28, not 30"],
      ["2019-02-29", "2019-02 has days 01 to 28, not 29"],
      ["next year", "not a date"],
    ]) {
      const run = train("--split-date", bad);
      expect(run.code, `${bad}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain(`--split-date: "${bad}" is not a real date: ${reason}`);
      expect(run.stderr).toMatch(/hint: use YYYY-MM-DD/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(join(ws, "models", "SPX", "ols.json"))).toBe(false);
  });

  it("train refuses a split outside the data, naming the flag and the data's range", () => {
    // seed000 on the bundled S&P 500 keeps 2000-01-10 .. 2020-05-21 with features and labels.
    for (const [split, side] of [
      ["1990-01-01", "no rows before it"],
      ["2000-01-10", "no rows before it"],
      ["2030-01-01", "no rows on or after it"],
    ]) {
      const run = train("--split-date", split);
      expect(run.code, `${split}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain(`--split-date ${split} is outside the data: ${side}`);
      expect(run.stderr).toMatch(
        /SPX \(rows with features and a label\) runs 2000-01-10 to 20\d\d-\d\d-\d\d/,
      );
    }
    expect(existsSync(join(ws, "models", "SPX", "ols.json"))).toBe(false);
  });

  it("the model stores the split as a normalised ISO date", () => {
    for (const [typed, stored] of [
      ["2016-01", "2016-01-01"],
      [" 2016-01-04 ", "2016-01-04"],
      ["2016-01-04T00:00:00Z", "2016-01-04"],
    ]) {
      const out = join(dir, "model.json");
      const run = train("--split-date", typed, "-o", out, "--quiet");
      expect(run.code, run.stderr).toBe(0);
      const model = JSON.parse(readFileSync(out, "utf8"));
      expect(model.splitDate).toBe(stored);
      expect(model.test.start >= stored).toBe(true);
      expect(model.training.end < stored).toBe(true);
    }
  });

  it("backtest, lstm training and ingest twse take the same strict dates", () => {
    const features = join(ws, "features", "SPX.parquet");
    const backtest = (split: string) =>
      tsml(
        "backtest",
        "-i",
        features,
        "--signal",
        "macd_binary",
        "--split-date",
        split,
        "-o",
        join(dir, "bt.parquet"),
      );
    const impossible = backtest("2015-02-29");
    expect(impossible.code, impossible.stderr).toBe(2);
    expect(impossible.stderr).toContain('--split-date: "2015-02-29" is not a real date');
    const late = backtest("2030-01-01");
    expect(late.code, late.stderr).toBe(2);
    expect(late.stderr).toMatch(
      /--split-date 2030-01-01 is outside the data: no rows on or after it \(SPX runs 2000-01-10 to /,
    );
    expect(existsSync(join(dir, "bt.parquet"))).toBe(false);

    const lstm = (split: string) =>
      tsml("train", "--model", "lstm", "--ticker", "SPX", "--split-date", split, "--iterations", "1");
    const lstmBad = lstm("2016-04-31");
    expect(lstmBad.code, lstmBad.stderr).toBe(2);
    expect(lstmBad.stderr).toContain('--split-date: "2016-04-31" is not a real date');
    const lstmEarly = lstm("1999-06-01");
    expect(lstmEarly.code, lstmEarly.stderr).toBe(2);
    expect(lstmEarly.stderr).toMatch(
      /--split-date 1999-06-01 is outside the data: no rows before it \(SPX runs /,
    );

    // Parsed before any request is made (no network needed).
    for (const [flag, value] of [
      ["--from", "2023-13"],
      ["--to", "2023-02-30"],
    ]) {
      const run = tsml("ingest", "twse", "--stock", "2330", flag, value, "--base-url", "http://127.0.0.1:9");
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`${flag}: "${value}" is not a real date`);
    }
  });
});
