// The default split: the first floor(80%) of the rows train, the split date is the first held-out row's time.

import { describe, expect, it } from "vitest";
import { defaultSplitTime, defaultTrainRows } from "./default-split.js";

const days = (n: number) => Float64Array.from({ length: n }, (_, i) => Date.UTC(2001, i, 1));

describe("the default split", () => {
  it("trains on floor(0.8 n) rows and holds out the rest, split at the first held-out row", () => {
    // 102 rows (a bundled stock's feature rows): 81.6 -> 81 train, 21 test.
    expect(defaultTrainRows(102)).toBe(81);
    expect(defaultSplitTime(days(102))).toBe(Date.UTC(2001, 81, 1));
    for (const n of [2, 5, 10, 123, 5093]) {
      const time = days(n);
      const split = defaultSplitTime(time) as number;
      const train = time.filter((t) => t < split).length;
      expect(train).toBe(Math.floor((n * 4) / 5));
      expect(n - train).toBeGreaterThanOrEqual(1);
    }
  });

  it("has no split when no row would train or none would be held out", () => {
    expect(defaultSplitTime(days(0))).toBeNull();
    expect(defaultSplitTime(days(1))).toBeNull();
  });
});
