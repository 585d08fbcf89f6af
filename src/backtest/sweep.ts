// Strategy parameter sweeps: `--sweep "threshold=0.5:0.7:0.05"` backtests the signal `proba > threshold` for every
// value, each trial through the same engine (fills, costs, windows) as a single backtest.

import { UsageError } from "../core/errors.js";
import { windowReturns } from "../metrics/backtest-window.js";
import { type BacktestBars, type BacktestOptions, type BacktestResult, runBacktest } from "./run-backtest.js";

/** The parameters a sweep can vary. */
export const SWEEP_PARAMETERS = ["threshold"] as const;
export type SweepParameter = (typeof SWEEP_PARAMETERS)[number];

export interface SweepSpec {
  parameter: SweepParameter;
  values: number[];
}

/** Most trials one sweep may run (each is a whole backtest). */
const MAX_TRIALS = 1000;

/**
 * `name=start:stop:step` (stop included when the steps land on it) or `name=v1,v2,...`.
 * @example parseSweep("threshold=0.5:0.7:0.05") // { parameter: "threshold", values: [0.5, 0.55, 0.6, 0.65, 0.7] }
 */
export function parseSweep(spec: string): SweepSpec {
  const bad = (why: string) =>
    new UsageError(
      `--sweep "${spec}": ${why}`,
      'e.g. --sweep "threshold=0.5:0.7:0.05" or "threshold=0.5,0.55,0.6"',
    );
  const eq = spec.indexOf("=");
  if (eq < 0) throw bad("expected NAME=START:STOP:STEP or NAME=V1,V2,...");
  const name = spec.slice(0, eq).trim();
  if (!(SWEEP_PARAMETERS as readonly string[]).includes(name))
    throw bad(`unknown parameter "${name}" (sweepable: ${SWEEP_PARAMETERS.join(", ")})`);
  const body = spec.slice(eq + 1).trim();
  const number = (text: string) => {
    const v = Number(text.trim());
    if (text.trim() === "" || !Number.isFinite(v)) throw bad(`"${text}" is not a number`);
    return v;
  };
  let values: number[];
  if (body.includes(":")) {
    const parts = body.split(":");
    if (parts.length !== 3) throw bad("a range needs START:STOP:STEP");
    const [start, stop, step] = parts.map(number);
    if (!(step > 0)) throw bad("STEP must be above 0");
    if (stop < start) throw bad("STOP is below START");
    const count = Math.floor((stop - start) / step + 1e-9) + 1;
    if (count > MAX_TRIALS) throw bad(`${count} values, more than ${MAX_TRIALS}`);
    // Computed from the index, rounded to the step's decimals, so 0.5 + 3 x 0.05 prints as 0.65.
    const decimals = Math.min(12, Math.max(decimalsOf(start), decimalsOf(step)));
    values = Array.from({ length: count }, (_, k) => Number((start + k * step).toFixed(decimals)));
  } else values = body.split(",").map(number);
  if (new Set(values).size !== values.length) throw bad("a value is listed twice");
  if (values.length < 2) throw bad("a sweep needs at least 2 values");
  for (const v of values) if (v < 0 || v > 1) throw bad(`threshold ${v} is outside [0, 1]`);
  return { parameter: name as SweepParameter, values };
}

function decimalsOf(v: number): number {
  const text = String(v);
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

export interface SweepTrial {
  value: number;
  result: BacktestResult;
  /** Bar returns of the test window (the out-of-sample part), NaN-free, aligned across trials. */
  returns: Float64Array;
}

/**
 * Backtests `proba > value` for every value (NaN proba: no signal), with `options` otherwise unchanged.
 * @example sweepThreshold(bars, proba, [0.5, 0.6], options).map((t) => t.result.test?.strategy.sharpe)
 */
export function sweepThreshold(
  bars: Omit<BacktestBars, "signal">,
  proba: Float64Array,
  values: readonly number[],
  options: BacktestOptions,
): SweepTrial[] {
  return values.map((value) => {
    const signal = proba.map((p) => (Number.isNaN(p) ? Number.NaN : p > value ? 1 : 0));
    const result = runBacktest({ ...bars, signal }, options);
    const window = result.test ?? result.whole;
    const returns = window
      ? windowReturns(result.columns.get("profit") as Float64Array, window.start, window.end, window.capital)
      : new Float64Array(0);
    // Row 0 of a window has no return in it; a non-finite return (no equity) counts as flat.
    const clean = returns.subarray(1).map((r) => (Number.isFinite(r) ? r : 0));
    return { value, result, returns: clean };
  });
}
