// The overfitting statistics against an independent numpy/scipy implementation of the papers
// (test/fixtures/overfitting/reference.py, its output checked in) and against closed forms.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { deflatedSharpe, expectedMaxSharpe, probabilisticSharpe, returnMoments } from "./deflated-sharpe.js";
import { normalCdf, normalQuantile } from "./normal-distribution.js";
import { probabilityOfBacktestOverfitting } from "./pbo-cscv.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "test", "fixtures", "overfitting");
const trials = (JSON.parse(readFileSync(join(FIXTURES, "trials.json"), "utf8")) as number[][]).map((t) =>
  Float64Array.from(t),
);
const expected = JSON.parse(readFileSync(join(FIXTURES, "expected.json"), "utf8")) as {
  moments: { sharpe: number; periods: number; skew: number; kurtosis: number }[];
  best: number;
  sharpeVariance: number;
  benchmarkSharpe: number;
  dsr: number;
  psr: number;
  pbo8: { pbo: number; splits: number; logitMean: number };
  pbo16: { pbo: number; splits: number; logitMean: number };
  normCdf: Record<string, number>;
  normPpf: Record<string, number>;
  expectedMax: Record<string, number>;
};

describe("normal distribution", () => {
  it("matches scipy.stats.norm", () => {
    for (const [x, p] of Object.entries(expected.normCdf)) expect(normalCdf(Number(x))).toBeCloseTo(p, 12);
    for (const [p, x] of Object.entries(expected.normPpf))
      expect(normalQuantile(Number(p))).toBeCloseTo(x, 8);
  });
});

describe("deflated Sharpe ratio", () => {
  it("computes each trial's Sharpe, skewness and kurtosis as scipy does", () => {
    trials.forEach((t, k) => {
      const m = returnMoments(t);
      const want = expected.moments[k];
      expect(m.periods).toBe(want.periods);
      expect(m.sharpe).toBeCloseTo(want.sharpe, 12);
      expect(m.skew).toBeCloseTo(want.skew, 10);
      expect(m.kurtosis).toBeCloseTo(want.kurtosis, 10);
    });
  });

  it("deflates the best trial against the expected maximum of all of them, as the reference", () => {
    const moments = trials.map(returnMoments);
    const best = moments.reduce((b, m, k) => (m.sharpe > moments[b].sharpe ? k : b), 0);
    expect(best).toBe(expected.best);
    const d = deflatedSharpe(
      moments[best],
      moments.map((m) => m.sharpe),
    );
    expect(d.trials).toBe(10);
    expect(d.sharpeVariance).toBeCloseTo(expected.sharpeVariance, 12);
    expect(d.benchmarkSharpe).toBeCloseTo(expected.benchmarkSharpe, 9);
    expect(d.dsr).toBeCloseTo(expected.dsr, 8);
    expect(d.psr).toBeCloseTo(expected.psr, 8);
    // The correction matters here: a PSR near 1 becomes a DSR near a coin flip.
    expect(d.psr).toBeGreaterThan(0.99);
    expect(d.dsr).toBeLessThan(0.5);
  });

  it("gives the paper's expected maximum Sharpe of N unskilled trials", () => {
    for (const [n, sr0] of Object.entries(expected.expectedMax))
      expect(expectedMaxSharpe(Number(n), 0.0025)).toBeCloseTo(sr0, 9);
    expect(expectedMaxSharpe(1, 0.0025)).toBe(0);
  });

  it("reduces to closed forms: normal returns, one trial", () => {
    // Skew 0, kurtosis 3: PSR(0) = Φ(SR √(T−1) / √(1 + SR²/2)).
    const sr = 0.1;
    const z = (sr * Math.sqrt(252)) / Math.sqrt(1 + (sr * sr) / 2);
    expect(probabilisticSharpe({ sharpe: sr, periods: 253, skew: 0, kurtosis: 3 }, 0)).toBeCloseTo(
      normalCdf(z),
      14,
    );
    // A Sharpe equal to the benchmark is a coin flip whatever the moments.
    expect(probabilisticSharpe({ sharpe: 0.2, periods: 50, skew: -1, kurtosis: 9 }, 0.2)).toBeCloseTo(
      0.5,
      14,
    );
    // With one trial there is nothing to deflate: DSR = PSR against 0.
    const m = returnMoments(trials[3]);
    const d = deflatedSharpe(m, [m.sharpe]);
    expect(d.benchmarkSharpe).toBe(0);
    expect(d.dsr).toBe(d.psr);
    // A constant series carries no evidence: Sharpe 0, normal moments.
    expect(returnMoments(new Float64Array(10).fill(0.001))).toEqual({
      sharpe: 0,
      periods: 10,
      skew: 0,
      kurtosis: 3,
    });
  });
});

describe("probability of backtest overfitting (CSCV)", () => {
  it("matches the reference with 8 and 16 blocks", () => {
    for (const [blocks, want] of [
      [8, expected.pbo8],
      [16, expected.pbo16],
    ] as const) {
      const r = probabilityOfBacktestOverfitting(trials, blocks);
      expect(r.splits).toBe(want.splits);
      expect(r.pbo).toBeCloseTo(want.pbo, 12);
      const mean = r.logits.reduce((a, b) => a + b, 0) / r.logits.length;
      expect(mean).toBeCloseTo(want.logitMean, 9);
    }
  });

  it("is 0 when one trial beats the other in every block, 1 when the in-sample best always loses after", () => {
    const rows = 64;
    const noise = Float64Array.from({ length: rows }, (_, i) => Math.sin(i * 1.7) * 0.01);
    const strong = noise.map((v) => v + 0.02);
    const weak = noise.map((v) => v - 0.02);
    expect(probabilityOfBacktestOverfitting([weak, strong], 8).pbo).toBe(0);
    // Two blocks: whichever is better in one block is worse in the other.
    const a = Float64Array.from({ length: rows }, (_, i) => (i < 32 ? 0.01 : -0.01) + noise[i]);
    const b = Float64Array.from({ length: rows }, (_, i) => (i < 32 ? -0.01 : 0.01) + noise[i]);
    expect(probabilityOfBacktestOverfitting([a, b], 2).pbo).toBe(1);
  });

  it("refuses what CSCV cannot split", () => {
    expect(() => probabilityOfBacktestOverfitting([trials[0]], 8)).toThrow(/2 trials/);
    expect(() => probabilityOfBacktestOverfitting(trials, 7)).toThrow(/even/);
  });
});
