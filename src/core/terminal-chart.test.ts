// Charts never throw: flat, empty, all-NaN, Infinity and one-row series, with markers and a boundary.

import { describe, expect, it } from "vitest";
import { bucketSeries, lineChart } from "./terminal-chart.js";

describe("lineChart", () => {
  it("renders edge cases without throwing", () => {
    const cases: [string, number[]][] = [
      ["flat", [5, 5, 5, 5]],
      ["empty", []],
      ["all NaN", [Number.NaN, Number.NaN]],
      ["one row", [42]],
      ["zero", [0]],
      ["gaps and infinities", [Number.NaN, 1, Number.POSITIVE_INFINITY, 3, Number.NaN]],
      ["tiny range", [1, 1 + 1e-12, 1]],
      ["huge", [1e15, -1e15]],
    ];
    for (const [title, values] of cases) {
      const out = lineChart(new Float64Array(values), { title, boundary: 1, buy: [1], sell: [0, 1] });
      expect(out.startsWith(title)).toBe(true);
    }
    expect(lineChart(new Float64Array([Number.NaN]), { title: "x" })).toContain("no data");
    expect(lineChart(new Float64Array(), { title: "x" })).toContain("no data");
  });

  it("buckets long series to the width and draws markers and the test boundary", () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i / 50));
    const buy = new Float64Array(1000);
    buy[10] = 1;
    const sell = new Float64Array(1000);
    sell[990] = 1;
    const out = lineChart(values, { title: "t", width: 50, boundary: 500, buy, sell });
    const lines = out.split("\n");
    const markers = lines.find((l) => l.includes("B"))!;
    expect(markers.trim().startsWith("B")).toBe(true);
    expect(markers.trim().endsWith("S")).toBe(true);
    expect(lines.some((l) => l.includes("|"))).toBe(true);
    expect(lines.at(-1)).toContain("test");
  });

  it("bucketSeries carries values over gaps", () => {
    expect(bucketSeries([Number.NaN, 2, Number.NaN, 4], 10)).toEqual([2, 2, 2, 4]);
    expect(bucketSeries([1, 2, 3, 4], 2)).toEqual([2, 4]);
    expect(bucketSeries([Number.NaN], 2)).toBeNull();
  });
});
