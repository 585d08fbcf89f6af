// Running a stage on behalf of another: the helper stage works silently (its tables and reports are not what
// the user asked for) and the asking stage says in one stderr line what was built and from what.

import { relative } from "node:path";
import { createLogger } from "../../core/log.js";
import type { RunContext } from "../support/run-context.js";

/**
 * The context a built-on-demand stage runs with: same workspace, seed and command line (recorded in its
 * provenance), no stdout output, warnings only, never --json, no further building, and outside the asking
 * stage's tracked run.
 */
export function helperContext(ctx: RunContext): RunContext {
  return {
    ...ctx,
    json: false,
    quiet: true,
    log: createLogger(ctx.verbose ? "verbose" : "quiet"),
    print: () => {},
    claimStdout: () => {},
    stdoutClaimed: () => false,
    progress: (total, title) => ctx.progress(total, title),
    autoBuild: false,
    // Ingest and features are not tracked runs: they write the latest paths the asking stage reads.
    run: undefined,
  };
}

/** One line on stderr naming what a stage built (silent with --quiet). */
export function announceBuilt(ctx: RunContext, line: string): void {
  ctx.log.info(line);
}

/** A workspace file as the user sees it: `bars/AAPL.parquet`; other paths as they are. */
export function shownPath(ctx: RunContext, path: string): string {
  const rel = relative(ctx.workspace, path);
  return rel.startsWith("..") || rel === "" ? path : rel;
}
