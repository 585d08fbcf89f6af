// Window metrics against pandas (test/fixtures/backtest/make-window-reference.py) on real daily and monthly
// data, plus the invariants: buy-and-hold is the price ratio, an always-long strategy is buy-and-hold, a long-only
// strategy on the default capital is never levered.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { TradingReport } from "../metrics/trading.js";
import { type BacktestOptions, DEFAULT_BACKTEST_OPTIONS, runBacktest } from "./run-backtest.js";

const data = (name: string) =>
  readFileSync(new URL(`../../node_modules/vega-datasets/data/${name}`, import.meta.url), "utf8");
const reference = JSON.parse(
  readFileSync(new URL("../../test/fixtures/backtest/window-reference.json", import.meta.url), "utf8"),
);

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

interface Series {
  time: Float64Array;
  price: Float64Array;
  deltaTm: Float64Array;
}

function sp500(): Series {
  const rows = data("sp500-2000.csv").trim().split("\n").slice(1);
  const time = Float64Array.from(rows, (r) => Date.parse(`${r.split(",")[0]}T00:00:00Z`));
  const price = Float64Array.from(rows, (r) => Number(r.split(",")[4]));
  const deltaTm = price.map((p, i) => (i + 1 < price.length ? price[i + 1] - p : Number.NaN));
  return { time, price, deltaTm };
}

function monthly(symbol: string): Series {
  const rows = data("stocks.csv")
    .trim()
    .split("\n")
    .slice(1)
    .map((r) => r.split(","))
    .filter((r) => r[0] === symbol);
  const time = Float64Array.from(rows, (r) => Date.parse(`${r[1]} UTC`));
  const price = Float64Array.from(rows, (r) => Number(r[2]));
  const deltaTm = price.map((p, i) => (i + 1 < price.length ? price[i + 1] - p : Number.NaN));
  return { time, price, deltaTm };
}

const cut = (s: Series, n: number): Series => ({
  time: s.time.subarray(0, n),
  price: s.price.subarray(0, n),
  deltaTm: s.deltaTm.subarray(0, n),
});

const STRATEGIES: Record<string, { always?: boolean; options: Partial<BacktestOptions> }> = {
  always_long_seed: { always: true, options: {} },
  macd_seed_long_only: { options: {} },
  macd_seed_long_short: { options: { strategy: "long-short" } },
  macd_seed_capital: { options: { capital: 100_000 } },
  macd_percent_equity: { options: { capital: 10_000, sizing: "percent-equity" } },
  macd_percent_equity_costs: {
    options: { capital: 10_000, sizing: "percent-equity", costBps: 10, commission: 1, slippageBps: 5 },
  },
};

/** |actual - expected| within 1e-9, relative for numbers beyond 1. */
function near(actual: number, expected: number | null | undefined, what: string) {
  if (expected === null || expected === undefined) {
    expect(Number.isNaN(actual), what).toBe(true);
    return;
  }
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected)),
  );
}

function compare(report: TradingReport, capital: number, expected: Record<string, number>, what: string) {
  expect(report.bars, `${what} bars`).toBe(expected.bars);
  near(capital, expected.start_equity, `${what} start_equity`);
  const keys: [keyof TradingReport, string][] = [
    ["totalPnl", "total_pnl"],
    ["totalReturn", "total_return"],
    ["cagr", "cagr"],
    ["volatility", "volatility"],
    ["sharpe", "sharpe"],
    ["sortino", "sortino"],
    ["maxDrawdown", "max_drawdown"],
  ];
  for (const [key, name] of keys) near(report[key], expected[name], `${what} ${name}`);
}

describe("window metrics against pandas", () => {
  const cases: [string, Series][] = [
    ["sp500", sp500()],
    ["sp500_features", cut(sp500(), sp500().time.length - 7)],
    ["ibm", monthly("IBM")],
    ["goog", monthly("GOOG")],
  ];
  for (const [name, series] of cases) {
    const ref = reference[name];
    const macd = macdBinary(name === "sp500_features" ? sp500().price : series.price).subarray(
      0,
      series.price.length,
    );
    for (const [strategy, spec] of Object.entries(STRATEGIES)) {
      const expected = ref.strategies[strategy];
      if (!expected) continue;
      it(`${name} ${strategy}: train, test and whole windows`, () => {
        expect(series.time.length).toBe(ref.rows);
        const result = runBacktest(
          {
            time: series.time,
            price: series.price,
            deltaTm: series.deltaTm,
            signal: spec.always ? new Float64Array(series.price.length).fill(1) : macd,
          },
          {
            ...DEFAULT_BACKTEST_OPTIONS,
            ...spec.options,
            splitTime: Date.parse(`${ref.split}T00:00:00Z`),
          },
        );
        // Inferred from the dates: daily S&P 500 252, monthly stocks 12.
        expect(result.periodsPerYear).toBe(ref.periods_per_year);
        for (const w of ["train", "test", "whole"] as const) {
          const window = result[w]!;
          compare(window.strategy, window.capital, expected[w].strategy, `${w} strategy`);
          compare(window.buyAndHold, window.capital, expected[w].buy_and_hold, `${w} buy-and-hold`);
        }
        if (typeof expected.min_cash === "number") near(result.minCash, expected.min_cash, "min cash");
      });
    }
  }

  it("the issue's S&P 500 case: test buy-and-hold is 2659.41 / 2012.66 - 1 even with delta_tm past the end", () => {
    const expected = reference.sp500_features.strategies.macd_percent_equity.test.buy_and_hold;
    expect(expected.total_return).toBeCloseTo(2659.409912 / 2012.660034 - 1, 12);
  });
});

/** A seeded random walk with repeated prices, a gap (NaN) and a price 200x the first one by the end. */
function walk(n: number, seed: number) {
  let s = seed;
  const rand = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const price = new Float64Array(n);
  const signal = new Float64Array(n);
  let p = 1;
  const drift = Math.log(200) / n;
  for (let i = 0; i < n; i++) {
    price[i] = p;
    signal[i] = rand() < 0.5 ? 1 : 0;
    if (rand() > 0.2) p *= Math.exp(drift + (rand() - 0.5) * 0.1);
  }
  const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2000, 0, 3) + i * 86_400_000);
  return { time, price, signal };
}

describe("window invariants", () => {
  it("an always-long strategy, fully invested without costs, reports buy-and-hold's metrics on every window", () => {
    for (const seed of [1, 7, 42]) {
      const { time, price } = walk(600, seed);
      const signal = new Float64Array(price.length).fill(1);
      for (const options of [{}, { capital: 1_000, sizing: "percent-equity" as const, fractional: true }]) {
        const r = runBacktest(
          { time, price, signal },
          { ...DEFAULT_BACKTEST_OPTIONS, ...options, splitTime: time[250] },
        );
        for (const w of [r.train!, r.test!, r.whole!]) {
          const first = price[w.start];
          const last = price[w.end - 1];
          expect(w.buyAndHold.totalReturn).toBeCloseTo(last / first - 1, 12);
          for (const key of [
            "totalReturn",
            "cagr",
            "volatility",
            "sharpe",
            "sortino",
            "maxDrawdown",
          ] as const)
            expect(Math.abs(w.strategy[key] - w.buyAndHold[key])).toBeLessThan(1e-9);
          expect(w.strategy.maxDrawdownDuration).toBe(w.buyAndHold.maxDrawdownDuration);
        }
      }
    }
  });

  it("long-only on the default capital (100 shares, price rising 200x) never draws down past 100%", () => {
    for (const seed of [3, 11, 99]) {
      const { time, price, signal } = walk(2000, seed);
      const r = runBacktest({ time, price, signal }, { ...DEFAULT_BACKTEST_OPTIONS, splitTime: time[1500] });
      expect(r.capitalMode).toBe("per-window");
      for (const w of [r.train!, r.test!, r.whole!]) {
        expect(w.strategy.maxDrawdown).toBeLessThanOrEqual(1);
        expect(w.capital).toBeGreaterThanOrEqual(100 * price[w.start] - 1e-9);
        // Equity covers the position at every close: cash = equity - position x close >= 0.
        const profit = r.columns.get("profit")!;
        const position = r.columns.get("position")!;
        let equity = w.capital;
        for (let t = w.start; t < w.end - 1; t++) {
          expect(equity - position[t] * price[t]).toBeGreaterThanOrEqual(-1e-9 * w.capital);
          equity += Number.isFinite(profit[t]) ? profit[t] : 0;
        }
      }
    }
  });

  it("percent-equity starts the test window at the account's real equity at the split", () => {
    const { time, price, signal } = walk(300, 5);
    const r = runBacktest(
      { time, price, signal },
      { ...DEFAULT_BACKTEST_OPTIONS, capital: 10_000, sizing: "percent-equity", splitTime: time[200] },
    );
    const equity = r.columns.get("equity")!;
    // The artifact's equity one row before the split is the account's equity at the split's close.
    expect(r.test!.capital).toBeCloseTo(equity[199], 9);
    expect(r.train!.capital).toBe(10_000);
    // Train and test chain into the whole period (the bar across the split belongs to the whole only).
    const profit = r.columns.get("profit")!;
    const across = (1 + profit[199] / equity[198]) * (1 + r.train!.strategy.totalReturn);
    expect((1 + r.whole!.strategy.totalReturn) / across).toBeCloseTo(1 + r.test!.strategy.totalReturn, 9);
  });
});
