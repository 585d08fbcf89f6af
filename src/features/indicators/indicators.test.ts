// Standard indicators: published / hand-computed values on short series, and TA-Lib's warm-up lengths.

import { describe, expect, it } from "vitest";
import { barSeries } from "../bar-series.js";
import { indicatorDefinitions } from "../indicator-catalog.js";
import { fixtureBars } from "../test-fixtures.js";
import { ad, adosc } from "./accumulation-distribution.js";
import { bbands } from "./bbands.js";
import { ema } from "./ema.js";
import { mom, roc } from "./momentum.js";
import { obv } from "./obv.js";
import { rsi } from "./rsi.js";
import { sma } from "./sma.js";
import { atr } from "./true-range.js";
import { willr } from "./williams-r.js";
import { wma } from "./wma.js";

const f = (...v: number[]) => Float64Array.from(v);
const NaN_ = Number.NaN;

describe("published and hand-computed values", () => {
  it("RSI(14) matches the StockCharts/Wilder worked example (as TA-Lib gives it)", () => {
    // StockCharts "RSI" ChartSchool spreadsheet (cs-rsi.xls), closes and RSI to 2 decimals.
    const closes = f(
      44.3389,
      44.0902,
      44.1497,
      43.6124,
      44.3278,
      44.8264,
      45.0955,
      45.4245,
      45.8433,
      46.0826,
      45.8931,
      46.0328,
      45.614,
      46.282,
      46.282,
      46.0028,
      46.0328,
      46.4116,
      46.2222,
      45.6439,
      46.2122,
    );
    const out = rsi(closes, 14);
    expect(out.slice(0, 14).every(Number.isNaN)).toBe(true);
    const published = [70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93];
    for (const [i, v] of published.entries()) expect(out[14 + i]).toBeCloseTo(v, 1);
  });

  it("SMA, EMA (SMA-seeded), WMA", () => {
    expect(Array.from(sma(f(1, 2, 3, 4, 5), 3))).toEqual([NaN_, NaN_, 2, 3, 4]);
    // k = 2/(3+1) = 0.5; seed mean(1,2,3) = 2; 2 + 0.5 (4-2) = 3; 3 + 0.5 (9-3) = 6
    expect(Array.from(ema(f(1, 2, 3, 4, 9), 3))).toEqual([NaN_, NaN_, 2, 3, 6]);
    expect(wma(f(1, 2, 3), 3)[2]).toBeCloseTo((1 * 1 + 2 * 2 + 3 * 3) / 6, 12);
    // An EMA of a series with a NaN warm-up starts at its first defined value (used by MACD signal and TRIX).
    expect(Array.from(ema(f(NaN_, 1, 2, 3), 2))).toEqual([NaN_, NaN_, 1.5, 2.5]);
  });

  it("ATR: mean of the first n true ranges, then Wilder smoothing", () => {
    const high = f(10, 12, 13, 12);
    const low = f(9, 10, 11, 8);
    const close = f(9.5, 11, 12, 9);
    // TR1 = max(2, |12-9.5|, |10-9.5|) = 2.5; TR2 = max(2, 2, 0) = 2; TR3 = max(4, 0, 4) = 4
    const out = atr(high, low, close, 2);
    expect(Number.isNaN(out[1])).toBe(true);
    expect(out[2]).toBeCloseTo(2.25, 12);
    expect(out[3]).toBeCloseTo((2.25 * 1 + 4) / 2, 12);
  });

  it("Bollinger bands use the population standard deviation", () => {
    const b = bbands(f(1, 2, 3), 3, 2, 2);
    expect(b.middle[2]).toBe(2);
    expect(b.upper[2]).toBeCloseTo(2 + 2 * Math.sqrt(2 / 3), 12);
    expect(b.lower[2]).toBeCloseTo(2 - 2 * Math.sqrt(2 / 3), 12);
  });

  it("OBV, AD, ADOSC, WILLR, ROC, MOM", () => {
    expect(Array.from(obv(f(1, 2, 2, 1), f(10, 20, 30, 40)))).toEqual([10, 30, 30, -10]);
    // money flow multiplier ((c-l)-(h-c))/(h-l): (1-1)/2 = 0 -> 0; (2-0)/2 = 1 -> +20; flat bar adds nothing
    expect(Array.from(ad(f(2, 2, 1), f(0, 0, 1), f(1, 2, 1), f(10, 20, 30)))).toEqual([0, 20, 20]);
    const osc = adosc(f(2, 2, 1), f(0, 0, 1), f(1, 2, 1), f(10, 20, 30), 1, 2);
    expect(Number.isNaN(osc[0])).toBe(true);
    expect(osc[1]).toBeCloseTo(20 - (0 + (2 / 3) * 20), 12);
    expect(willr(f(3, 4), f(1, 2), f(2, 4), 2)[1]).toBe(-0);
    expect(willr(f(3, 4), f(1, 2), f(1, 2), 2)[1]).toBeCloseTo((-100 * (4 - 2)) / 3, 12);
    expect(Array.from(roc(f(100, 110, 121), 1))).toEqual([NaN_, 10.000000000000009, 10.000000000000009]);
    expect(Array.from(mom(f(1, 4, 9), 2))).toEqual([NaN_, NaN_, 8]);
  });
});

/** TA-Lib's TA_<NAME>_Lookback at the default parameters: leading rows that must be NaN. */
const LOOKBACK: Record<string, number> = {
  sma: 29,
  ema: 29,
  wma: 29,
  macd: 33,
  rsi: 14,
  stoch: 8,
  stochf: 6,
  adx: 27,
  dx: 14,
  plus_di: 14,
  minus_di: 14,
  aroon: 14,
  mfi: 14,
  trix: 88,
  bbands: 4,
  ppo: 25,
  obv: 0,
  ad: 0,
  adosc: 9,
  atr: 14,
  natr: 14,
  cci: 13,
  willr: 13,
  roc: 10,
  mom: 10,
  logret: 1,
  volatility: 20,
  zscore: 19,
};

describe("warm-up lengths", () => {
  const bars = barSeries(fixtureBars());
  for (const def of indicatorDefinitions()) {
    it(`${def.name}: first ${LOOKBACK[def.name]} rows NaN, then defined (never 0-filled)`, () => {
      expect(LOOKBACK[def.name]).toBeDefined();
      for (const [output, values] of def.compute(bars, def.defaults)) {
        const firstDefined = values.findIndex((v) => !Number.isNaN(v));
        expect(firstDefined, `${def.name} ${output}`).toBe(LOOKBACK[def.name]);
        expect(values.subarray(firstDefined).some(Number.isNaN), `${def.name} ${output}`).toBe(false);
      }
    });
  }
});
