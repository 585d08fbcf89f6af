// `tsml backtest --sweep`: one ticker's trials of a strategy parameter, each recorded in the workspace's trial
// ledger, and what stands behind the best of them: the deflated Sharpe ratio over every trial the ledger holds
// for that ticker and target (not only this sweep's) and the probability of backtest overfitting (CSCV).

import {
  readTrialLedger,
  recordTrials,
  type TrialEntry,
  trialLedgerPath,
} from "../artifacts/trial-ledger.js";
import type { BacktestBars, BacktestOptions } from "../backtest/run-backtest.js";
import { type SweepSpec, sweepThreshold } from "../backtest/sweep.js";
import { deflatedSharpe, returnMoments } from "../metrics/deflated-sharpe.js";
import { probabilityOfBacktestOverfitting } from "../metrics/pbo-cscv.js";

export interface SweepTrialSummary {
  value: number;
  /** Annualised Sharpe of the test window (per-period Sharpe x √periods per year). */
  sharpe: number;
  totalReturn: number;
  trades: number;
  maxDrawdown: number;
}

export interface TickerSweep {
  parameter: string;
  target: string;
  /** The window the trials are measured on (the test window; for walk-forward every out-of-sample bar). */
  window: { from: string; to: string; bars: number } | null;
  trials: SweepTrialSummary[];
  best: { value: number; sharpe: number };
  /** Deflated Sharpe ratio of the best trial against every trial in the ledger for this ticker and target. */
  deflatedSharpe: {
    dsr: number;
    psr: number;
    /** Annualised expected maximum Sharpe of that many unskilled trials. */
    benchmarkSharpe: number;
    trials: number;
  };
  /** Probability of backtest overfitting over this sweep's trials; null when the window is too short to split. */
  pbo: { pbo: number; blocks: number; splits: number } | null;
  ledger: { path: string; trials: number };
}

/** Blocks for CSCV: 16 as the paper suggests when each block keeps 10 bars or more, else fewer (even, >= 2). */
function cscvBlocks(rows: number): number | null {
  for (const s of [16, 12, 10, 8, 6, 4, 2]) if (Math.floor(rows / s) >= 10) return s;
  return null;
}

/**
 * Runs the sweep for one ticker, records its trials and measures DSR and PBO.
 * @example await sweepTicker({ workspace, ticker: "SPX", target: "up_down_tm", keyBase, bars, proba, spec, options, isoDate })
 */
export async function sweepTicker(input: {
  workspace: string;
  ticker: string;
  target: string;
  /** What identifies the trials apart from the swept value (signal source, strategy, costs). */
  keyBase: string;
  bars: Omit<BacktestBars, "signal">;
  proba: Float64Array;
  spec: SweepSpec;
  options: BacktestOptions & { periodsPerYear: number };
  isoDate: (time: number) => string;
}): Promise<TickerSweep> {
  const { spec, options } = input;
  const trials = sweepThreshold(input.bars, input.proba, spec.values, options);
  const annual = Math.sqrt(options.periodsPerYear);
  const moments = trials.map((t) => returnMoments(t.returns));
  const now = new Date().toISOString();
  const entries: TrialEntry[] = trials.map((t, k) => ({
    key: `${input.keyBase} ${spec.parameter}=${t.value}`,
    target: input.target,
    source: "sweep",
    label: `${spec.parameter}=${t.value}`,
    sharpe: Number.isFinite(moments[k].sharpe) ? moments[k].sharpe : null,
    periods: moments[k].periods,
    skew: Number.isFinite(moments[k].skew) ? moments[k].skew : null,
    kurtosis: Number.isFinite(moments[k].kurtosis) ? moments[k].kurtosis : null,
    recordedAt: now,
  }));
  await recordTrials(input.workspace, input.ticker, entries);
  const recorded = readTrialLedger(input.workspace, input.ticker).filter(
    (e) => e.target === input.target && e.sharpe !== null,
  );
  let best = 0;
  moments.forEach((m, k) => {
    if (m.sharpe > moments[best].sharpe) best = k;
  });
  const d = deflatedSharpe(
    moments[best],
    recorded.map((e) => e.sharpe as number),
  );
  const rows = trials[0]?.returns.length ?? 0;
  const blocks = cscvBlocks(rows);
  const pbo = blocks
    ? probabilityOfBacktestOverfitting(
        trials.map((t) => t.returns),
        blocks,
      )
    : null;
  const window = trials[0]?.result.test ?? trials[0]?.result.whole ?? null;
  const time = input.bars.time;
  return {
    parameter: spec.parameter,
    target: input.target,
    window: window
      ? { from: input.isoDate(time[window.start]), to: input.isoDate(time[window.end - 1]), bars: rows }
      : null,
    trials: trials.map((t, k) => {
      const s = (t.result.test ?? t.result.whole)?.strategy;
      return {
        value: t.value,
        sharpe: moments[k].sharpe * annual,
        totalReturn: s?.totalReturn ?? Number.NaN,
        trades: s?.trades ?? 0,
        maxDrawdown: s?.maxDrawdown ?? Number.NaN,
      };
    }),
    best: { value: trials[best].value, sharpe: moments[best].sharpe * annual },
    deflatedSharpe: {
      dsr: d.dsr,
      psr: d.psr,
      benchmarkSharpe: d.benchmarkSharpe * annual,
      trials: d.trials,
    },
    pbo: pbo ? { pbo: pbo.pbo, blocks: pbo.blocks, splits: pbo.splits } : null,
    ledger: { path: trialLedgerPath(input.workspace, input.ticker), trials: recorded.length },
  };
}

/** The sweep as printed under the backtest's tables. */
export function sweepText(ticker: string, s: TickerSweep): string {
  const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : "n/a");
  const num = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "n/a");
  const lines = [
    `sweep ${ticker} ${s.parameter} (${s.trials.length} trials, test window ${s.window ? `${s.window.from}..${s.window.to}` : "empty"}):`,
    `  ${s.parameter.padEnd(10)} ${"sharpe".padStart(8)} ${"return".padStart(9)} ${"max dd".padStart(9)} ${"trades".padStart(7)}`,
    ...s.trials.map(
      (t) =>
        `  ${String(t.value).padEnd(10)} ${num(t.sharpe).padStart(8)} ${pct(t.totalReturn).padStart(9)} ${pct(t.maxDrawdown).padStart(9)} ${String(t.trades).padStart(7)}`,
    ),
    `  best ${s.parameter}=${s.best.value}: Sharpe ${num(s.best.sharpe)}; deflated Sharpe ratio ${num(s.deflatedSharpe.dsr)} ` +
      `over ${s.deflatedSharpe.trials} trials recorded for ${ticker}/${s.target} (expected best of that many by luck: ` +
      `Sharpe ${num(s.deflatedSharpe.benchmarkSharpe)}; PSR vs 0: ${num(s.deflatedSharpe.psr)})`,
    s.pbo
      ? `  probability of backtest overfitting (CSCV, ${s.pbo.blocks} blocks, ${s.pbo.splits} splits): ${num(s.pbo.pbo)}`
      : "  probability of backtest overfitting: window too short to split into CSCV blocks",
    `  trial ledger: ${s.ledger.path}`,
  ];
  return lines.join("\n");
}
