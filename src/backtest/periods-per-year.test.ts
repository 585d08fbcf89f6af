// Periods per year read off the bars' dates: daily, daily with weekends, weekly, monthly, intraday, gaps.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { inferPeriodsPerYear } from "./periods-per-year.js";

const DAY = 86_400_000;
const every = (n: number, step: number, from = Date.UTC(2020, 0, 6)) =>
  Float64Array.from({ length: n }, (_, i) => from + i * step);
/** Weekdays only, from a Monday. */
const weekdays = (n: number) => {
  const out: number[] = [];
  for (let t = Date.UTC(2020, 0, 6); out.length < n; t += DAY) {
    const d = new Date(t).getUTCDay();
    if (d !== 0 && d !== 6) out.push(t);
  }
  return Float64Array.from(out);
};

describe("inferPeriodsPerYear", () => {
  it("daily trading days 252, daily with weekends 365, weekly 52", () => {
    expect(inferPeriodsPerYear([weekdays(500)])).toMatchObject({ periodsPerYear: 252, frequency: "daily" });
    expect(inferPeriodsPerYear([every(500, DAY)]).periodsPerYear).toBe(365);
    expect(inferPeriodsPerYear([every(200, 7 * DAY)]).periodsPerYear).toBe(52);
  });

  it("monthly IBM (vega-datasets stocks.csv, first of each month) is 12", () => {
    const csv = readFileSync(
      new URL("../../node_modules/vega-datasets/data/stocks.csv", import.meta.url),
      "utf8",
    );
    const time = Float64Array.from(
      csv
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("IBM,"))
        .map((l) => Date.parse(`${l.split(",")[1]} UTC`)),
    );
    const r = inferPeriodsPerYear([time]);
    expect(r.periodsPerYear).toBe(12);
    expect(r.medianSpacingDays).toBe(31);
  });

  it("quarterly, yearly, hourly; holidays and gaps do not move the median", () => {
    expect(inferPeriodsPerYear([every(40, 91 * DAY)]).periodsPerYear).toBe(4);
    expect(inferPeriodsPerYear([every(10, 365 * DAY)]).periodsPerYear).toBe(1);
    // 7 hourly bars per weekday.
    const hours: number[] = [];
    for (const day of weekdays(50)) for (let h = 0; h < 7; h++) hours.push(day + (14 + h) * 3_600_000);
    expect(inferPeriodsPerYear([Float64Array.from(hours)]).periodsPerYear).toBe(7 * 252);
    const gappy = weekdays(300).filter((_, i) => i % 17 !== 0 && (i < 100 || i > 130));
    expect(inferPeriodsPerYear([gappy]).periodsPerYear).toBe(252);
  });

  it("pools tickers; fewer than two bars falls back to 252 and says so", () => {
    expect(inferPeriodsPerYear([weekdays(1), weekdays(1)])).toMatchObject({
      periodsPerYear: 252,
      frequency: "too few bars",
    });
    expect(inferPeriodsPerYear([every(30, 30 * DAY), every(30, 31 * DAY)]).periodsPerYear).toBe(12);
  });
});
