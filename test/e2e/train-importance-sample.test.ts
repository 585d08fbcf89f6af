// End to end with the built CLI (`npm run build` first): `train` measures importance on a seeded sample of the
// test rows, records the sample in the model artifact, says so in its output, and gives the same figures for
// any --jobs (the explain work runs in worker threads for --jobs >= 2, inline for 1).

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTsml } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-importance-"));
const ws = join(dir, "ws");
const sp500 = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--seed", "7", "--no-color", ...args]);

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
const gbdt = [
  "train",
  "--ticker",
  "SPX",
  "--model",
  "gbdt",
  "--param",
  "n_estimators=20",
  "--param",
  "max_depth=3",
];
const split = ["--split-date", "2014-01-01", "--splits", "3", "--repeats", "2"];

describe("train: importance on a bounded sample", () => {
  it("records and prints the sample size, and gives identical figures for --jobs 1 and --jobs 2", () => {
    const runs = ["1", "2"].map((jobs) => {
      const out = join(dir, `gbdt-${jobs}.json`);
      const run = tsml(
        ...gbdt,
        ...split,
        "--importance-rows",
        "150",
        "--shap-rows",
        "40",
        "--jobs",
        jobs,
        "-o",
        out,
      );
      expect(run.code, run.stderr).toBe(0);
      return { run, model: readJson(out) };
    });
    const [one, two] = runs;
    const testRows = one.model.test.rows;
    expect(testRows).toBeGreaterThan(1000);
    expect(one.model.importanceSample).toEqual({
      set: "test",
      available: testRows,
      permutationRows: 150,
      repeats: 2,
      shapRows: 40,
    });
    const shown = testRows.toLocaleString("en-US");
    expect(one.run.stdout).toContain(`permutation importance on 150 of ${shown} test rows (seeded sample`);
    expect(one.run.stdout).toContain(`TreeSHAP on 40 of ${shown} test rows`);
    // Worker threads (--jobs 2) and inline (--jobs 1) give the same model, metrics and importance, bit for bit.
    for (const key of ["state", "metrics", "importance", "importanceSample"])
      expect(JSON.stringify(two.model[key]), key).toBe(JSON.stringify(one.model[key]));
    expect(
      one.model.importance.every((r: { meanAbsShap: unknown }) => typeof r.meanAbsShap === "number"),
    ).toBe(true);
  });

  it("--importance-rows all measures every test row and says so; models without SHAP record null", () => {
    const out = join(dir, "ols.json");
    const run = tsml(
      "train",
      "--ticker",
      "SPX",
      "--model",
      "ols",
      ...split,
      "--importance-rows",
      "all",
      "-o",
      out,
    );
    expect(run.code, run.stderr).toBe(0);
    const model = readJson(out);
    expect(model.importanceSample.permutationRows).toBe(model.test.rows);
    expect(model.importanceSample.shapRows).toBeNull();
    expect(run.stdout).toContain(
      `permutation importance on all ${model.test.rows.toLocaleString("en-US")} test rows`,
    );
    expect(run.stdout).not.toContain("TreeSHAP on");
  });

  it("with --split-date none importance is measured on the training rows, and says so", () => {
    const out = join(dir, "gbdt-train.json");
    const run = tsml(
      ...gbdt,
      "--split-date",
      "none",
      "--splits",
      "2",
      "--repeats",
      "1",
      "--importance-rows",
      "90",
      "-o",
      out,
    );
    expect(run.code, run.stderr).toBe(0);
    const model = readJson(out);
    expect(model.test).toBeNull();
    expect(model.importanceSample.set).toBe("train");
    expect(model.importanceSample.available).toBe(model.training.rows);
    expect(run.stdout).toMatch(/permutation importance on 90 of [\d,]+ train rows/);
  });

  it("refuses a row cap that is not a positive integer or all", () => {
    for (const bad of ["0", "-5", "1.5", "some"]) {
      const run = tsml(...gbdt, "--importance-rows", bad, "--quiet");
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--importance-rows ${bad}: expected a positive integer or "all"`);
    }
    const shap = tsml(...gbdt, "--shap-rows", "0", "--quiet");
    expect(shap.code).toBe(2);
    expect(shap.stderr).toContain("--shap-rows 0");
  });
});
