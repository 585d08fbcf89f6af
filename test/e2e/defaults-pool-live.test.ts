// End to end with the built CLI on vega-datasets' stocks.csv (five stocks, monthly closes, no volume): the default
// feature set keeps rows there (checked against pandas), train prints the majority-class baseline and goes on
// past a failing ticker, seed 001's pool ranks and gates, one gate grammar for evaluate and the registry
// (with `previous`), and live predictions score the newest bar, over the CLI and GET /prediction.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTsml, TSML_BIN } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const stocks = join(root, "node_modules", "vega-datasets", "data", "stocks.csv");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-defaults-"));
const ws = join(dir, "ws");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--no-color", "--seed", "3", ...args]);
const SPLIT = "2008-01-01";

/** The pandas reference rows (test/fixtures/features/make_stationary_reference.py) for one symbol. */
function pandasRows(symbol: string): { date: string; values: Map<string, number> }[] {
  const [head, ...lines] = readFileSync(
    join(root, "test", "fixtures", "features", "stationary_stocks.csv"),
    "utf8",
  )
    .trim()
    .split("\n");
  const names = head.split(",");
  return lines
    .map((l) => l.split(","))
    .filter((cells) => cells[1] === symbol)
    .map((cells) => ({
      date: cells[0],
      values: new Map(names.slice(2).map((n, k) => [n, Number(cells[k + 2])])),
    }));
}

/** stocks.csv's closes for one symbol, oldest first, straight from the CSV. */
function closes(symbol: string): number[] {
  return readFileSync(stocks, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","))
    .filter((c) => c[0] === symbol)
    .map((c) => Number(c[2]));
}

beforeAll(() => {
  if (!existsSync(join(root, "dist", "cli", "main.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
  const ingest = tsml("--quiet", "ingest", "csv", stocks);
  expect(ingest.code, ingest.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("defaults a quant would defend, on monthly close-only stocks", () => {
  it("the default features keep pandas' rows for every stock, with no price level and no volume", () => {
    const run = tsml("--json", "--quiet", "features");
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    const rows = Object.fromEntries(
      summary.outputs.map((o: { ticker: string; rows: number }) => [o.ticker, o.rows]),
    );
    for (const symbol of ["AAPL", "AMZN", "GOOG", "IBM", "MSFT"])
      expect(rows[symbol]).toBe(pandasRows(symbol).length);
    expect(summary.features).toEqual([
      "ret_1",
      "ret_5",
      "ret_10",
      "ret_20",
      "rsi_14",
      "close_sma_10",
      "close_sma_20",
      "volatility_20",
    ]);
    expect(summary.labels.map((l: { name: string }) => l.name)).toEqual(["up_down_tm"]);
  });

  it("train prints the majority-class baseline beside accuracy and records it in the model's metrics", () => {
    const run = tsml("train", "--ticker", "MSFT", "--model", "ols", "--split-date", SPLIT, "--jobs", "1");
    expect(run.code, run.stderr).toBe(0);
    // Independently: pandas' up_down_tm for MSFT, the majority before the split and its share after it.
    const rows = pandasRows("MSFT");
    const train = rows.filter((r) => r.date < SPLIT).map((r) => r.values.get("up_down_tm"));
    const test = rows.filter((r) => r.date >= SPLIT).map((r) => r.values.get("up_down_tm"));
    const ones = train.filter((v) => v === 1).length;
    const majority = ones > train.length - ones ? 1 : 0;
    const share = test.filter((v) => v === majority).length / test.length;
    const model = JSON.parse(readFileSync(join(ws, "models", "MSFT", "ols.json"), "utf8"));
    expect(model.baseline).toEqual({
      class: majority,
      train: Math.max(ones, train.length - ones) / train.length,
      test: share,
    });
    expect(model.metrics.test.baseline_accuracy).toBe(share);
    expect(run.stdout).toContain(
      `test accuracy ${model.metrics.test.accuracy.toFixed(4)} vs ${share.toFixed(4)} always predicting ${majority}`,
    );
    expect(run.stdout).toMatch(/│ baseline_accuracy\s+│/);
  });

  it("a multi-ticker run goes on past a failing ticker, names it, and exits non-zero with a summary", () => {
    // GOOG's rows start in 2006-04 (listed 2004-08, plus the 20-month warm-up): no training rows before 2006.
    const run = tsml("--json", "train", "--model", "ols", "--split-date", "2006-01-01", "--jobs", "1");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/warning: train GOOG failed: --split-date 2006-01-01 is outside the data/);
    expect(run.stderr).toMatch(/^tsml: train: 1 failed \(4 succeeded\): GOOG: /m);
    // The four others were trained and written (in the failed run's folder: a failed run moves no latest pointer).
    const runs = readdirSync(join(ws, "runs")).map((id) => join(ws, "runs", id, "models"));
    for (const symbol of ["AAPL", "AMZN", "IBM", "MSFT"]) {
      const path = runs
        .map((r) => join(r, symbol, "ols.json"))
        .find((p) => existsSync(p) && readFileSync(p, "utf8").includes('"2006-01-01"'));
      expect(path, symbol).toBeDefined();
    }
    expect(
      runs.some(
        (r) =>
          existsSync(join(r, "GOOG", "ols.json")) &&
          readFileSync(join(r, "GOOG", "ols.json"), "utf8").includes('"2006-01-01"'),
      ),
    ).toBe(false);
  });
});

describe("seed 001's model pool", () => {
  it("ranks by cross-validated overall score and registers the best only when the seed's gate passes", () => {
    const run = tsml(
      "--json",
      "train",
      "--model",
      "pool",
      "--ticker",
      "AAPL",
      "--split-date",
      SPLIT,
      "--jobs",
      "1",
    );
    expect(run.code, run.stderr).toBe(0);
    const { models, pools } = JSON.parse(run.stdout);
    expect(models.map((m: { model: string }) => m.model)).toEqual([
      "rf",
      "gbdt",
      "ols",
      "knn",
      "sv",
      "mlp",
      "nn",
    ]);
    const [pool] = pools;
    expect(pool.scoring).toBe("overall");
    const scores = pool.ranking.map((r: { cvScore: number }) => r.cvScore);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
    expect(pool.best).toBe(pool.ranking[0].model);
    // Seed 001's formulas, from the confusion counts.
    const t = pool.ranking[0].test;
    const accuracy = (t.true_positives + t.true_negatives) / t.rows;
    const precision = t.true_positives / (t.true_positives + t.false_positives || 1);
    const positive = t.true_positives / (t.true_positives + t.false_negatives);
    const negative = t.true_negatives / (t.true_negatives + t.false_positives);
    const overall = 0.1 * accuracy + 0.4 * precision + 0.2 * negative + 0.3 * positive;
    expect(t.overall_score).toBeCloseTo(overall, 12);
    const passes = positive > 0.5 && negative > 0.5 && overall > 0.6;
    expect(pool.passed).toBe(passes);
    const listed = JSON.parse(tsml("--json", "registry", "ls").stdout).models;
    expect(listed.some((m: { ticker: string }) => m.ticker === "AAPL")).toBe(passes);
    if (!passes) expect(pool.refused).toMatch(/is false on its test metrics: /);
  });

  it("--register-if overrides the gate, in the same grammar; a bad condition stops before training", () => {
    const bad = tsml(
      "train",
      "--model",
      "rf,ols",
      "--ticker",
      "IBM",
      "--split-date",
      SPLIT,
      "--register-if",
      "acuracy>0.5",
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--register-if "acuracy>0\.5": unknown metric "acuracy"/);
    expect(existsSync(join(ws, "models", "IBM", "rf.json"))).toBe(false);
    const run = tsml(
      "--json",
      "train",
      "--model",
      "rf,ols",
      "--ticker",
      "IBM",
      "--split-date",
      SPLIT,
      "--jobs",
      "1",
      "--register-if",
      "accuracy >= 0 && (roc_auc >= 0 || rows > 0)",
    );
    expect(run.code, run.stderr).toBe(0);
    const [pool] = JSON.parse(run.stdout).pools;
    expect(pool.registered).toEqual({ name: "IBM_up", version: 1 });
    const shown = JSON.parse(tsml("--json", "registry", "show", "IBM_up").stdout);
    expect(shown.tags.classifier).toBe(pool.best);
  });
});

describe("one gate grammar, and gates against the previous run", () => {
  it("evaluate --fail-if takes && like the registry's --if, and compares with the previous run", () => {
    expect(tsml("--quiet", "predict", "-m", join(ws, "models", "MSFT", "ols.json")).code).toBe(0);
    const both = tsml("evaluate", "--ticker", "MSFT", "--no-record", "--fail-if", "accuracy<0 && roc_auc<0");
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout).toMatch(/ok {3}MSFT: accuracy<0 && roc_auc<0/);
    // First recorded run: no previous one, so the comparison is skipped (and said so).
    const first = tsml("evaluate", "--ticker", "MSFT", "--fail-if", "roc_auc < previous - 0.05");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/ok {3}MSFT: roc_auc < previous - 0\.05 \(no previous run/);
    // Second run, same predictions: roc_auc equals the previous one, so "< previous + 0.01" holds: exit 5.
    const second = tsml("evaluate", "--ticker", "MSFT", "--fail-if", "roc_auc < previous + 0.01");
    expect(second.code).toBe(5);
    expect(second.stderr).toMatch(
      /gate failed: roc_auc < previous \+ 0\.01 on MSFT \(roc_auc = [\d.]+ \(previous [\d.]+\)\)/,
    );
    const steady = tsml("evaluate", "--ticker", "MSFT", "--fail-if", "roc_auc < previous - 0.05");
    expect(steady.code, steady.stderr).toBe(0);
  });
});

describe("live predictions use the newest bar", () => {
  it("predict --registry and GET /prediction score the last bar, whose label is unknown, not the last labelled row", async () => {
    const register = tsml("--quiet", "registry", "register", "-m", join(ws, "models", "MSFT", "ols.json"));
    expect(register.code, register.stderr).toBe(0);
    const run = tsml("--json", "predict", "--registry", "--filter", "ticker=MSFT");
    expect(run.code, run.stderr).toBe(0);
    const [prediction] = JSON.parse(run.stdout).predictions;
    // stocks.csv's last MSFT bar is 2010-03-01; the features artifact's last row (a known label) is 2010-02-01.
    expect(pandasRows("MSFT").at(-1)?.date).toBe("2010-02-01");
    expect(prediction.date).toBe("2010-03-01");
    const c = closes("MSFT");
    const ret1 = c[c.length - 1] / c[c.length - 2] - 1;
    const ret5 = c[c.length - 1] / c[c.length - 6] - 1;
    const stored = await import("../../src/artifacts/kinds/predictions-artifact.js").then((m) =>
      m.readPredictions(join(ws, "registry", "predictions.parquet")),
    );
    const input = JSON.parse(stored.frame.text.get("input")!.at(-1)!);
    expect(input.ret_1).toBeCloseTo(ret1, 12);
    expect(input.ret_5).toBeCloseTo(ret5, 12);

    const child = spawn(process.execPath, [TSML_BIN, "--workspace", ws, "serve", "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d) => {
          out += d;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.on("exit", () => reject(new Error("serve exited early")));
      });
      const reply = await fetch(`${base}/prediction?symbol=MSFT&trend_type=up`);
      expect(reply.status).toBe(200);
      const body = (await reply.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ symbol: "MSFT", trend_type: "uptrend", date: "2010-03-01" });
      expect(body.prediction_probabilities).toBeCloseTo(prediction.proba, 12);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
