// The probabilistic and deflated Sharpe ratios (Bailey & López de Prado, "The Deflated Sharpe Ratio", 2014): how
// likely a Sharpe ratio is to beat a benchmark Sharpe given the sample's length, skewness and kurtosis, where the
// benchmark is the Sharpe the best of N unskilled trials would show by luck alone.

import { normalCdf, normalQuantile } from "./normal-distribution.js";

/** The Euler-Mascheroni constant, in the paper's expected maximum of N standard normals. */
const EULER_GAMMA = 0.5772156649015329;

/** Per-period Sharpe ratio and the moments the PSR needs, from one return series. */
export interface ReturnMoments {
  /** Mean / standard deviation (ddof 1), per period, not annualised. */
  sharpe: number;
  /** Number of returns. */
  periods: number;
  /** Sample skewness (biased, as scipy.stats.skew). */
  skew: number;
  /** Sample kurtosis, not excess (normal = 3; scipy.stats.kurtosis(fisher=False)). */
  kurtosis: number;
}

/**
 * Sharpe, skewness and kurtosis of the finite values of `returns`; a constant series has Sharpe 0 and the normal's
 * moments (skew 0, kurtosis 3), since it carries no evidence either way.
 * @example returnMoments([0.01, -0.02, 0.015, 0.003]).sharpe
 */
export function returnMoments(returns: ArrayLike<number>): ReturnMoments {
  const values: number[] = [];
  for (let i = 0; i < returns.length; i++) if (Number.isFinite(returns[i])) values.push(returns[i]);
  const n = values.length;
  if (n < 2) return { sharpe: Number.NaN, periods: n, skew: Number.NaN, kurtosis: Number.NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const v of values) {
    const d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  if (m2 <= 1e-30 * Math.max(1, mean * mean)) return { sharpe: 0, periods: n, skew: 0, kurtosis: 3 };
  const sd = Math.sqrt((m2 * n) / (n - 1));
  return { sharpe: mean / sd, periods: n, skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}

/**
 * PSR(SR*) = Φ((SR − SR*) √(T − 1) / √(1 − γ₃ SR + (γ₄ − 1)/4 SR²)), per-period Sharpe ratios (eq. 2 of the paper).
 * @example probabilisticSharpe({ sharpe: 0.1, periods: 253, skew: 0, kurtosis: 3 }, 0) // ≈ 0.9433
 */
export function probabilisticSharpe(m: ReturnMoments, benchmarkSharpe: number): number {
  const variance = 1 - m.skew * m.sharpe + ((m.kurtosis - 1) / 4) * m.sharpe * m.sharpe;
  if (!(m.periods > 1) || !(variance > 0)) return Number.NaN;
  return normalCdf(((m.sharpe - benchmarkSharpe) * Math.sqrt(m.periods - 1)) / Math.sqrt(variance));
}

/**
 * The Sharpe ratio the best of `trials` independent unskilled strategies would reach by luck:
 * SR₀ = √V[SR] ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e))), γ the Euler-Mascheroni constant. One trial: 0.
 * @example expectedMaxSharpe(100, 0.0025) // ≈ 0.1265
 */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (trials <= 1) return 0;
  return (
    Math.sqrt(Math.max(0, sharpeVariance)) *
    ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) +
      EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E)))
  );
}

export interface DeflatedSharpe {
  /** The deflated Sharpe ratio: PSR of the chosen trial against the expected maximum of the trials. */
  dsr: number;
  /** The expected maximum Sharpe of `trials` unskilled trials (per period). */
  benchmarkSharpe: number;
  /** PSR against 0 (no correction for the number of trials), for comparison. */
  psr: number;
  trials: number;
  /** Variance of the trials' per-period Sharpe ratios (ddof 1, as the paper's V[SR_n]). */
  sharpeVariance: number;
}

/**
 * DSR of the chosen strategy (`chosen`, its own return moments) given the per-period Sharpe ratios of every trial
 * tried (the chosen one included).
 * @example deflatedSharpe(returnMoments(best), allTrialSharpes)
 */
export function deflatedSharpe(chosen: ReturnMoments, trialSharpes: readonly number[]): DeflatedSharpe {
  const finite = trialSharpes.filter(Number.isFinite);
  const trials = Math.max(1, finite.length);
  let sharpeVariance = 0;
  if (finite.length > 1) {
    const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
    sharpeVariance = finite.reduce((a, v) => a + (v - mean) ** 2, 0) / (finite.length - 1);
  }
  const benchmarkSharpe = expectedMaxSharpe(trials, sharpeVariance);
  return {
    dsr: probabilisticSharpe(chosen, benchmarkSharpe),
    benchmarkSharpe,
    psr: probabilisticSharpe(chosen, 0),
    trials,
    sharpeVariance,
  };
}
