// The tearsheet's worst drawdowns, monthly and yearly returns, rolling statistics and total returns against pandas
// (test/fixtures/report/make_report_reference.py): the same closes and positions, one account over the test
// window, measured through the same functions the report draws with (tearsheetWindow -> tearsheetSeries).

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Frame } from "../../frame/frame.js";
import { worstDrawdownRows } from "./drawdown-section.js";
import { tearsheetSeries } from "./tearsheet-series.js";
import { tearsheetWindow } from "./tearsheet-window.js";

const root = join(import.meta.dirname, "..", "..", "..");
const reference = JSON.parse(
  readFileSync(join(root, "test", "fixtures", "report", "report_reference.json"), "utf8"),
);
const csv = join(root, reference.source);

interface Period {
  year: number;
  month: number;
  value: number;
}

function backtestFrame(): Frame {
  const lines = readFileSync(csv, "utf8").trim().split("\n").slice(1);
  const n = lines.length;
  const time = new Float64Array(n);
  const price = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const cells = lines[i].split(",");
    time[i] = Date.parse(cells[0]);
    price[i] = Number(cells[4]);
  }
  const position = Float64Array.from(reference.positions as string, (c) => (c === "1" ? 100 : 0));
  const profit = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n - 1; i++) profit[i] = position[i] * (price[i + 1] - price[i]);
  return Frame.fromColumns("SPX", time, { price, position, profit });
}

const closeTo = (a: Period[], b: Period[]) => {
  expect(a.map((p) => [p.year, p.month])).toEqual(b.map((p) => [p.year, p.month]));
  for (const [k, p] of a.entries()) expect(p.value).toBeCloseTo(b[k].value, 12);
};

describe.skipIf(!existsSync(csv))("tearsheet numbers against pandas", () => {
  const details = {
    capitalMode: "account",
    periodsPerYear: 252,
    windows: { SPX: { test: { ...reference.window, capital: reference.capital } } },
  };
  const window = tearsheetWindow(backtestFrame(), details, "SPX")!;
  const series = tearsheetSeries(window, "auto");

  it("measures the recorded test window from its capital", () => {
    expect(window.name).toBe("test");
    expect(new Date(window.time[0]).toISOString().slice(0, 10)).toBe(reference.window.from);
    expect(window.metrics.strategy.totalReturn).toBeCloseTo(reference.strategy.totalReturn, 12);
    expect(window.metrics.buyAndHold.totalReturn).toBeCloseTo(reference.benchmark.totalReturn, 12);
    // The charts' growth curve ends where the metrics' total return does.
    expect(series.strategy.wealth.at(-1)! - 1).toBeCloseTo(reference.strategy.totalReturn, 12);
    expect(series.benchmark.wealth.at(-1)! - 1).toBeCloseTo(reference.benchmark.totalReturn, 12);
  });

  it("lists the five worst drawdowns as pandas finds them", () => {
    const rows = worstDrawdownRows(series);
    expect(rows).toHaveLength(5);
    rows.forEach((r, k) => {
      const want = reference.strategy.worstDrawdowns[k];
      expect({ ...r, depth: 0 }).toEqual({ ...want, depth: 0 });
      expect(r.depth).toBeCloseTo(want.depth, 12);
    });
    // The deepest one is the window's maximum drawdown as the backtest's metrics measure it.
    expect(rows[0].depth).toBeCloseTo(window.metrics.strategy.maxDrawdown, 12);
    const bench = series.benchmark.worst;
    expect(bench[0].depth).toBeCloseTo(reference.benchmark.worstDrawdowns[0].depth, 12);
  });

  it("compounds monthly and yearly returns as pandas resamples them", () => {
    closeTo(series.strategy.monthly, reference.strategy.monthly);
    closeTo(series.strategy.yearly, reference.strategy.yearly);
    closeTo(series.benchmark.monthly, reference.benchmark.monthly);
    closeTo(series.benchmark.yearly, reference.benchmark.yearly);
  });

  it("rolls Sharpe and volatility over the documented window as pandas does", () => {
    expect(series.rolling).toBe(126);
    for (const side of ["strategy", "benchmark"] as const) {
      const want = reference[side].rolling as { row: number; sharpe: number; volatility: number }[];
      expect(want.length).toBeGreaterThan(5);
      for (const w of want) {
        expect(series[side].rollingSharpe[w.row]).toBeCloseTo(w.sharpe, 9);
        expect(series[side].rollingVolatility[w.row]).toBeCloseTo(w.volatility, 9);
      }
      expect(Number.isNaN(series[side].rollingSharpe[124])).toBe(true);
    }
  });
});
