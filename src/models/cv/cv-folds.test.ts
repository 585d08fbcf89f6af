import { describe, expect, it } from "vitest";
import { makeFolds, purgedKFold, timeSeriesSplit } from "./cv-folds.js";

const span = (a: Uint32Array) => (a.length ? [a[0], a[a.length - 1], a.length] : []);

describe("time-series CV folds", () => {
  it("matches scikit-learn's TimeSeriesSplit(3) on 10 rows with --purge 0", () => {
    // sklearn: train [0..3] test [4,5]; train [0..5] test [6,7]; train [0..7] test [8,9]
    const folds = timeSeriesSplit(10, 3, 0);
    expect(folds.map((f) => [span(f.train), span(f.test)])).toEqual([
      [
        [0, 3, 4],
        [4, 5, 2],
      ],
      [
        [0, 5, 6],
        [6, 7, 2],
      ],
      [
        [0, 7, 8],
        [8, 9, 2],
      ],
    ]);
  });

  it("matches TimeSeriesSplit(5) on 1003 rows (test 167, first train 168)", () => {
    const folds = timeSeriesSplit(1003, 5, 0);
    expect(span(folds[0].train)).toEqual([0, 167, 168]);
    expect(span(folds[0].test)).toEqual([168, 334, 167]);
    expect(span(folds[4].test)).toEqual([836, 1002, 167]);
  });

  it("purges the label horizon before each validation block", () => {
    const folds = timeSeriesSplit(10, 3, 2);
    expect(span(folds[0].train)).toEqual([0, 1, 2]);
    expect(span(folds[0].test)).toEqual([4, 5, 2]);
  });

  it("purged k-fold drops purge rows before and embargo rows after the block", () => {
    const folds = purgedKFold(10, 3, 1, 2);
    // blocks: [0..3], [4..6], [7..9]
    expect([...folds[1].test]).toEqual([4, 5, 6]);
    expect([...folds[1].train]).toEqual([0, 1, 2, 9]);
    expect([...folds[0].train]).toEqual([6, 7, 8, 9]);
  });

  it("walk-forward keeps a rolling window", () => {
    // test blocks of 5 rows start at 5, 10, 15; training is the 4 rows before each
    const folds = makeFolds(20, { method: "walk-forward", splits: 3, purge: 0, embargo: 0, window: 4 });
    expect(folds.map((f) => span(f.train))).toEqual([
      [1, 4, 4],
      [6, 9, 4],
      [11, 14, 4],
    ]);
  });

  it("refuses too many splits for the rows", () => {
    expect(() => timeSeriesSplit(3, 5, 0)).toThrow(/too few rows/);
  });
});
