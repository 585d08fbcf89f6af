import { describe, expect, it } from "vitest";
import { Frame } from "../frame/frame.js";
import { targetSeriesFromBars } from "./target-series.js";

const day = (d: number) => Date.UTC(2024, 0, d);

describe("targetSeriesFromBars", () => {
  it("keeps the ticker's finite target values in date order", () => {
    const bars = Frame.concat([
      Frame.fromColumns("AAA", Float64Array.of(day(4), day(2), day(3)), {
        close: Float64Array.of(12, 10, Number.NaN),
      }),
      Frame.fromColumns("BBB", Float64Array.of(day(2), day(3)), { close: Float64Array.of(99, 98) }),
    ]);
    const series = targetSeriesFromBars(bars, "AAA", "close");
    expect(Array.from(series?.time ?? [])).toEqual([day(2), day(4)]);
    expect(Array.from(series?.values ?? [])).toEqual([10, 12]);
  });

  it("reads a one-ticker table whatever its ticker is called", () => {
    const bars = Frame.fromColumns("", Float64Array.of(day(2)), { open: Float64Array.of(5) });
    expect(Array.from(targetSeriesFromBars(bars, "SPX", "open")?.values ?? [])).toEqual([5]);
  });

  it("is null when the bars lack the target column", () => {
    const bars = Frame.fromColumns("AAA", Float64Array.of(day(2)), { close: Float64Array.of(1) });
    expect(targetSeriesFromBars(bars, "AAA", "open")).toBeNull();
  });
});
