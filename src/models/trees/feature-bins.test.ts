import { describe, expect, it } from "vitest";
import { Random } from "../../core/random.js";
import { binFeatures, binOf, columnThresholds } from "./feature-bins.js";

describe("binFeatures", () => {
  it("gives each distinct value its own bin when there are few, with midpoint cuts", () => {
    const column = Float64Array.of(3, 1, 2, 2, 5, 1);
    expect([...columnThresholds(column, 255)]).toEqual([1.5, 2.5, 4]);
    const binned = binFeatures({ rows: 6, columns: [column] });
    expect([...binned.bins[0]]).toEqual([2, 0, 1, 1, 3, 0]);
    expect(binned.binCounts[0]).toBe(4);
  });

  it("uses at most 255 roughly equal-count bins on continuous data, and routing by bin equals routing by value", () => {
    const rng = new Random(4);
    const column = new Float64Array(20000).map(() => rng.normal());
    const binned = binFeatures({ rows: column.length, columns: [column] }, 255);
    const cuts = binned.thresholds[0];
    expect(binned.binCounts[0]).toBeLessThanOrEqual(255);
    expect(binned.binCounts[0]).toBeGreaterThan(240);
    const counts = new Int32Array(256);
    for (const b of binned.bins[0]) counts[b]++;
    const nonEmpty = [...counts].filter((c) => c > 0);
    expect(Math.max(...nonEmpty)).toBeLessThan(3 * (20000 / 255));
    for (let i = 0; i < 2000; i++) {
      const b = binned.bins[0][i];
      for (const cut of [b - 1, b, b + 1]) {
        if (cut < 0 || cut >= cuts.length) continue;
        expect(column[i] <= cuts[cut]).toBe(b <= cut);
      }
    }
  });

  it("keeps a constant column as one bin and places unseen values by binary search", () => {
    const binned = binFeatures({ rows: 3, columns: [Float64Array.of(7, 7, 7)] });
    expect(binned.binCounts[0]).toBe(1);
    expect([...binned.bins[0]]).toEqual([0, 0, 0]);
    const cuts = Float64Array.of(1, 2, 3);
    expect([binOf(cuts, 0), binOf(cuts, 1), binOf(cuts, 1.5), binOf(cuts, 3), binOf(cuts, 9)]).toEqual([
      0, 0, 1, 2, 3,
    ]);
  });
});
