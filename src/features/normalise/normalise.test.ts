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
    expect(() => parseIndexCsv("DATE,V\n2024-01-01,1\n", "cpi.csv")).toThrow(/two dated values/);
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
    expect(() => fitLinearTrend(time, y, day("2019-01-01"))).toThrow(/fewer than 2 rows/);
  });
});
