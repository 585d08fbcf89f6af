// Deflation by an interpolated monthly index and linear detrending fitted on the training window (seed 004).

import { describe, expect, it } from "vitest";
import { MS_PER_DAY } from "../../frame/dates.js";
import { deflate, indexOnDates, parseIndexCsv } from "./deflate.js";
import { fitLinearTrend, removeTrend } from "./detrend.js";

const day = (s: string) => Date.parse(`${s}T00:00:00Z`);

describe("deflate", () => {
  it("interpolates linearly over business days between monthly values", () => {
    // 2024-01-01 (Mon) = 100, 2024-02-01 (Thu) = 123: 23 business days apart -> +1 per business day.
    const index = parseIndexCsv("DATE,CPIAUCSL\n2024-01-01,100\n2024-02-01,123\n", "cpi.csv");
    const dates = Float64Array.of(day("2024-01-01"), day("2024-01-02"), day("2024-01-08"), day("2024-02-01"));
    expect(Array.from(indexOnDates(index, dates))).toEqual([100, 101, 105, 123]);
    // Weekend dates are off the business-day grid, and dates outside the index are missing.
    const off = indexOnDates(index, Float64Array.of(day("2024-01-06"), day("2023-12-29")));
    expect(off.every(Number.isNaN)).toBe(true);
    expect(Array.from(deflate(Float64Array.of(200, 202), Float64Array.of(100, 101)))).toEqual([2, 2]);
  });

  it("rejects malformed files with the row number", () => {
    expect(() => parseIndexCsv("DATE,V\n2024-01-01,1\nxx,2\n", "cpi.csv")).toThrow(/row 3/);
    // An impossible date is refused, not rolled over (Date.parse reads 2019-02-30 as March 2).
    expect(() => parseIndexCsv("DATE,V\n2019-01-01,1\n2019-02-30,2\n", "cpi.csv")).toThrow(
      /row 3: "2019-02-30" is not a date/,
    );
    expect(() => parseIndexCsv("DATE,V\n2024-01-01,1\n", "cpi.csv")).toThrow(/two dated values/);
  });

  it("refuses a price file given as the index (it would deflate prices to about 1.0)", () => {
    const yahoo = "Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,10,11,9,10.5,10.5,100\n";
    expect(() => parseIndexCsv(yahoo, "ibm.csv")).toThrow(
      /ibm\.csv: looks like a price file \(column "Open"\)/,
    );
    expect(() => parseIndexCsv("date,close\n2024-01-02,10.5\n2024-01-03,10.6\n", "c.csv")).toThrow(
      /column "close"/,
    );
    expect(() => parseIndexCsv("2024-01-02,10,11,9,10.5\n2024-01-03,10,11,9,10.5\n", "p.csv")).toThrow(
      /row 1 has 5 values; a price index has two/,
    );
    // FRED's own header and a trailing comma are still an index.
    expect(
      parseIndexCsv("observation_date,CPIAUCSL\n2024-01-01,100,\n2024-02-01,101\n", "cpi.csv").values,
    ).toEqual(Float64Array.of(100, 101));
  });
});

describe("detrend", () => {
  it("fits on rows up to --fit-until only and subtracts the line everywhere", () => {
    const time = Float64Array.from({ length: 10 }, (_, i) => day("2020-01-01") + i * MS_PER_DAY);
    // y = 5 + 2 x on the training rows, then a break the fit must not see.
    const y = Float64Array.from({ length: 10 }, (_, i) => (i < 6 ? 5 + 2 * i : 100));
    const trend = fitLinearTrend(time, y, day("2020-01-06"));
    expect(trend.slope).toBeCloseTo(2, 12);
    expect(trend.intercept).toBeCloseTo(5, 12);
    const out = removeTrend(time, y, trend);
    expect(out[3]).toBeCloseTo(0, 12);
    expect(out[9]).toBeCloseTo(100 - 23, 12);
    expect(() => fitLinearTrend(time, y, day("2019-01-01"), "SPX")).toThrow(
      /--fit-until 2019-01-01: 0 rows with a price on or before it, a trend needs 2; SPX runs 2020-01-01 to 2020-01-10/,
    );
    expect(() => fitLinearTrend(time, y, day("2020-01-01"))).toThrow(/1 row with a price/);
  });
});
