// Where a stage writes a workspace artifact: inside its tracked run's folder when there is one (promoted to the
// latest path only when the run succeeds), else the latest path itself.

import type { RunContext } from "./run-context.js";

/** `models/AAPL/rf.json` -> `runs/<id>/models/AAPL/rf.json` during a tracked run. */
export function runOutput(ctx: RunContext, latestPath: string): string {
  return ctx.run ? ctx.run.output(latestPath) : latestPath;
}
