// End to end with the built CLI (`npm run build` first): backtest windows, starting equity, sizing and bar
// frequency, checked against pandas (test/fixtures/backtest/window-reference.json), closed forms and invariants.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProvenance } from "../../src/artifacts/provenance.js";
import { readTable, tableMeta, writeTable } from "../../src/artifacts/table-io.js";
import { Frame } from "../../src/frame/frame.js";
import { runTsml } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-windows-"));
const ws = join(dir, "ws");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--no-color", ...args]);
const reference = JSON.parse(
  readFileSync(join(root, "test", "fixtures", "backtest", "window-reference.json"), "utf8"),
);
const vega = (name: string) =>
  readFileSync(join(root, "node_modules", "vega-datasets", "data", name), "utf8");

/** pandas `ewm(span, adjust=False).mean()`. */
function ewm(x: Float64Array, span: number): Float64Array {
  const a = 2 / (span + 1);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = i === 0 ? x[0] : (1 - a) * out[i - 1] + a * x[i];
  return out;
}

function macdBinary(price: Float64Array): Float64Array {
  const e26 = ewm(price, 26);
  const macd = ewm(price, 12).map((v, i) => v - e26[i]);
  const signal = ewm(macd, 9);
  return macd.map((v, i) => (v > signal[i] ? 1 : 0));
}

function monthly(symbol: string) {
  const rows = vega("stocks.csv")
    .trim()
    .split("\n")
    .map((r) => r.split(","))
    .filter((r) => r[0] === symbol);
  const time = Float64Array.from(rows, (r) => Date.parse(`${r[1]} UTC`));
  const price = Float64Array.from(rows, (r) => Number(r[2]));
  return { time, price };
}

/** |actual - expected| within 1e-9, relative beyond 1. */
const near = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected)),
  );

const REFERENCE_KEYS = [
  "total_pnl",
  "total_return",
  "cagr",
  "volatility",
  "sharpe",
  "sortino",
  "max_drawdown",
];

beforeAll(async () => {
  const provenance = await makeProvenance({ command: "e2e fixture", options: {} });
  // S&P 500 in seed 000's features layout: the last 7 rows dropped, delta_tm still from the full series.
  const rows = vega("sp500-2000.csv").trim().split("\n").slice(1);
  const allPrice = Float64Array.from(rows, (r) => Number(r.split(",")[4]));
  const k = rows.length - 7;
  const time = Float64Array.from(rows.slice(0, k), (r) => Date.parse(`${r.split(",")[0]}T00:00:00Z`));
  const price = allPrice.slice(0, k);
  const deltaTm = price.map((p, i) => allPrice[i + 1] - p);
  const macd = macdBinary(allPrice).slice(0, k);
  await writeTable(
    join(dir, "spx.parquet"),
    Frame.fromColumns("SPX", time, { price, delta_tm: deltaTm, macd_binary: macd }),
    tableMeta("features", provenance),
  );
  for (const symbol of ["IBM", "GOOG", "MSFT"]) {
    const m = monthly(symbol);
    await writeTable(
      join(dir, `${symbol}.parquet`),
      Frame.fromColumns(symbol, m.time, {
        price: m.price,
        macd_binary: macdBinary(m.price),
        always: new Float64Array(m.price.length).fill(1),
      }),
      tableMeta("features", provenance),
    );
  }
  const ibm = monthly("IBM");
  const msft = monthly("MSFT");
  await writeTable(
    join(dir, "panel.parquet"),
    Frame.concat([
      Frame.fromColumns("IBM", ibm.time, {
        price: ibm.price,
        always: new Float64Array(ibm.time.length).fill(1),
      }),
      Frame.fromColumns("MSFT", msft.time, {
        price: msft.price,
        always: new Float64Array(msft.time.length).fill(1),
      }),
    ]),
    tableMeta("features", provenance),
  );
  // Mixed frequencies in one panel: monthly IBM beside the daily S&P 500.
  await writeTable(
    join(dir, "mixed.parquet"),
    Frame.concat([
      Frame.fromColumns("IBM", ibm.time, {
        price: ibm.price,
        always: new Float64Array(ibm.time.length).fill(1),
      }),
      Frame.fromColumns("SPX", time, { price, always: new Float64Array(k).fill(1) }),
    ]),
    tableMeta("features", provenance),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("backtest windows from the CLI", () => {
  it("S&P 500, percent-equity: the test window starts at the account's equity and matches pandas", () => {
    const out = join(dir, "spx-pe.parquet");
    const run = tsml(
      "--json",
      "backtest",
      "-i",
      join(dir, "spx.parquet"),
      "--signal",
      "macd_binary",
      "--capital",
      "10000",
      "--sizing",
      "percent-equity",
      "--split-date",
      "2016-01-01",
      "-o",
      out,
    );
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout).tickers.SPX;
    // The issue: test buy-and-hold was 43.85% while the close went from 2012.66 to 2659.41.
    expect(summary.test.benchmark_total_return).toBeCloseTo(2659.409912 / 2012.660034 - 1, 12);
    const expected = reference.sp500_features.strategies.macd_percent_equity;
    for (const w of ["train", "test", "whole"]) {
      near(summary[w].start_equity, expected[w].strategy.start_equity);
      for (const key of REFERENCE_KEYS) near(summary[w][key], expected[w].strategy[key]);
      near(summary[w].benchmark_total_return, expected[w].buy_and_hold.total_return);
    }
    expect(summary.test.start_equity).not.toBe(10000);
    expect(run.stderr).not.toMatch(/cash goes negative/);
  });

  it("seed mode's default capital: per-window, the seed's P&L columns unchanged, long-only never past -100%", async () => {
    const out = join(dir, "spx-seed.parquet");
    const run = tsml(
      "--json",
      "backtest",
      "-i",
      join(dir, "spx.parquet"),
      "--signal",
      "macd_binary",
      "--split-date",
      "2016-01-01",
      "-o",
      out,
    );
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout).tickers.SPX;
    expect(summary.capitalMode).toBe("per-window");
    const expected = reference.sp500_features.strategies.macd_seed_long_only;
    for (const w of ["train", "test", "whole"]) {
      near(summary[w].start_equity, expected[w].strategy.start_equity);
      for (const key of REFERENCE_KEYS) near(summary[w][key], expected[w].strategy[key]);
      expect(summary[w].max_drawdown).toBeLessThanOrEqual(1);
    }
    const { frame, meta } = await readTable(out);
    const input = (await readTable(join(dir, "spx.parquet"))).frame;
    // Seed 000's columns stay as they were: position = 100 on a 1, profit = position x delta_tm (the last row's
    // too, earned after the table ends), and only the metrics built on them moved.
    const signal = input.get("macd_binary");
    const deltaTm = input.get("delta_tm");
    const profit = frame.get("profit");
    const position = frame.get("position");
    for (let i = 0; i < profit.length; i++) {
      expect(position[i]).toBe(signal[i] === 1 ? 100 : 0);
      expect(profit[i]).toBe(position[i] * deltaTm[i]);
    }
    expect(meta?.details.capitalMode).toBe("per-window");
    const windows = (meta?.details.windows ?? {}) as Record<string, { test: { capital: number } }>;
    expect(windows.SPX.test.capital).toBe(summary.test.start_equity);
  });

  it.skipIf(!existsSync(join(root, "..", "shared", "data")))(
    "AAPL 1980-2020 through ingest and features: prices 200x the first one are not leverage (reads ../shared/data)",
    async () => {
      const aapl = join(root, "..", "shared", "data", "prices", "AAPL_1980-2020_yahoo.csv");
      const wsA = join(dir, "aapl");
      const cli = (...args: string[]) => runTsml(["--workspace", wsA, "--no-color", ...args]);
      expect(cli("--quiet", "ingest", "csv", aapl, "--ticker", "AAPL").code).toBe(0);
      expect(cli("--quiet", "features", "--ticker", "AAPL", "--set", "seed000").code).toBe(0);
      const features = (await readTable(join(wsA, "features", "AAPL.parquet"))).frame;
      const price = features.get("price");
      const split = features.time.findIndex((t) => t >= Date.UTC(2016, 0, 1));
      const seed = cli(
        "--json",
        "backtest",
        "--ticker",
        "AAPL",
        "--signal",
        "macd_binary",
        "--split-date",
        "2016-01-01",
      );
      expect(seed.code, seed.stderr).toBe(0);
      const s = JSON.parse(seed.stdout).tickers.AAPL;
      // Before: test return 4513.70%, volatility 557%, max drawdown 2364.89% on shares x the 1980 price.
      for (const w of ["train", "test", "whole"]) {
        expect(s[w].max_drawdown).toBeLessThanOrEqual(1);
        expect(s[w].start_equity).toBeGreaterThanOrEqual(100 * price[w === "test" ? split : 0]);
      }
      expect(s.test.benchmark_total_return).toBeCloseTo(price[price.length - 1] / price[split] - 1, 12);
      expect(s.train.benchmark_total_return).toBeCloseTo(price[split - 1] / price[0] - 1, 12);
      const pe = cli(
        "--json",
        "backtest",
        "--ticker",
        "AAPL",
        "--signal",
        "macd_binary",
        "--split-date",
        "2016-01-01",
        "--capital",
        "10000",
        "--sizing",
        "percent-equity",
      );
      expect(pe.code, pe.stderr).toBe(0);
      expect(pe.stderr).not.toMatch(/warning/);
      const p = JSON.parse(pe.stdout).tickers.AAPL;
      const equity = (await readTable(join(wsA, "backtests", "AAPL.parquet"))).frame.get("equity");
      expect(p.test.start_equity).toBeCloseTo(equity[split - 1], 6);
      expect(p.minCash).toBeGreaterThanOrEqual(0);
      for (const w of ["train", "test", "whole"]) expect(p[w].max_drawdown).toBeLessThanOrEqual(1);
    },
  );

  it("an explicit capital too small for 100 shares says the account is levered (one warning line)", () => {
    const run = tsml(
      "backtest",
      "-i",
      join(dir, "spx.parquet"),
      "--signal",
      "macd_binary",
      "--capital",
      "1000",
      "-o",
      join(dir, "spx-small.parquet"),
      "--no-chart",
    );
    expect(run.code, run.stderr).toBe(0);
    const warnings = run.stderr.split("\n").filter((l) => l.startsWith("warning:"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/SPX: cash goes negative \(lowest -\d+\.\d\d on \d{4}-\d\d-\d\d\)/);
  });

  it("monthly IBM: 12 periods per year inferred, printed and recorded; CAGR in closed form", async () => {
    const out = join(dir, "ibm.parquet");
    const run = tsml("--json", "backtest", "-i", join(dir, "IBM.parquet"), "--signal", "always", "-o", out);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/periods per year: 12 \(inferred: monthly bars, median spacing 31 days\)/);
    const body = JSON.parse(run.stdout);
    expect(body.periodsPerYear).toBe(12);
    const metricsFile = JSON.parse(readFileSync(join(dir, "ibm.metrics.json"), "utf8"));
    expect(metricsFile.periodsPerYear).toBe(12);
    expect((await readTable(out)).meta?.details.periodsPerYear).toBe(12);
    const { price } = monthly("IBM");
    const n = price.length;
    const total = price[n - 1] / price[0] - 1;
    const test = body.tickers.IBM.test;
    expect(test.rows).toBe(n - 1);
    expect(test.benchmark_total_return).toBeCloseTo(total, 12);
    // The issue: 486% with 252 bars a year; over n - 1 monthly bars it is 2.2% a year.
    expect(test.cagr).toBeCloseTo((1 + total) ** (12 / (n - 1)) - 1, 12);
    const ref = reference.ibm.strategies.always_long_seed.whole.buy_and_hold;
    near(test.cagr, ref.cagr);
    near(test.sharpe, ref.sharpe);
  });

  it("a monthly ticker beside a daily one is annualised by its own bars (12), as when it runs alone", async () => {
    const out = join(dir, "mixed-bt.parquet");
    const run = tsml("--json", "backtest", "-i", join(dir, "mixed.parquet"), "--signal", "always", "-o", out);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /periods per year, inferred from each ticker's own bars: 12 \(IBM\); 252 \(SPX\); the combined line pools them: 252/,
    );
    const body = JSON.parse(run.stdout);
    expect(body.tickers.IBM.periodsPerYear).toBe(12);
    expect(body.tickers.SPX.periodsPerYear).toBe(252);
    // Closed form over IBM's monthly closes: the 252-a-year figure would be (1 + total)^(252 / (n - 1)) - 1.
    const { price } = monthly("IBM");
    const n = price.length;
    const total = price[n - 1] / price[0] - 1;
    expect(body.tickers.IBM.test.cagr).toBeCloseTo((1 + total) ** (12 / (n - 1)) - 1, 12);
    const ref = reference.ibm.strategies.always_long_seed.whole.buy_and_hold;
    near(body.tickers.IBM.test.sharpe, ref.sharpe);
    const details = (await readTable(out)).meta?.details as {
      windows: Record<string, { periodsPerYear: number }>;
    };
    expect(details.windows.IBM.periodsPerYear).toBe(12);
    expect(details.windows.SPX.periodsPerYear).toBe(252);
    // evaluate measures each ticker of the file by its own recorded annualisation.
    const evaluated = tsml("--json", "evaluate", "-i", out, "--no-record", "-o", join(dir, "mixed-ev.json"));
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const measured = JSON.parse(evaluated.stdout).tickers;
    near(measured.IBM.metrics.sharpe, body.tickers.IBM.test.sharpe);
    near(measured.SPX.metrics.sharpe, body.tickers.SPX.test.sharpe);
  });

  it("evaluate annualises a backtest with the periods per year it recorded (--periods-per-year 365 wins)", () => {
    const out = join(dir, "spx-365.parquet");
    const run = tsml(
      "--json",
      "backtest",
      "-i",
      join(dir, "spx.parquet"),
      "--signal",
      "macd_binary",
      "--split-date",
      "2016-01-01",
      "--periods-per-year",
      "365",
      "-o",
      out,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/periods per year: 365 \(--periods-per-year\)/);
    const backtest = JSON.parse(run.stdout).tickers.SPX.test;
    const evaluated = tsml("--json", "evaluate", "-i", out, "--no-record", "-o", join(dir, "ev.json"));
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const metrics = JSON.parse(evaluated.stdout).tickers.SPX.metrics;
    for (const key of ["rows", "total_return", "cagr", "volatility", "sharpe", "sortino", "max_drawdown"])
      near(metrics[key], backtest[key]);
    // And 365 really is used: the pandas Sharpe at 252 scaled by sqrt(365 / 252).
    const at252 = reference.sp500_features.strategies.macd_seed_long_only.test.strategy.sharpe;
    near(metrics.sharpe, at252 * Math.sqrt(365 / 252));
  });

  it("GOOG monthly, percent-equity with costs: cash never below zero, pandas' numbers", () => {
    const run = tsml(
      "--json",
      "backtest",
      "-i",
      join(dir, "GOOG.parquet"),
      "--signal",
      "macd_binary",
      "--capital",
      "10000",
      "--sizing",
      "percent-equity",
      "--cost-bps",
      "10",
      "--commission",
      "1",
      "--slippage-bps",
      "5",
      "--split-date",
      "2007-01-01",
      "-o",
      join(dir, "goog.parquet"),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/warning/);
    const summary = JSON.parse(run.stdout).tickers.GOOG;
    const expected = reference.goog.strategies.macd_percent_equity_costs;
    expect(summary.minCash).toBeGreaterThanOrEqual(0);
    near(summary.minCash, expected.min_cash);
    for (const w of ["train", "test", "whole"])
      for (const key of REFERENCE_KEYS) near(summary[w][key], expected[w].strategy[key]);
  });

  it("the combined equal-weight line compounds the mean of each window's returns (always long = buy-and-hold)", () => {
    const run = tsml(
      "--json",
      "backtest",
      "-i",
      join(dir, "panel.parquet"),
      "--signal",
      "always",
      "--split-date",
      "2005-01-01",
      "-o",
      join(dir, "panel-bt.parquet"),
    );
    expect(run.code, run.stderr).toBe(0);
    const combined = JSON.parse(run.stdout).combined;
    const ibm = monthly("IBM");
    const msft = monthly("MSFT");
    // Same calendar: each window's line is prod(1 + mean of the two price returns) over its own months.
    const split = Date.UTC(2005, 0, 1);
    const growth = (from: number, to: number) => {
      let g = 1;
      let first = true;
      for (let i = 0; i < ibm.time.length; i++) {
        if (ibm.time[i] < from || ibm.time[i] >= to) continue;
        if (!first)
          g *= 1 + (ibm.price[i] / ibm.price[i - 1] - 1 + msft.price[i] / msft.price[i - 1] - 1) / 2;
        first = false;
      }
      return g - 1;
    };
    expect(combined.train.total_return).toBeCloseTo(growth(-Infinity, split), 12);
    expect(combined.test.total_return).toBeCloseTo(growth(split, Infinity), 12);
    expect(combined.whole.total_return).toBeCloseTo(growth(-Infinity, Infinity), 12);
    for (const w of ["train", "test", "whole"])
      expect(combined[w].total_return).toBeCloseTo(combined[w].benchmark_total_return, 12);
  });
});
