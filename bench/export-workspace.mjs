// Shared by the export benchmarks: a workspace with the bundled S&P 500 series (2000-2020, ~5,000 daily rows)
// run through ingest -> features -> train -> predict -> backtest -> evaluate with the built CLI.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
export const TSML = join(root, "bin", "tsml.js");
export const SP500 = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");

export function tsml(workspace, args, { check = true } = {}) {
  const run = spawnSync(
    process.execPath,
    [TSML, "--workspace", workspace, "--seed", "7", "--quiet", ...args],
    {
      encoding: "utf8",
      env: { ...process.env, TZ: "UTC" },
    },
  );
  if (check && run.status !== 0)
    throw new Error(`tsml ${args.join(" ")} failed (${run.status}): ${run.stderr}`);
  return run;
}

/** Builds (once) a workspace with a trained `model` for SPX; returns its path. */
export function prepareWorkspace(model) {
  const workspace = join(root, ".bench-data", `export-${model}`);
  if (existsSync(join(workspace, "backtests", "SPX.parquet"))) return workspace;
  tsml(workspace, ["ingest", "csv", SP500, "--ticker", "SPX"]);
  tsml(workspace, ["features", "--ticker", "SPX"]);
  tsml(workspace, ["train", "--ticker", "SPX", "--model", model, "--split-date", "2016-01-01"]);
  tsml(workspace, ["predict", "-m", join(workspace, "models", "SPX", `${model}.json`)]);
  tsml(workspace, ["backtest", "--ticker", "SPX"]);
  tsml(workspace, ["evaluate", "--ticker", "SPX"], { check: false });
  return workspace;
}
