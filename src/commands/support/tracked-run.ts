// One stage as a tracked run (MLflow's run, seed 001): a run id, the stage's workspace artifacts written into
// runs/<id>/ and promoted to the latest paths only when it succeeds, and a run record either way. The CLI runs
// train, predict, backtest and evaluate this way; a stage built on demand (predictions scored for a backtest)
// is a run of its own, promoted before the stage that asked for it reads the latest path.

import type { RunRecord, RunStage } from "../../artifacts/runs/run-record.js";
import { startRun } from "../../artifacts/runs/run-tracker.js";
import { GateError, TsmlError } from "../../core/errors.js";
import type { RunContext } from "./run-context.js";
import { runResults } from "./run-results.js";

/**
 * Runs `fn` with a context whose `run` is a fresh tracked run. A gate that held (exit 5) ends a finished run:
 * its measurements are the latest. Any other error fails the run (nothing promoted) and is rethrown.
 * @example const { summary, record } = await trackedRun(ctx, "predict", options, (c) => predict(options, c));
 */
export async function trackedRun<T>(
  ctx: RunContext,
  stage: RunStage,
  options: Record<string, unknown>,
  fn: (ctx: RunContext) => Promise<T>,
): Promise<{ summary: T; record: RunRecord | null }> {
  const run = startRun(ctx.workspace, {
    stage,
    command: ctx.commandLine,
    options,
    seed: ctx.seed,
    tags: { ...(ctx.tags ?? {}) },
  });
  let summary: T;
  try {
    summary = await fn({ ...ctx, run });
  } catch (error) {
    const gate = error instanceof GateError;
    try {
      await run.finish(gate ? "finished" : "failed", oneLine(error));
    } catch {
      // The stage's own error is the one to report; the run record is best effort on the way out.
    }
    throw error;
  }
  run.setResults(runResults(stage, summary));
  try {
    return { summary, record: await run.finish("finished") };
  } catch (error) {
    // Promotion refused (a folder where a latest file goes, a full disk): nothing moved, the run failed.
    await run.finish("failed", oneLine(error)).catch(() => {});
    throw error;
  }
}

/**
 * A stage that goes on past a failing ticker keeps what succeeded: their results are recorded and their files
 * (named by the paths the stage wrote) become the latest, though the run ends failed. Untracked: nothing to do.
 * @example await keepSucceeded(ctx, "train", { models: summaries }, summaries.map((s) => s.path));
 */
export async function keepSucceeded(
  ctx: RunContext,
  stage: RunStage,
  partialSummary: unknown,
  paths: readonly string[],
): Promise<void> {
  if (!ctx.run) return;
  ctx.run.setResults(runResults(stage, partialSummary));
  if (paths.length > 0) await ctx.run.commit(paths);
}

function oneLine(error: unknown): string {
  if (error instanceof TsmlError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
