// Hand-made small artifacts (bars, features, logistic model, predictions, backtest, metrics) for the export,
// registry and serve tests, written through the real writers so the tests need no upstream command.

import { join } from "node:path";
import { jsonArtifact, writeJsonArtifact } from "../src/artifacts/json-artifact.js";
import { makeProvenance } from "../src/artifacts/provenance.js";
import { tableMeta, writeTable } from "../src/artifacts/table-io.js";
import { modelPath, tickerTablePath } from "../src/artifacts/workspace.js";
import { Frame } from "../src/frame/frame.js";
import { logisticRegressionFactory } from "../src/models/logistic/logistic-regression.js";

/** The logistic family's registry name (read, not assumed). */
export const LOGISTIC = logisticRegressionFactory.name;

export interface FixtureOptions {
  ticker?: string;
  rows?: number;
  /** Test metrics written into the model (seed 001's names, camelCase as src/metrics reports them). */
  testMetrics?: Record<string, number>;
}

export const FIXTURE_FEATURES = ["f1", "f2"];
export const FIXTURE_COEF = [0.8, -0.5];
export const FIXTURE_INTERCEPT = 0.1;
export const FIXTURE_SCALER = { mean: [0.1, -0.2], scale: [2, 0.5] };

/** The logistic model's probability of class 1 (scaled inputs), computed independently of the model code. */
export function fixtureProba(f1: number, f2: number): number {
  const z1 = (f1 - FIXTURE_SCALER.mean[0]) / FIXTURE_SCALER.scale[0];
  const z2 = (f2 - FIXTURE_SCALER.mean[1]) / FIXTURE_SCALER.scale[1];
  return 1 / (1 + Math.exp(-(FIXTURE_COEF[0] * z1 + FIXTURE_COEF[1] * z2 + FIXTURE_INTERCEPT)));
}

export function modelArtifactBody(ticker: string, testMetrics?: Record<string, number>) {
  return {
    ticker,
    model: LOGISTIC,
    params: { C: 1 },
    scaler: FIXTURE_SCALER,
    state: {
      model: LOGISTIC,
      params: { C: 1 },
      classes: [0, 1],
      state: { coef: FIXTURE_COEF, intercept: FIXTURE_INTERCEPT },
    },
    features: FIXTURE_FEATURES,
    target: "up_down_1wk",
    horizon: 5,
    training: { start: "2020-01-01", end: "2020-07-31", rows: 213 },
    splitDate: "2020-08-01",
    cv: {
      method: "walk-forward",
      splits: 2,
      bestIndex: 1,
      results: [
        { params: { C: 0.1 }, splitTestScores: [0.5, 0.6], meanTestScore: 0.55, stdTestScore: 0.05, rank: 2 },
        { params: { C: 1 }, splitTestScores: [0.6, 0.62], meanTestScore: 0.61, stdTestScore: 0.01, rank: 1 },
      ],
    },
    metrics: {
      train: { accuracy: 0.7, precision: 0.68 },
      test: testMetrics ?? {
        accuracy: 0.66,
        precision: 0.64,
        positiveAccuracy: 0.7,
        negativeAccuracy: 0.6,
        overallScore: 0.655,
        trueNegatives: 30,
        falsePositives: 20,
        falseNegatives: 15,
        truePositives: 35,
      },
    },
    importance: [
      { feature: "f1", permutation: 0.05, permutationStd: 0.01, gain: null, meanAbsShap: null },
      { feature: "f2", permutation: 0.02, permutationStd: 0.005, gain: null, meanAbsShap: null },
    ],
  };
}

/** Writes a complete one-ticker workspace; returns the paths written. */
export async function writeFixtureWorkspace(workspace: string, options: FixtureOptions = {}) {
  const ticker = options.ticker ?? "SPX";
  const n = options.rows ?? 250;
  const provenance = await makeProvenance({ command: "test fixture", options: { rows: n }, seed: 1 });
  const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1) + i * 86_400_000);
  const close = Float64Array.from({ length: n }, (_, i) => 100 + 10 * Math.sin(i / 15) + i * 0.05);
  const bars = Frame.fromColumns(ticker, time, {
    open: close.map((c) => c - 0.5),
    high: close.map((c) => c + 1),
    low: close.map((c) => c - 1),
    close,
  });
  const paths = {
    bars: tickerTablePath(workspace, "bars", ticker),
    features: tickerTablePath(workspace, "features", ticker),
    model: modelPath(workspace, ticker, LOGISTIC),
    predictions: tickerTablePath(workspace, "predictions", ticker),
    backtest: tickerTablePath(workspace, "backtests", ticker),
    metrics: tickerTablePath(workspace, "metrics", ticker, "json"),
  };
  await writeTable(paths.bars, bars, tableMeta("bars", provenance));
  const f1 = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 7));
  const f2 = Float64Array.from({ length: n }, (_, i) => Math.cos(i / 11));
  const label = Float64Array.from({ length: n }, (_, i) =>
    i < n - 5 ? (close[i + 5] > close[i] ? 1 : 0) : Number.NaN,
  );
  const features = Frame.fromColumns(ticker, time, { price: close, f1, f2, up_down_1wk: label });
  await writeTable(paths.features, features, tableMeta("features", provenance, { labels: ["up_down_1wk"] }));
  await writeJsonArtifact(
    paths.model,
    jsonArtifact("model", provenance, modelArtifactBody(ticker, options.testMetrics)),
  );
  const proba = Float64Array.from({ length: n }, (_, i) => fixtureProba(f1[i], f2[i]));
  const pred = proba.map((p) => (p > 0.5 ? 1 : 0));
  const predictions = Frame.fromColumns(ticker, time, { pred, proba, label, price: close }).withText(
    "model_id",
    new Array(n).fill(LOGISTIC),
  );
  await writeTable(
    paths.predictions,
    predictions,
    tableMeta("predictions", provenance, { splitDate: "2020-08-01" }),
  );
  const split = Date.UTC(2020, 7, 1);
  const position = pred.map((p) => (p === 1 ? 100 : 0));
  const profit = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) profit[i] = position[i] * (close[i + 1] - close[i]);
  const cumTrain = new Float64Array(n).fill(Number.NaN);
  const cumTest = new Float64Array(n).fill(Number.NaN);
  let a = 0;
  let b = 0;
  const capital = 100 * close[0];
  const equity = new Float64Array(n);
  const drawdown = new Float64Array(n);
  const bench = new Float64Array(n);
  let peak = capital;
  for (let i = 0; i < n; i++) {
    if (time[i] < split) cumTrain[i] = a += profit[i];
    else cumTest[i] = b += profit[i];
    equity[i] = capital + a + b;
    peak = Math.max(peak, equity[i]);
    drawdown[i] = equity[i] / peak - 1;
    bench[i] = capital + 100 * (close[Math.min(i + 1, n - 1)] - close[0]);
  }
  const buy = new Float64Array(n);
  const sell = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    buy[i] = position[i] > position[i - 1] ? 1 : 0;
    sell[i] = position[i] < position[i - 1] ? 1 : 0;
  }
  const backtest = Frame.fromColumns(ticker, time, {
    price: close,
    signal: pred,
    position,
    profit,
    buy,
    sell,
    profit_cumul_train: cumTrain,
    profit_cumul_test: cumTest,
    equity,
    drawdown,
    benchmark_equity: bench,
  });
  await writeTable(
    paths.backtest,
    backtest,
    tableMeta("backtest", provenance, {
      capital,
      splitDate: "2020-08-01",
      test: { sharpe: 0.9, totalReturn: 0.04 },
    }),
  );
  await writeJsonArtifact(
    paths.metrics,
    jsonArtifact("metrics", provenance, {
      ticker,
      test: { accuracy: 0.66, rocAuc: 0.7 },
      train: { accuracy: 0.7, rocAuc: 0.75 },
    }),
  );
  return { ticker, rows: n, paths, workspace, join: (...p: string[]) => join(workspace, ...p) };
}
