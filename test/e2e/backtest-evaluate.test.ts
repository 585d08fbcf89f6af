// End to end with the built CLI (`npm run build` first): tsml backtest (seed 000 numbers, realism options,
// multi-ticker) and tsml evaluate (metrics, gates and their exit codes, the metrics history, --to-db).

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProvenance } from "../../src/artifacts/provenance.js";
import { readTable, tableMeta, writeTable } from "../../src/artifacts/table-io.js";
import { Frame } from "../../src/frame/frame.js";
import { runTsml } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-backtest-"));
const ws = join(dir, "ws");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--no-color", ...args]);
const reference = JSON.parse(
  readFileSync(join(root, "test", "fixtures", "backtest", "seed000-reference.json"), "utf8"),
);

/** pandas `ewm(span, adjust=False).mean()`. */
function ewm(x: Float64Array, span: number): Float64Array {
  const a = 2 / (span + 1);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = i === 0 ? x[0] : (1 - a) * out[i - 1] + a * x[i];
  return out;
}

/** Seed 000 columns from the bundled S&P 500 CSV: price (close), open, delta_tm, macd_binary, up_down_tm. */
function sp500Columns() {
  const csv = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
  const lines = readFileSync(csv, "utf8").trim().split("\n").slice(1);
  const n = lines.length;
  const time = new Float64Array(n);
  const open = new Float64Array(n);
  const price = new Float64Array(n);
  lines.forEach((line, i) => {
    const c = line.split(",");
    time[i] = Date.parse(`${c[0]}T00:00:00Z`);
    open[i] = Number(c[1]);
    price[i] = Number(c[4]);
  });
  const e26 = ewm(price, 26);
  const macd = ewm(price, 12).map((v, i) => v - e26[i]);
  const signal = ewm(macd, 9);
  const macdBinary = macd.map((v, i) => (v > signal[i] ? 1 : 0));
  const deltaTm = price.map((p, i) => (i + 1 < n ? price[i + 1] - p : Number.NaN));
  const upDown = deltaTm.map((d) => (Number.isNaN(d) ? Number.NaN : d > 0 ? 1 : 0));
  return { time, open, price, delta_tm: deltaTm, macd_binary: macdBinary, up_down_tm: upDown };
}

beforeAll(async () => {
  if (!existsSync(join(root, "dist", "cli", "main.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
  const { time, ...columns } = sp500Columns();
  const provenance = await makeProvenance({ command: "e2e fixture", options: {} });
  await writeTable(
    join(ws, "features", "SPX.parquet"),
    Frame.fromColumns("SPX", time, columns),
    tableMeta("features", provenance),
  );
  // A second ticker (the same series scaled) for the multi-ticker run.
  const scaled = Object.fromEntries(
    Object.entries(columns).map(([k, v]) => [
      k,
      k === "macd_binary" || k === "up_down_tm" ? v : v.map((x) => x * 2),
    ]),
  );
  const panel = Frame.concat([
    Frame.fromColumns("SPX", time, columns),
    Frame.fromColumns("SPX2", time, scaled),
  ]);
  await writeTable(join(dir, "panel.parquet"), panel, tableMeta("features", provenance));
  // Predictions: the MACD rule as `pred`, a noisy probability, the label, and the split date train records.
  const proba = columns.macd_binary.map((v, i) => 0.35 + 0.3 * v + 0.05 * Math.sin(i));
  const predictions = Frame.fromColumns("SPX", time, {
    pred: columns.macd_binary,
    proba,
    up_down_tm: columns.up_down_tm,
    price: columns.price,
    delta_tm: columns.delta_tm,
  });
  await writeTable(
    join(ws, "predictions", "SPX.parquet"),
    predictions,
    tableMeta("predictions", provenance, {
      modelId: "SPX/macd@test",
      target: "up_down_tm",
      splitDate: "2015-01-02",
    }),
  );
  // Degenerate inputs for the charts: one row, all-NaN prices, a flat price.
  const days3 = time.subarray(0, 3);
  const tiny = {
    one: Frame.fromColumns("ONE", time.subarray(0, 1), {
      price: Float64Array.of(10),
      sig: Float64Array.of(1),
    }),
    nan: Frame.fromColumns("NAN", days3, {
      price: Float64Array.of(Number.NaN, Number.NaN, Number.NaN),
      sig: Float64Array.of(1, 0, 1),
    }),
    flat: Frame.fromColumns("FLAT", days3, {
      price: Float64Array.of(5, 5, 5),
      sig: Float64Array.of(1, 1, 1),
    }),
  };
  for (const [name, frame] of Object.entries(tiny))
    await writeTable(join(dir, `${name}.parquet`), frame, tableMeta("features", provenance));
  // tsml predict's sequence layout: `prediction` for the next bar and the price it was made after, no actual.
  const next = columns.price.subarray(1, 201);
  const sequence = Frame.fromColumns("SEQ", time.subarray(0, 200), {
    prediction: next.map((p, i) => p * (1 + 0.02 * Math.sin(i))),
    close: columns.price.subarray(0, 200),
  });
  await writeTable(
    join(dir, "sequence.parquet"),
    sequence,
    tableMeta("predictions", provenance, { model: "lstm", target: "close" }),
  );
  // Sequence-style forecasts with actuals for the regression gates (sMAPE of about 2%).
  const forecast = Frame.fromColumns("LSTM", time.subarray(0, 200), {
    pred: columns.price.subarray(0, 200).map((p, i) => p * (1 + 0.02 * Math.sin(i))),
    actual: columns.price.subarray(0, 200),
  });
  await writeTable(
    join(dir, "forecast.parquet"),
    forecast,
    tableMeta("predictions", provenance, { modelId: "LSTM/lstm" }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("tsml backtest", () => {
  it("reproduces seed 000's pandas numbers from a features table with --signal", async () => {
    const out = join(dir, "seed.parquet");
    const run = tsml(
      "backtest",
      "-i",
      join(ws, "features", "SPX.parquet"),
      "--signal",
      "macd_binary",
      "--split-date",
      reference.date_test,
      "-o",
      out,
      "--no-chart",
    );
    expect(run.code, run.stderr).toBe(0);
    const { frame, meta } = await readTable(out);
    expect(meta?.kind).toBe("backtest");
    for (const c of [
      "price",
      "signal",
      "position",
      "profit",
      "buy",
      "sell",
      "profit_cumul_train",
      "profit_cumul_test",
      "equity",
      "drawdown",
    ])
      expect(frame.has(c), c).toBe(true);
    const expected = reference.strategies["long-only"];
    const sum = (name: string) => frame.get(name).reduce((s, v) => s + v, 0);
    expect(sum("buy")).toBe(expected.buys);
    expect(sum("sell")).toBe(expected.sells);
    expect(frame.get("profit_cumul_test")[frame.length - 2]).toBeCloseTo(expected.last_test_cumul, 6);
    for (const s of expected.samples.slice(0, 20)) expect(frame.get("position")[s.row]).toBe(s.position);
    expect(existsSync(join(dir, "seed.metrics.json"))).toBe(true);
  });

  it("backtests workspace predictions with their split date, long-short, and prints the charts", async () => {
    const run = tsml("backtest", "--ticker", "SPX", "--strategy", "long-short");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/test B&H/);
    expect(run.stdout).toMatch(/cumulative P&L/);
    const { frame, meta } = await readTable(join(ws, "backtests", "SPX.parquet"));
    expect(meta?.details.splitDate).toBe("2015-01-02");
    expect(frame.get("profit_cumul_test")[frame.length - 2]).toBeCloseTo(
      reference.strategies["long-short"].last_test_cumul,
      6,
    );
  });

  it("applies realism options (TWSE preset, next-open fills, percent-equity sizing)", () => {
    const run = tsml(
      "--json",
      "backtest",
      "-i",
      join(ws, "features", "SPX.parquet"),
      "--signal",
      "macd_binary",
      "--market",
      "tw",
      "--execution",
      "next-open",
      "--capital",
      "10000000",
      "--sizing",
      "percent-equity",
      "--split-date",
      "2015-01-02",
      "-o",
      join(dir, "tw.parquet"),
    );
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.tickers.SPX.seedMode).toBe(false);
    // Fees and the sell tax make the realistic run earn less than seed arithmetic on the same signals.
    const seed = JSON.parse(
      tsml(
        "--json",
        "backtest",
        "-i",
        join(ws, "features", "SPX.parquet"),
        "--signal",
        "macd_binary",
        "--capital",
        "10000000",
        "--sizing",
        "percent-equity",
        "--split-date",
        "2015-01-02",
        "-o",
        join(dir, "pe.parquet"),
      ).stdout,
    );
    expect(summary.tickers.SPX.test.total_return).toBeLessThan(seed.tickers.SPX.test.total_return);
  });

  it("backtests every ticker of a panel and adds the equal-weight combined line", () => {
    const run = tsml(
      "--json",
      "backtest",
      "-i",
      join(dir, "panel.parquet"),
      "--signal",
      "macd_binary",
      "--split-date",
      "2015-01-02",
      "-o",
      join(dir, "panel-bt.parquet"),
    );
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(Object.keys(summary.tickers)).toEqual(["SPX", "SPX2"]);
    // SPX2 is SPX at twice the price: same returns, so the combined line has SPX's return.
    expect(summary.combined.test.total_return).toBeCloseTo(summary.tickers.SPX.test.total_return, 9);
    // One spelling per file: no camelCase metric name anywhere in the summary.
    expect(JSON.stringify(summary)).not.toMatch(/"(totalReturn|maxDrawdown|hitRate|profitFactor)"/);
  });

  it("charts one-row, all-NaN and flat inputs without failing", () => {
    for (const name of ["one", "nan", "flat"]) {
      const run = tsml(
        "backtest",
        "-i",
        join(dir, `${name}.parquet`),
        "--signal",
        "sig",
        "-o",
        join(dir, `${name}-bt.parquet`),
      );
      expect(run.code, `${name}: ${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/drawdown/);
    }
  });

  it("rejects bad flags with exit 2", () => {
    expect(tsml("backtest", "--ticker", "SPX", "--strategy", "sideways").code).toBe(2);
    expect(tsml("backtest", "--ticker", "SPX", "--sizing", "fixed-cash").code).toBe(2);
    expect(tsml("backtest", "--ticker", "SPX", "--market", "mars").code).toBe(2);
    const missing = tsml("backtest", "-i", join(ws, "features", "SPX.parquet"), "--signal", "nope");
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no signal column "nope".*macd_binary/);
  });
});

describe("tsml evaluate", () => {
  it("passes and fails gates with exit codes 0, 5 and 2", () => {
    const ok = tsml("evaluate", "--ticker", "SPX", "--fail-if", "roc_auc<0.01");
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/overall_score/);
    const failed = tsml(
      "evaluate",
      "--ticker",
      "SPX",
      "--last",
      "40",
      "--fail-if",
      "roc_auc<0.99",
      "--fail-if",
      "sharpe<-100",
    );
    expect(failed.code).toBe(5);
    expect(failed.stderr).toMatch(/gate failed: roc_auc<0\.99 on SPX/);
    expect(failed.stderr).not.toMatch(/sharpe<-100 on/);
    expect(tsml("evaluate", "--ticker", "SPX", "--fail-if", "rocauc<0.8").code).toBe(2);
    expect(tsml("evaluate", "--ticker", "SPX", "--fail-if", "smape>100").code).toBe(2);
    expect(tsml("evaluate", "--ticker", "SPX", "--last", "0").code).toBe(2);
    const metrics = JSON.parse(readFileSync(join(ws, "metrics", "SPX.json"), "utf8"));
    expect(metrics.kind).toBe("metrics");
    expect(metrics.metrics.rows).toBe(40);
  });

  it("reports the backtest's test-window numbers for a backtest artifact", () => {
    const run = tsml("--json", "evaluate", "--ticker", "SPX", "--no-record");
    expect(run.code, run.stderr).toBe(0);
    const metrics = JSON.parse(run.stdout).tickers.SPX.metrics;
    const backtest = JSON.parse(readFileSync(join(ws, "backtests", "SPX.metrics.json"), "utf8"));
    expect(metrics.total_return).toBeCloseTo(backtest.tickers.SPX.test.total_return, 10);
    expect(metrics.sharpe).toBeCloseTo(backtest.tickers.SPX.test.sharpe, 10);
    expect(metrics.trades).toBe(backtest.tickers.SPX.test.trades);
  });

  it("scores forecasts with seed 003's sMAPE and gates on it", () => {
    const forecast = join(dir, "forecast.parquet");
    const pass = tsml(
      "--json",
      "evaluate",
      "-i",
      forecast,
      "--fail-if",
      "smape>100",
      "-o",
      join(dir, "f.json"),
    );
    expect(pass.code, pass.stderr).toBe(0);
    const smape = JSON.parse(pass.stdout).tickers.LSTM.metrics.smape;
    expect(smape).toBeGreaterThan(0.5);
    expect(smape).toBeLessThan(2.5);
    expect(tsml("evaluate", "-i", forecast, "--fail-if", "smape>0.5", "-o", join(dir, "f.json")).code).toBe(
      5,
    );
    // Without an actual column the next row's close is the realised value: the same ~2% error.
    const seq = tsml("--json", "evaluate", "-i", join(dir, "sequence.parquet"), "-o", join(dir, "s.json"));
    expect(seq.code, seq.stderr).toBe(0);
    const metrics = JSON.parse(seq.stdout).tickers.SEQ.metrics;
    expect(metrics.rows).toBe(199);
    expect(metrics.smape).toBeCloseTo(smape, 0);
  });

  it("keeps a metrics history and shows its trend; --to-db appends to a database", async () => {
    const url = `duckdb:${join(dir, "metrics.duckdb")}`;
    expect(tsml("evaluate", "--ticker", "SPX", "--to-db", url, "--to-table", "monitoring").code).toBe(0);
    const history = tsml("--json", "evaluate", "--history", "--ticker", "SPX", "--metric", "roc_auc");
    expect(history.code, history.stderr).toBe(0);
    const trend = JSON.parse(history.stdout).trend.SPX;
    expect(trend.length).toBeGreaterThanOrEqual(3);
    expect(typeof trend[0].metrics.roc_auc).toBe("number");
    expect(tsml("evaluate", "--history", "--metric", "bogus").code).toBe(2);
    const instance = await DuckDBInstance.create(join(dir, "metrics.duckdb"));
    const connection = await instance.connect();
    const rows = (
      await connection.runAndReadAll("SELECT count(*) FROM monitoring WHERE metric = 'roc_auc'")
    ).getRows();
    expect(Number(rows[0][0])).toBe(1);
    connection.closeSync();
    instance.closeSync();
  });
});
