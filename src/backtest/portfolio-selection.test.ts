// TopkDropout by hand (qlib's index arithmetic worked through on paper) and the weight caps.

import { describe, expect, it } from "vitest";
import { selectHoldings } from "./portfolio-selection.js";
import { targetWeights } from "./portfolio-weights.js";

// One day (days = 1), tickers 0..6; ticker 6 has no score today.
const score = Float64Array.of(0.9, 0.2, 0.1, 0.8, 0.7, 0.3, Number.NaN);
const candidates = [0, 1, 2, 3, 4, 5];

describe("selectHoldings", () => {
  it("replacing freely takes the top k", () => {
    expect(selectHoldings(candidates, [0, 1, 2], score, 0, 1, 3, Number.POSITIVE_INFINITY)).toEqual([
      0, 3, 4,
    ]);
  });

  it("n-drop limits how many holdings are replaced per rebalance", () => {
    // nDrop 1: consider the best non-held (3); of 0, 3, 1, 2 the lowest (2) is sold, 3 bought.
    expect(selectHoldings(candidates, [0, 1, 2], score, 0, 1, 3, 1)).toEqual([0, 3, 1]);
    // nDrop 2: 3 and 4 considered; 1 and 2 (the two lowest of 0, 3, 4, 1, 2) sold.
    expect(selectHoldings(candidates, [0, 1, 2], score, 0, 1, 3, 2)).toEqual([0, 3, 4]);
    // nDrop 0: nothing changes.
    expect(selectHoldings(candidates, [0, 1, 2], score, 0, 1, 3, 0)).toEqual([0, 1, 2]);
  });

  it("a held ticker without a score today is dropped; the free slot is filled", () => {
    // last = [0]; considered = top 2 non-held (3, 4); comb 0, 3, 4: 4 is the lowest but not held; buy 1.
    expect(selectHoldings(candidates, [0, 6], score, 0, 1, 2, 1)).toEqual([0, 3]);
  });

  it("ties go to the ticker listed first", () => {
    const tied = Float64Array.of(0.5, 0.5, 0.5);
    expect(selectHoldings([2, 1, 0], [], tied, 0, 1, 2, Number.POSITIVE_INFINITY)).toEqual([0, 1]);
  });
});

describe("targetWeights", () => {
  it("equal weights over the holdings, capped; the excess stays cash", () => {
    expect(Array.from(targetWeights([0, 3], score, 0, 1, "equal", 1))).toEqual([0.5, 0.5]);
    expect(Array.from(targetWeights([0, 3], score, 0, 1, "equal", 0.3))).toEqual([0.3, 0.3]);
  });

  it("score weights are proportional to the score, capped", () => {
    const w = targetWeights([0, 3, 5], score, 0, 1, "score", 0.4);
    expect(w[0]).toBeCloseTo(0.4, 12); // 0.9 / 2.0 = 0.45 capped
    expect(w[1]).toBeCloseTo(0.4, 12); // 0.8 / 2.0
    expect(w[2]).toBeCloseTo(0.15, 12); // 0.3 / 2.0
  });
});
