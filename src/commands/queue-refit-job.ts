// The worker's side of `backtest --walk-forward --queue`: read the walk-forward inputs the submitter left in the
// workspace (checking their fingerprint), run one refit with the function a local thread runs (in a thread,
// dataset-threads.ts), and return its probabilities as the bytes of their doubles (NaN marks bars without a
// prediction, and JSON has no NaN).

import { DataError } from "../core/errors.js";
import { decodeRefitData } from "../models/training/refit-data-bytes.js";
import { type RefitOutcome, runRefit } from "../models/training/refit-task.js";
import { runInDatasetThread, threadScript } from "./dataset-threads.js";
import { fromWire, readQueueInput, toWire } from "./queue-workspace.js";

/** Runs a "refit" job (payload { input, sha256, index }) in the inputs' `threads` threads. */
export async function runRefitJob(
  workspace: string,
  data: Record<string, unknown>,
  threads = 1,
): Promise<unknown> {
  const inputs = await readQueueInput(workspace, data.input, data.sha256, decodeRefitData);
  const index = Number(data.index);
  if (!Number.isInteger(index) || index < 0 || index >= inputs.refits.length)
    throw new DataError(`refit ${String(data.index)} is not one of the ${inputs.refits.length} refits`);
  const url = threadScript("models/training/refit-worker.js");
  const r = url
    ? ((await runInDatasetThread(url, String(data.sha256), inputs, threads, { index })) as RefitOutcome)
    : await runRefit(inputs, index);
  return {
    ...r,
    proba: Buffer.from(r.proba.buffer, r.proba.byteOffset, r.proba.byteLength).toString("base64"),
    cvScore: r.cvScore === null ? null : toWire(r.cvScore),
    seconds: toWire(r.seconds),
  };
}

/** A refit job's result as the walk-forward takes it. */
export function decodeRefitOutcome(value: unknown): RefitOutcome {
  const r = value as Record<string, unknown>;
  const bytes = Buffer.from(String(r.proba), "base64");
  const proba = new Float64Array(bytes.length / 8);
  for (let i = 0; i < proba.length; i++) proba[i] = bytes.readDoubleLE(i * 8);
  return {
    proba,
    trainRows: Number(r.trainRows),
    params: r.params as Record<string, unknown>,
    cvScore: r.cvScore === null ? null : fromWire(r.cvScore),
    trials: Number(r.trials),
    seconds: fromWire(r.seconds),
  };
}
