// Seed 000 arithmetic against numbers made by the seed's pandas code (test/fixtures/backtest/) on bundled S&P 500 data.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_BACKTEST_OPTIONS, runBacktest } from "./run-backtest.js";
import { buySellFlags, deltaTomorrow, seedPositions, splitCumulativeProfit } from "./seed-positions.js";

// vega-datasets is a runtime dependency, so the file is always installed (its exports map hides package.json).
const csvPath = new URL("../../node_modules/vega-datasets/data/sp500-2000.csv", import.meta.url);
const fixture = JSON.parse(
  readFileSync(new URL("../../test/fixtures/backtest/seed000-reference.json", import.meta.url), "utf8"),
);

/** pandas `ewm(span, adjust=False).mean()`: y0 = x0, y = (1 - a) y + a x with a = 2 / (span + 1). */
function ewm(x: Float64Array, span: number): Float64Array {
  const a = 2 / (span + 1);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = i === 0 ? x[0] : (1 - a) * out[i - 1] + a * x[i];
  return out;
}

function loadSp500() {
  const lines = readFileSync(csvPath, "utf8").trim().split("\n").slice(1);
  const time = new Float64Array(lines.length);
  const price = new Float64Array(lines.length);
  lines.forEach((line, i) => {
    const cells = line.split(",");
    time[i] = Date.parse(`${cells[0]}T00:00:00Z`);
    price[i] = Number(cells[4]);
  });
  const e12 = ewm(price, 12);
  const e26 = ewm(price, 26);
  const macd = e12.map((v, i) => v - e26[i]);
  const signalLine = ewm(macd, 9);
  const signal = macd.map((v, i) => (v > signalLine[i] ? 1 : 0));
  return { time, price, signal };
}

const close = (actual: number, expected: number | null) => {
  if (expected === null) expect(Number.isNaN(actual)).toBe(true);
  else expect(actual).toBeCloseTo(expected, 6);
};

describe("seed 000 backtest on S&P 500 (pandas reference)", () => {
  const bars = loadSp500();
  const splitTime = Date.parse(`${fixture.date_test}T00:00:00Z`);
  for (const strategy of ["long-only", "long-short"] as const) {
    it(`${strategy} matches the seed's columns and ending values`, () => {
      const expected = fixture.strategies[strategy];
      expect(bars.time.length).toBe(fixture.rows);
      const result = runBacktest(bars, { ...DEFAULT_BACKTEST_OPTIONS, strategy, splitTime });
      expect(result.seedMode).toBe(true);
      const col = (name: string) => result.columns.get(name)!;
      for (const s of expected.samples) {
        expect(col("signal")[s.row]).toBe(s.signal);
        expect(col("position")[s.row]).toBe(s.position);
        expect(col("buy")[s.row]).toBe(s.buy);
        expect(col("sell")[s.row]).toBe(s.sell);
        close(col("profit")[s.row], s.profit);
        close(col("profit_cumul_train")[s.row], s.profit_cumul_train);
        close(col("profit_cumul_test")[s.row], s.profit_cumul_test);
      }
      const sum = (a: Float64Array) => a.reduce((t, v) => t + v, 0);
      expect(sum(col("buy"))).toBe(expected.buys);
      expect(sum(col("sell"))).toBe(expected.sells);
      const n = bars.time.length;
      close(col("profit_cumul_test")[n - 2], expected.last_test_cumul);
      // The seed's ending test value is NaN: its last row has no next-day price change.
      close(col("profit_cumul_test")[n - 1], expected.ending_value_test);
      const lastTrain = result.columns.get("profit_cumul_train")!.findLastIndex((v) => !Number.isNaN(v));
      close(col("profit_cumul_train")[lastTrain], expected.ending_value_train);
    });
  }
});

describe("seed 000 building blocks (hand-worked)", () => {
  it("positions, flags, delta_tm and the split cumulative profit", () => {
    const signal = new Float64Array([1, 1, 0, Number.NaN, 1]);
    expect([...seedPositions(signal, "long-only", 100)]).toEqual([100, 100, 0, 0, 100]);
    const ls = seedPositions(signal, "long-short", 100);
    expect([...ls]).toEqual([100, 100, -100, -100, 100]);
    const { buy, sell } = buySellFlags(ls, 100);
    expect([...buy]).toEqual([1, 0, 0, 0, 1]);
    expect([...sell]).toEqual([0, 0, 1, 0, 0]);
    const delta = deltaTomorrow(new Float64Array([10, 11, 9, 9, 12]));
    expect([...delta.subarray(0, 4)]).toEqual([1, -2, 0, 3]);
    expect(Number.isNaN(delta[4])).toBe(true);
    const profit = new Float64Array([1, 2, Number.NaN, 3, 4]);
    const { train, test } = splitCumulativeProfit(new Float64Array([1, 2, 3, 4, 5]), profit, 3);
    expect([...train.subarray(0, 2)]).toEqual([1, 3]);
    expect(train.subarray(2).every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(test[2])).toBe(true);
    expect([...test.subarray(3)]).toEqual([3, 7]);
  });
});
