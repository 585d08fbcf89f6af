// Files written by tsml's schema 1 (test/fixtures/artifacts/v1, made by make-v1.sh with the release before
// schema 2) read through today's readers, with the typed, migrated values.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Frame } from "../../frame/frame.js";
import { makeProvenance } from "../provenance.js";
import { writeTable } from "../table-io.js";
import { readArtifactTable } from "./artifact-table.js";
import { readBacktest } from "./backtest-artifact.js";
import { readBars } from "./bars-artifact.js";
import { readFeatures } from "./features-artifact.js";
import { readBacktestSummary, readEvaluation } from "./metrics-artifact.js";
import { readModelSplitFacts } from "./model-artifact.js";
import { readPredictions } from "./predictions-artifact.js";

const V1 = resolve(import.meta.dirname, "../../../test/fixtures/artifacts/v1");
const v1 = (name: string) => join(V1, name);
const json = (name: string) => JSON.parse(readFileSync(v1(name), "utf8"));
const dir = mkdtempSync(join(tmpdir(), "tsml-v1-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("schema-1 artifacts read through the kind readers", () => {
  it("bars", async () => {
    const { frame, meta } = await readBars(v1("bars.parquet"));
    expect(meta?.schemaVersion).toBe(1);
    expect(meta?.details).toMatchObject({
      source: "csv",
      tickers: ["AAPL"],
      derivedFromClose: [],
      adjusted: false,
    });
    expect(frame.length).toBe(300);
  });

  it("features: labels with their horizons, the feature names", async () => {
    const { meta } = await readFeatures(v1("features.parquet"));
    expect(meta?.details.set).toBe("seed000");
    expect(meta?.details.labels.find((l) => l.name === "up_down_1wk")).toEqual({
      name: "up_down_1wk",
      horizon: 7,
      kind: "classification",
    });
    expect(meta?.details.features).toContain("macd_binary");
    expect(meta?.details.source).toBeNull();
  });

  it("tabular predictions: model id, target, horizon, split date", async () => {
    const { meta } = await readPredictions(v1("predictions.parquet"));
    expect(meta?.schemaVersion).toBe(1);
    expect(meta?.details).toMatchObject({
      modelId: "AAPL/ols@31a8e7365b89",
      model: "ols",
      target: "up_down_1wk",
      horizon: 7,
      splitDate: "2017-08-01",
      // Absent in schema 1, null in schema 2.
      task: null,
      label: null,
      recursive: 0,
    });
  });

  it("sequence predictions: the forecast series and its horizon", async () => {
    const { meta } = await readPredictions(v1("predictions-lstm.parquet"));
    expect(meta?.details).toMatchObject({
      model: "lstm",
      task: "regression",
      target: "price",
      horizon: 1,
      splitDate: "2017-08-01",
      label: null,
      columns: ["prediction"],
    });
  });

  it("backtest: split date, periods per year, window rules and bases", async () => {
    const { meta } = await readBacktest(v1("backtest.parquet"));
    expect(meta?.details).toMatchObject({
      splitDate: "2017-08-01",
      periodsPerYear: 252,
      capitalMode: "per-window",
      shares: 100,
      modelId: "AAPL/ols@31a8e7365b89",
    });
    expect(meta?.details.windows.AAPL.test).toEqual({
      from: "2017-08-01",
      to: "2018-01-09",
      capital: 16102.000400000004,
    });
  });

  it("the union reader types each kind", async () => {
    const { meta } = await readArtifactTable(v1("backtest.parquet"), { kinds: ["predictions", "backtest"] });
    expect(meta?.kind).toBe("backtest");
    if (meta?.kind === "backtest") expect(meta.details.splitDate).toBe("2017-08-01");
  });

  it("metrics: an evaluation and a backtest summary, told apart", () => {
    const evaluation = readEvaluation(v1("metrics.json"));
    expect(evaluation?.evaluation).toMatchObject({ source: "evaluate", ticker: "AAPL" });
    expect(readBacktestSummary(v1("metrics.json"))).toBeNull();
    const summary = readBacktestSummary(v1("backtest.metrics.json"));
    expect(summary?.summary.periodsPerYear).toBe(252);
    expect(summary?.summary.tickers.AAPL.splitDate).toBe("2017-08-01");
    expect(readEvaluation(v1("backtest.metrics.json"))).toBeNull();
  });

  it("models: the split and the metrics of a tabular and of a sequence model", () => {
    const ols = readModelSplitFacts(v1("model-ols.json"));
    expect(ols.splitDate).toBe("2017-08-01");
    expect(ols.testMetrics.roc_auc).toBe(json("model-ols.json").metrics.test.roc_auc);
    expect(ols.trainMetrics.accuracy).toBe(json("model-ols.json").metrics.train.accuracy);
    const lstm = readModelSplitFacts(v1("model-lstm.tsml.json"));
    expect(lstm.splitDate).toBe("2017-08-01");
    expect(lstm.testMetrics.smape).toBe(json("model-lstm.tsml.json").metrics.smape);
    expect(lstm.trainMetrics).toEqual({});
  });
});

describe("schema-1 spellings migrate to one", () => {
  const write = async (name: string, kind: "predictions" | "backtest", version: number, details: object) => {
    const path = join(dir, name);
    const provenance = await makeProvenance({ command: "test", options: {} });
    const frame = Frame.fromColumns("X", Float64Array.of(Date.UTC(2020, 0, 2)), { pred: Float64Array.of(1) });
    await writeTable(path, frame, { kind, schemaVersion: version, provenance, details: { ...details } });
    return path;
  };

  it("a split date as the user typed it, or as epoch ms, reads as YYYY-MM-DD", async () => {
    const typed = await write("typed.parquet", "predictions", 1, { splitDate: "2015-01" });
    expect((await readPredictions(typed)).meta?.details.splitDate).toBe("2015-01-01");
    const ms = await write("ms.parquet", "backtest", 1, { splitDate: Date.UTC(2016, 0, 4) });
    expect((await readBacktest(ms)).meta?.details.splitDate).toBe("2016-01-04");
    const junk = await write("junk.parquet", "predictions", 1, { splitDate: "soon", horizon: "3" });
    expect((await readPredictions(junk)).meta?.details).toMatchObject({ splitDate: null, horizon: null });
  });

  it("a backtest without recorded window rules reads them as null", async () => {
    const old = await write("old.parquet", "backtest", 1, { splitDate: "2020-01-02", periodsPerYear: 0 });
    expect((await readBacktest(old)).meta?.details).toMatchObject({
      capitalMode: null,
      periodsPerYear: null,
    });
  });

  it("a file from a newer schema is refused (exit 3)", async () => {
    const future = await write("future.parquet", "predictions", 99, {});
    await expect(readPredictions(future)).rejects.toMatchObject({ exitCode: 3 });
  });
});
