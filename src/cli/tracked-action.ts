// `runAction` for the stages whose runs are kept (train, predict, backtest, evaluate): see commands/tracked-run.

import type { RunStage } from "../artifacts/runs/run-record.js";
import { trackedRun } from "../commands/support/tracked-run.js";
import { runAction } from "./run-action.js";
import type { Handler, OptionsAction } from "./typed-command.js";

/**
 * Wraps a stage handler in a tracked run and adds the run id to its --json summary; `tracks(options)` false runs
 * it untracked (views such as `evaluate --history` write nothing worth a run).
 */
export function trackedAction<O>(
  stage: RunStage,
  fn: Handler<O>,
  tracks: (options: O) => boolean = () => true,
): OptionsAction<O> {
  return runAction<O>(async (args, options, ctx) => {
    if (!tracks(options)) return fn(args, options, ctx);
    const { summary, record } = await trackedRun(
      ctx,
      stage,
      { ...(options as Record<string, unknown>) },
      (tracked) => fn(args, options, tracked),
    );
    if (!record) return summary;
    const promoted = record.artifacts.filter((a) => a.promoted).map((a) => a.current);
    const shown = promoted.length > 3 ? [...promoted.slice(0, 3), `${promoted.length - 3} more`] : promoted;
    ctx.log.info(
      `run ${record.id} (${stage})${shown.length > 0 ? `: latest ${shown.join(", ")}` : ""}; tsml runs lists it`,
    );
    return summary !== null && typeof summary === "object" && !Array.isArray(summary)
      ? { ...summary, run: record.id }
      : summary;
  });
}
