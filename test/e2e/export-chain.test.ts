// The whole chain with the built CLI on the bundled S&P 500: ingest -> features -> train -> predict -> backtest
// -> evaluate -> export report -> registry register -> predict --registry, each stage reading the last one's
// artifacts from the workspace.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runTsml } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-chain-"));
const ws = join(dir, "ws");
const sp500 = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--seed", "7", "--no-color", ...args]);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("ingest to report, registry and batch predictions", () => {
  it("runs every stage and the report shows what they wrote", () => {
    const steps = [
      ["ingest", "csv", sp500, "--ticker", "SPX"],
      ["features", "--ticker", "SPX", "--set", "seed000"],
      ["train", "--ticker", "SPX", "--model", "ols", "--split-date", "2016-01-01", "--jobs", "1"],
      ["predict", "-m", join(ws, "models", "SPX", "ols.json")],
      ["backtest", "--ticker", "SPX"],
    ];
    for (const step of steps) {
      const run = tsml(...step);
      expect(run.code, `${step.join(" ")}: ${run.stderr}`).toBe(0);
    }
    // evaluate may exit 5 when a configured gate holds; the metrics file is what the report needs.
    tsml("evaluate", "--ticker", "SPX");
    const report = join(dir, "report.html");
    const run = tsml("--json", "export", "report", "--ticker", "SPX", "-o", report);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.inputs.length).toBeGreaterThanOrEqual(4);
    const html = readFileSync(report, "utf8");
    expect(html).toContain("Buy/Sell Signals for SPX");
    expect(html).toContain('data-name="buy-and-hold"');
    expect(html).toContain("Drawdown of SPX");
    expect(html).toContain("permutation feature importance (ols, SPX)");
    expect(html).toContain("Confusion matrix, test (ols)");
    expect(html).toMatch(/class="boundary"/);

    const registered = tsml(
      "--json",
      "registry",
      "register",
      "-m",
      join(ws, "models", "SPX", "ols.json"),
      "--if",
      "accuracy>0",
    );
    expect(registered.code, registered.stderr).toBe(0);
    expect(JSON.parse(registered.stdout).tags.classifier).toBe("ols");
    const batch = tsml("--json", "predict", "--registry");
    expect(batch.code, batch.stderr).toBe(0);
    const p = JSON.parse(batch.stdout).predictions[0];
    const features = tsml(
      "export",
      "table",
      "-i",
      join(ws, "features", "SPX.parquet"),
      "--format",
      "csv",
      "-o",
      "-",
    );
    const lastRow = features.stdout.trimEnd().split("\n").at(-1) ?? "";
    // A live prediction is for the newest bar (the CSV's last date), whose 1-week label is not known yet:
    // not for the features artifact's last row, which seed000's up_down_1wk keeps 7 bars back.
    const lastBar = readFileSync(sp500, "utf8").trimEnd().split("\n").at(-1)?.split(",")[0];
    expect(p.date).toBe(lastBar);
    expect(p.date > lastRow.split(",")[1]).toBe(true);
    expect(p.proba).toBeGreaterThanOrEqual(0);
    expect(p.proba).toBeLessThanOrEqual(1);
    expect(existsSync(join(ws, "registry", "predictions.parquet"))).toBe(true);
  });
});
