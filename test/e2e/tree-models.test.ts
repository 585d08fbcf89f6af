// End to end with the built CLI (`npm run build` first): the tree families (rf, et, gbdt, dtab) train from the
// command line, report gain and TreeSHAP importance, save, and predict from the saved model.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTsml } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-trees-"));
const ws = join(dir, "ws");
const sp500 = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--seed", "5", "--no-color", ...args]);

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

describe("tsml train with the tree families", () => {
  const cases: [string, string[], boolean][] = [
    ["rf", ["n_estimators=20", "max_depth=4"], true],
    ["et", ["n_estimators=20", "max_depth=4"], true],
    ["gbdt", ["n_estimators=30", "max_depth=3"], true],
    ["dtab", ["n_estimators=20"], false],
  ];
  for (const [model, params, hasShap] of cases) {
    it(`${model}: trains, reports gain${hasShap ? " and SHAP" : ""} importance, and predicts from the saved model`, () => {
      const out = join(dir, `${model}.json`);
      const run = tsml(
        "train",
        "--ticker",
        "SPX",
        "--model",
        model,
        ...params.flatMap((p) => ["--param", p]),
        "--split-date",
        "2016-01-01",
        "--splits",
        "3",
        "--repeats",
        "1",
        "--quiet",
        "-o",
        out,
      );
      expect(run.code, run.stderr).toBe(0);
      const artifact = readJson(out);
      expect(artifact.state.model).toBe(model);
      expect(artifact.metrics.test.accuracy).toBeGreaterThan(0.3);
      const gains = artifact.importance.map((row: { gain: number | null }) => row.gain);
      expect(gains.every((g: number | null) => typeof g === "number" && g >= 0)).toBe(true);
      expect(gains.some((g: number) => g > 0)).toBe(true);
      const shap = artifact.importance.map((row: { meanAbsShap: number | null }) => row.meanAbsShap);
      if (hasShap) expect(shap.some((s: number | null) => typeof s === "number" && s > 0)).toBe(true);
      const predictions = join(dir, `${model}-pred.parquet`);
      const predict = tsml("predict", "-m", out, "--ticker", "SPX", "-o", predictions, "--quiet");
      expect(predict.code, predict.stderr).toBe(0);
      expect(existsSync(predictions)).toBe(true);
    });
  }
});
