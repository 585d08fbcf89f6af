// A forecaster scored after a classifier's backtest: predictions/SPX.parquet now holds the LSTM's forecasts, and
// the backtest was made from the rf's signals. evaluate must not rebuild that backtest from forecasts (no signal
// to trade: it exited 3) nor pair the two models in one ticker's metrics; it scores the forecasts and says why.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runTsml } from "../helpers/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-eval-forecast-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tsml = (...args: string[]) =>
  runTsml(["--seed", "3", ...args], { cwd: dir, env: { TSML_WORKSPACE: undefined, NO_COLOR: "1" } });

describe("evaluate after a forecaster replaced a classifier's predictions", () => {
  it("scores the forecasts and leaves the earlier backtest out", () => {
    for (const args of [
      [
        "train",
        "--ticker",
        "SPX",
        "--model",
        "rf",
        "--split-date",
        "2016-01-04",
        "--param",
        "n_estimators=10",
      ],
      ["backtest", "--ticker", "SPX", "--no-chart"],
      // A small, short LSTM: what matters is the kind of predictions it writes, not their quality.
      [
        "train",
        "--ticker",
        "SPX",
        "--model",
        "lstm",
        "--split-date",
        "2016-01-04",
        "--layers",
        "1",
        "--units",
        "8",
      ],
      ["predict", "-m", join("tsml-workspace", "models", "SPX", "lstm")],
    ]) {
      const extra = args.includes("lstm") ? ["--steps", "10", "--param", "iterations=5"] : [];
      const run = tsml(...args, ...extra);
      expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(0);
    }
    const evaluated = tsml("--json", "evaluate", "--ticker", "SPX", "--no-record");
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stderr).toContain("backtest SPX is stale and not rebuilt");
    expect(evaluated.stderr).toContain("evaluating the predictions only");
    const metrics = JSON.parse(evaluated.stdout).tickers.SPX.metrics as Record<string, number>;
    expect(metrics).toHaveProperty("rmse");
    // No trading metric of the rf's backtest beside the LSTM's forecast metrics.
    expect(metrics).not.toHaveProperty("sharpe");
  });
});
