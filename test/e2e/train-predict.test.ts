// End to end with the built CLI (`npm run build` first): ingest -> features -> train (CV, --tune, any --jobs
// gives identical results) -> predict, a foreign Parquet table with --features/--target, and clear failures.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTsml } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-train-"));
const ws = join(dir, "ws");
const sp500 = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--seed", "3", "--no-color", ...args]);

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

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

describe("tsml train / predict", () => {
  it("trains ols with TimeSeriesSplit purged by the label horizon and writes the model artifact", () => {
    const run = tsml(
      "train",
      "--ticker",
      "SPX",
      "--model",
      "ols",
      "--split-date",
      "2016-01-01",
      "--jobs",
      "1",
    );
    expect(run.code, run.stderr).toBe(0);
    const model = readJson(join(ws, "models", "SPX", "ols.json"));
    expect(model.kind).toBe("model");
    expect(model.target).toBe("up_down_1wk");
    expect(model.horizon).toBe(7);
    expect(model.cv.purge).toBe(7);
    expect(model.cv.results).toHaveLength(1);
    expect(model.cv.results[0].splitTestScores).toHaveLength(5);
    expect(model.training.end < "2016-01-01").toBe(true);
    expect(model.test.start >= "2016-01-01").toBe(true);
    expect(model.metrics.test.accuracy).toBeGreaterThan(0.3);
    expect(model.scaler.mean).toHaveLength(model.features.length);
    expect(model.importance).toHaveLength(model.features.length);
    // TimeSeriesSplit(5) fold boundaries with the 7-row purge: the training fold ends 8 rows before validation.
    const f = model.cv.folds[0];
    expect(f.testStart - f.trainEnd).toBe(8);
    expect(run.stdout).toMatch(/mean test/);
  });

  it("--purge 0 gives scikit-learn's folds exactly", () => {
    const out = join(dir, "ols-p0.json");
    expect(
      tsml("train", "--ticker", "SPX", "--model", "ols", "--purge", "0", "-o", out, "--quiet").code,
    ).toBe(0);
    const model = readJson(out);
    const n = model.training.rows;
    const testSize = Math.floor(n / 6);
    expect(model.cv.folds.map((f: { testStart: number }) => f.testStart)).toEqual(
      [0, 1, 2, 3, 4].map((k) => n - 5 * testSize + k * testSize),
    );
    expect(model.cv.folds[0].trainEnd + 1).toBe(model.cv.folds[0].testStart);
  });

  it("--tune gives identical CV scores and model for --jobs 1 and --jobs 2", () => {
    const a = join(dir, "ridge-1.json");
    const b = join(dir, "ridge-2.json");
    const args = [
      "train",
      "--ticker",
      "SPX",
      "--model",
      "ridge",
      "--tune",
      "--split-date",
      "2016-01-01",
      "--quiet",
    ];
    const one = tsml(...args, "--jobs", "1", "-o", a);
    expect(one.code, one.stderr).toBe(0);
    const two = tsml(...args, "--jobs", "2", "-o", b);
    expect(two.code, two.stderr).toBe(0);
    const [ma, mb] = [readJson(a), readJson(b)];
    expect(ma.cv.results).toHaveLength(11);
    expect(mb.cv.jobs).toBe(2);
    const scores = (m: { cv: { results: { splitTestScores: number[]; rank: number }[] } }) =>
      JSON.stringify(m.cv.results.map((r) => [r.splitTestScores, r.rank]));
    expect(scores(ma)).toBe(scores(mb));
    expect(JSON.stringify(ma.state)).toBe(JSON.stringify(mb.state));
    expect(ma.cv.results[ma.cv.bestIndex].rank).toBe(1);
  });

  it("predict writes pred, proba, the label, price and model_id", async () => {
    const run = tsml("predict", "-m", join(ws, "models", "SPX", "ols.json"), "--json");
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.modelId).toMatch(/^SPX\/ols@[0-9a-f]{12}$/);
    expect(summary.rows).toBeGreaterThan(4000);
    // Read the predictions back with the built reader (DuckDB) and check the columns the backtest needs.
    const { readTable } = await import(join(root, "dist", "artifacts", "table-io.js"));
    const { frame, meta } = await readTable(join(ws, "predictions", "SPX.parquet"));
    expect(meta.kind).toBe("predictions");
    expect(meta.details.modelId).toBe(summary.modelId);
    for (const c of ["pred", "proba", "up_down_1wk", "price", "delta_tm"]) expect(frame.has(c)).toBe(true);
    expect(frame.text.get("model_id")[0]).toBe(summary.modelId);
    const pred = frame.get("pred");
    const proba = frame.get("proba");
    for (let i = 0; i < frame.length; i++) expect(pred[i]).toBe(proba[i] > 0.5 ? 1 : 0);
  });

  it("trains on any Parquet table with --features/--target", () => {
    const out = join(dir, "ridge-foreign.json");
    const run = tsml(
      "train",
      "-i",
      join(ws, "features", "SPX.parquet"),
      "--features",
      "rt,rt1,rt2,RSI",
      "--target",
      "up_down_tm",
      "--model",
      "ridge",
      "--param",
      "alpha=2",
      "--splits",
      "3",
      "--split-date",
      "2019-01-01",
      "--repeats",
      "1",
      "--quiet",
      "-o",
      out,
    );
    expect(run.code, run.stderr).toBe(0);
    const model = readJson(out);
    expect(model.features).toEqual(["rt", "rt1", "rt2", "RSI"]);
    expect(model.params.alpha).toBe(2);
    expect(model.horizon).toBe(1);
  });

  it("without --ticker trains one model per ticker with features in the workspace", () => {
    const ws2 = join(dir, "ws2");
    const run0 = runTsml(["--workspace", ws2, "--quiet", "ingest", "csv", sp500, "--ticker", "AAA"]);
    expect(run0.code, run0.stderr).toBe(0);
    expect(runTsml(["--workspace", ws2, "--quiet", "features", "--set", "seed000"]).code).toBe(0);
    // A second ticker of its own (a copy of AAA's file named BBB would be refused: it holds ticker AAA).
    expect(runTsml(["--workspace", ws2, "--quiet", "ingest", "csv", sp500, "--ticker", "BBB"]).code).toBe(0);
    expect(
      runTsml(["--workspace", ws2, "--quiet", "features", "--ticker", "BBB", "--set", "seed000"]).code,
    ).toBe(0);
    const run = runTsml([
      "--workspace",
      ws2,
      "--json",
      "--quiet",
      "train",
      "--model",
      "ridge",
      "--split-date",
      "2018-01-01",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.models.map((m: { ticker: string }) => m.ticker)).toEqual(["AAA", "BBB"]);
    expect(existsSync(join(ws2, "models", "BBB", "ridge.json"))).toBe(true);
  });

  it("walk-forward and purged k-fold CV, balanced class weights, and the model on stdout with -o -", () => {
    const walk = tsml(
      "train",
      "--ticker",
      "SPX",
      "--model",
      "ols",
      "--cv",
      "walk-forward",
      "--window",
      "500",
      "--splits",
      "4",
      "--class-weight",
      "balanced",
      "--scoring",
      "overall",
      "--split-date",
      "2016-01-01",
      "-o",
      "-",
    );
    expect(walk.code, walk.stderr).toBe(0);
    const model = JSON.parse(walk.stdout);
    expect(model.kind).toBe("model");
    expect(model.classWeight).toBe("balanced");
    expect(model.cv.folds.map((f: { trainRows: number }) => f.trainRows)).toEqual([500, 500, 500, 500]);
    expect(walk.stderr).toMatch(/mean test/);
    const kfold = tsml(
      "train",
      "--ticker",
      "SPX",
      "--model",
      "ols",
      "--cv",
      "purged-kfold",
      "--embargo",
      "5",
      "--scoring",
      "roc_auc",
      "--quiet",
      "-o",
      "-",
    );
    expect(kfold.code, kfold.stderr).toBe(0);
    const k = JSON.parse(kfold.stdout);
    const rows = k.training.rows;
    // middle fold: purge 7 before, embargo 5 after -> rows - fold size - 12 training rows
    expect(k.cv.folds[2].trainRows).toBe(rows - k.cv.folds[2].testRows - 12);
    expect(k.cv.results[0].meanTestScore).toBeGreaterThan(0);
  });

  it("fails clearly on an unknown model, a bad parameter, and a label used as a feature", () => {
    const unknown = tsml("train", "--ticker", "SPX", "--model", "nope");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown model "nope"/);
    const badParam = tsml("train", "--ticker", "SPX", "--model", "ols", "--param", "C=abc");
    expect(badParam.code).toBe(2);
    expect(badParam.stderr).toMatch(/C=abc/);
    const leak = tsml("train", "--ticker", "SPX", "--model", "ols", "--features", "rt,up_down_tm");
    expect(leak.code).toBe(2);
    expect(leak.stderr).toMatch(/label/);
  });
});
