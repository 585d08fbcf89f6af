// The LSTM's batch shards over worker threads, through the built CLI: --jobs changes the speed, never the
// network; --jobs is refused where it does not apply.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTsml } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const sp500 = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
const ws = mkdtempSync(join(tmpdir(), "tsml-e2e-lstm-threads-"));

function tsml(args: string[]) {
  return runTsml(["--workspace", ws, "--seed", "4", ...args]);
}

beforeAll(() => {
  if (!existsSync(join(root, "dist", "models", "kernels", "simd-kernels.wasm")))
    throw new Error("dist/ is missing the SIMD kernels: run `npm run build` first");
  expect(tsml(["ingest", "csv", sp500, "--ticker", "SPX"]).code).toBe(0);
});
afterAll(() => rmSync(ws, { recursive: true, force: true }));

describe("tsml train --model lstm --jobs", () => {
  // Batch 150: three shards of 50 windows, so 1, 2 and 3 threads split them differently.
  const args = ["train", "--ticker", "SPX", "--split-date", "2019-01-01", "--steps", "8", "--layers", "2"];
  const small = [...args, "--units", "12", "--batch", "150", "--iterations", "15", "--patience", "0"];

  it.each(["lstm", "lstm-clf"])("gives the same %s weights and metrics for 1, 2 and 3 threads", (model) => {
    const results = ["1", "2", "3"].map((jobs) => {
      const out = join(ws, `${model}-${jobs}`);
      const run = tsml(["--json", ...small, "--model", model, "--jobs", jobs, "-o", out]);
      expect(run.code, run.stderr).toBe(0);
      return { weights: readFileSync(join(out, "weights.bin")), metrics: JSON.parse(run.stdout).metrics };
    });
    expect(results[1].weights.equals(results[0].weights)).toBe(true);
    expect(results[2].weights.equals(results[0].weights)).toBe(true);
    expect(results[1].metrics).toEqual(results[0].metrics);
  });

  it("refuses a bad --jobs, and --jobs for dense-window", () => {
    const bad = tsml([...small, "--model", "lstm", "--jobs", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--jobs 0/);
    const dense = tsml([...args, "--model", "dense-window", "--jobs", "2"]);
    expect(dense.code).toBe(2);
    expect(dense.stderr).toMatch(/--jobs applies to tabular models, not dense-window/);
  });
});
