import { describe, expect, it } from "vitest";
import { lineChart, linePath } from "./line-chart.js";
import { niceTicks } from "./svg-scale.js";

describe("line chart", () => {
  it("decimates to at most a few points per pixel column and keeps each column's extremes", () => {
    const n = 20_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => (i === 12_345 ? 1000 : Math.sin(i)));
    const sx = (v: number) => (v / n) * 500;
    const d = linePath(x, y, sx, (v) => -v);
    const points = d.match(/[ML]/g)!.length;
    expect(points).toBeLessThanOrEqual(501 * 3);
    expect(d).toContain(" -1000");
  });

  it("breaks the line at NaN and draws markers and the boundary", () => {
    const x = Float64Array.of(0, 1, 2, 3);
    const y = Float64Array.of(1, Number.NaN, 2, 3);
    expect(
      linePath(
        x,
        y,
        (v) => v * 100,
        (v) => v,
      ).match(/M/g),
    ).toHaveLength(2);
    const svg = lineChart({
      title: "t <&>",
      series: [{ name: "p", x, y, color: "#000" }],
      markers: [
        { x: 2, y: 2, kind: "buy" },
        { x: 3, y: 3, kind: "sell" },
      ],
      boundary: 2,
    });
    expect(svg).toContain('aria-label="t &lt;&amp;&gt;"');
    expect(svg.match(/class="buy"/g)).toHaveLength(1);
    expect(svg.match(/class="sell"/g)).toHaveLength(1);
    expect(svg).toContain('class="boundary"');
  });

  it("picks round ticks", () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(13, 97, 4)).toEqual([20, 40, 60, 80]);
  });
});
