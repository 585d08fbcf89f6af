// What every command receives from the CLI: global flags, a logger, output routing and provenance facts.

import type { Logger } from "../core/log.js";
import type { Progress } from "../core/progress.js";

export interface RunContext {
  /** Workspace root (--workspace, TSML_WORKSPACE, default ./tsml-workspace). */
  workspace: string;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  color: boolean;
  /** --seed; commands that draw random numbers use `seed ?? 0` and record it. */
  seed: number | null;
  log: Logger;
  /** The command line as typed (for provenance), e.g. "tsml features --ticker SPX". */
  commandLine: string;
  /** Human-readable output: stdout, unless stdout carries a data stream (`-o -`), then stderr. */
  print(text: string): void;
  /** Marks stdout as carrying data; later `print` and --json output go to stderr. */
  claimStdout(): void;
  stdoutClaimed(): boolean;
  progress(total: number, title: string): Progress;
}
