// Runs kept and compared with the built CLI on the bundled S&P 500: two training runs with different params
// side by side in `tsml compare` (text and --json, checked against the artifacts the runs wrote), `tsml runs`
// filters, a failing run that leaves the latest files where they were, run ids unique across processes, and a
// report that shows the model the backtest was made with, not the one trained after it.

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTsml, TSML_BIN } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-runs-"));
const ws = join(dir, "ws");
const sp500 = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--seed", "7", "--no-color", ...args]);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a step that must succeed and returns its --json summary. */
function ok(...args: string[]) {
  const run = tsml("--json", ...args);
  expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout);
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const modelFile = join(ws, "models", "SPX", "rf.json");
const trainArgs = ["train", "--ticker", "SPX", "--model", "rf", "--split-date", "2016-01-01", "--jobs", "1"];
const quick = ["--repeats", "1", "--importance-rows", "200", "--shap-rows", "50"];

interface Column {
  run: string;
  stage: string;
  status: string;
  modelId: string | null;
  params: Record<string, unknown>;
  metrics: Record<string, number | null>;
  backtestRun: string | null;
}

let first: string;
let second: string;
let backtestRun: string;
let firstModelSha: string;

beforeAll(() => {
  ok("ingest", "csv", sp500, "--ticker", "SPX");
  ok("features", "--ticker", "SPX");
  first = ok("--tag", "exp=small", ...trainArgs, ...quick, "--param", "n_estimators=8").run;
  firstModelSha = sha256(modelFile);
  ok("predict", "-m", modelFile);
  backtestRun = ok("backtest", "--ticker", "SPX", "--no-chart").run;
  second = ok(
    "--tag",
    "exp=deep",
    ...trainArgs,
    ...quick,
    "--param",
    "n_estimators=16",
    "--param",
    "max_depth=3",
  ).run;
}, 180_000);

describe("runs, kept and compared", () => {
  it("every stage run got its own id and folder, and the latest model is the second run's copy", () => {
    expect(new Set([first, second, backtestRun]).size).toBe(3);
    for (const id of [first, second, backtestRun]) expect(id).toMatch(/^\d{8}-\d{6}-[0-9a-f]{8}$/);
    const own = (id: string) => join(ws, "runs", id, "models", "SPX", "rf.json");
    expect(sha256(own(first))).toBe(firstModelSha);
    expect(sha256(modelFile)).toBe(sha256(own(second)));
    expect(sha256(own(second))).not.toBe(firstModelSha);
  });

  it("compare --json sets the two training runs side by side with their params, CV and test metrics", () => {
    const { runs } = ok("compare", first, second) as { runs: Column[] };
    expect(runs.map((c) => [c.run, c.stage, c.status])).toEqual([
      [first, "train", "finished"],
      [second, "train", "finished"],
    ]);
    expect(runs[0].params).toMatchObject({ n_estimators: 8 });
    expect(runs[1].params).toMatchObject({ n_estimators: 16, max_depth: 3 });
    // The numbers are the ones each run's own model file holds (read here directly, not through tsml).
    for (const column of runs) {
      const body = JSON.parse(readFileSync(join(ws, "runs", column.run, "models", "SPX", "rf.json"), "utf8"));
      expect(column.metrics["test.accuracy"]).toBe(body.metrics.test.accuracy);
      expect(column.metrics["test.roc_auc"]).toBe(body.metrics.test.roc_auc);
      expect(column.metrics.cv_score).toBe(body.cv.results[body.cv.bestIndex].meanTestScore);
      const sha = sha256(join(ws, "runs", column.run, "models", "SPX", "rf.json"));
      expect(column.modelId).toBe(`SPX/rf@${sha.slice(0, 12)}`);
    }
    // The first model was backtested: its backtest metrics join its column; the second has none yet.
    const summary = JSON.parse(
      readFileSync(join(ws, "runs", backtestRun, "backtests", "SPX.metrics.json"), "utf8"),
    );
    expect(runs[0].backtestRun).toBe(backtestRun);
    expect(runs[0].metrics["backtest.test.sharpe"]).toBe(summary.tickers.SPX.test.sharpe);
    expect(runs[0].metrics["backtest.test.total_return"]).toBe(summary.tickers.SPX.test.total_return);
    expect(runs[1].backtestRun).toBeNull();
    expect(runs[1].metrics["backtest.test.sharpe"]).toBeUndefined();
  });

  it("compare prints one column per run and marks the rows that differ", () => {
    const run = tsml("compare", first.slice(-8), second.slice(-8));
    expect(run.code, run.stderr).toBe(0);
    const header = run.stdout.split("\n").find((l) => l.includes(first)) ?? "";
    expect(header).toContain(second);
    expect(run.stdout).toMatch(/\* param n_estimators\s+│ 8\s+│ 16\s+│/);
    expect(run.stdout).toMatch(/\* tags\s+│ exp=small\s+│ exp=deep\s+│/);
    expect(run.stdout).toMatch(/ cv_score /);
    expect(run.stdout).toMatch(/ backtest\.test\.sharpe /);
    // Without ids: the newest runs of a stage.
    const newest = ok("compare", "--last", "2", "--stage", "train").runs as Column[];
    expect(newest.map((c) => c.run)).toEqual([first, second]);
    expect(tsml("compare", "no-such-run").code).toBe(2);
    expect(tsml("compare").code).toBe(2);
  });

  it("runs lists every run and filters by tag, stage, ticker and model", () => {
    const all = ok("runs").runs as { run: string; stage: string; model: string | null }[];
    expect(all.map((r) => r.stage)).toEqual(["train", "predict", "backtest", "train"]);
    expect(all.every((r) => r.model === "rf")).toBe(true);
    expect(ok("--tag", "exp=deep", "runs").runs.map((r: { run: string }) => r.run)).toEqual([second]);
    expect(ok("runs", "--stage", "train").runs.map((r: { run: string }) => r.run)).toEqual([first, second]);
    expect(ok("runs", "--ticker", "AAPL").runs).toEqual([]);
    expect(ok("runs", "--model", "gbdt").runs).toEqual([]);
    expect(tsml("runs", "--stage", "sing").code).toBe(2);
  });

  it("the report shows the model the backtest was made with, from its run, not the newer latest model", () => {
    const report = join(dir, "report.html");
    // Strict (nothing rebuilt): the backtest on disk was made with the first model, trained before the second.
    const strict = ok("--no-build", "export", "report", "--ticker", "SPX", "-o", report);
    const models = (strict.inputs as string[]).filter((p) => p.includes("/models/"));
    expect(models).toEqual([join(ws, "runs", first, "models", "SPX", "rf.json")]);
    expect(sha256(models[0])).toBe(firstModelSha);
    // The predictions shown are the ones the backtest read (made by the first model).
    expect(strict.inputs).toContain(join(ws, "predictions", "SPX.parquet"));
    const html = readFileSync(report, "utf8");
    // The model section is the first run's (its params and its run's path), nothing of the second's; the
    // second run appears only as a column of the run comparison, beside the first.
    const model = html.slice(html.indexOf("<h3>Model rf</h3>"), html.indexOf("<h3>Runs compared</h3>"));
    expect(model).toContain(`runs/${first}/models/SPX/rf.json`);
    expect(model).not.toContain("max_depth=3");
    expect(html).not.toContain(`runs/${second}/`);
    const compared = html.slice(html.indexOf("<h3>Runs compared</h3>"), html.indexOf('id="provenance"'));
    expect(compared).toContain(first);
    expect(compared).toContain(second);
  });

  it("a failing run leaves the latest files and pointers where they were", () => {
    const latestBacktest = join(ws, "backtests", "SPX.parquet");
    const before = sha256(latestBacktest);
    const pointer = join(ws, "runs", "latest", "SPX", "rf.json");
    // Predictions the backtest scores first from the newer model are a run of their own that succeeds; the
    // backtest's own pointer is the one that must stay.
    const backtestPointer = () => JSON.parse(readFileSync(pointer, "utf8")).stages.backtest;
    const pointerBefore = backtestPointer();
    // The stage runs, but its metrics cannot replace a folder that sits where the latest one goes.
    rmSync(join(ws, "backtests", "SPX.metrics.json"));
    mkdirSync(join(ws, "backtests", "SPX.metrics.json", "blocker"), { recursive: true });
    const run = tsml("backtest", "--ticker", "SPX", "--no-chart", "--cost-bps", "25");
    expect(run.code, run.stderr).toBe(6);
    expect(sha256(latestBacktest)).toBe(before);
    expect(backtestPointer()).toEqual(pointerBefore);
    const failed = ok("runs", "--status", "failed").runs as { run: string; stage: string }[];
    expect(failed.map((r) => r.stage)).toEqual(["backtest"]);
    // Its own copy is kept (nothing is lost), and it is not the latest.
    const own = join(ws, "runs", failed[0].run, "backtests", "SPX.parquet");
    expect(existsSync(own)).toBe(true);
    expect(sha256(own)).not.toBe(before);
    rmSync(join(ws, "backtests", "SPX.metrics.json"), { recursive: true });

    // A run that fails on its flags is recorded as failed and moves nothing either.
    const modelBefore = sha256(modelFile);
    const bad = tsml(...trainArgs, "--param", "n_estimators=-3");
    expect(bad.code).toBe(2);
    expect(bad.stderr.split("\n")[0]).toMatch(/^tsml: /);
    expect(sha256(modelFile)).toBe(modelBefore);
    expect(ok("runs", "--status", "failed", "--stage", "train").runs).toHaveLength(1);
  });

  it("runs started at once in separate processes get distinct ids and one consistent latest", async () => {
    const predictOnce = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [TSML_BIN, "--workspace", ws, "--json", "--quiet", "predict", "-m", modelFile],
          { env: { ...process.env, TZ: "UTC" } },
        );
        let out = "";
        child.stdout.on("data", (d) => {
          out += d;
        });
        child.on("error", reject);
        child.on("close", (code) =>
          code === 0 ? resolve(JSON.parse(out).run) : reject(new Error(`exit ${code}`)),
        );
      });
    const ids = await Promise.all([predictOnce(), predictOnce(), predictOnce()]);
    expect(new Set(ids).size).toBe(3);
    const pointer = JSON.parse(readFileSync(join(ws, "runs", "latest", "SPX", "rf.json"), "utf8"));
    expect(ids).toContain(pointer.stages.predict.run);
    // The latest predictions are byte for byte the copy of the run the pointer names.
    expect(sha256(join(ws, "predictions", "SPX.parquet"))).toBe(
      sha256(join(ws, "runs", pointer.stages.predict.run, "predictions", "SPX.parquet")),
    );
  }, 60_000);
});
