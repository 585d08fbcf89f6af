import { describe, expect, it } from "vitest";
import { openPricesByDate } from "./open-prices.js";

const day = (d: number) => Date.UTC(2024, 0, d);

describe("openPricesByDate", () => {
  it("takes each row's open from the bar on the same date, NaN where there is none", () => {
    const bars = { time: Float64Array.of(day(2), day(3), day(5)), open: Float64Array.of(10, 11, 13) };
    const rows = Float64Array.of(day(3), day(4), day(5), day(2));
    expect(Array.from(openPricesByDate(rows, bars))).toEqual([11, Number.NaN, 13, 10]);
  });

  it("matches exact times only: an intraday row does not take its day's open", () => {
    const bars = { time: Float64Array.of(day(2)), open: Float64Array.of(10) };
    expect(Array.from(openPricesByDate(Float64Array.of(day(2) + 3_600_000), bars))).toEqual([Number.NaN]);
  });

  it("gives an empty column for no rows", () => {
    expect(
      openPricesByDate(new Float64Array(0), { time: Float64Array.of(day(2)), open: Float64Array.of(1) })
        .length,
    ).toBe(0);
  });
});
