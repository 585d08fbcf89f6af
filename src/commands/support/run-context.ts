// What every command receives from the CLI: global flags, a logger, output routing and provenance facts.

import type { RunTracker } from "../../artifacts/runs/run-tracker.js";
import type { Logger } from "../../core/log.js";
import type { Progress } from "../../core/progress.js";
import type { Shard } from "../../core/shard.js";

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
  /**
   * Whether a stage may build a missing or stale input itself (ingest, features, predictions) and say so on
   * stderr. The CLI turns it on unless --no-build; absent (library use, tests) means strict: no building.
   */
  autoBuild?: boolean;
  /**
   * The tracked run of train, predict, backtest and evaluate (runs/<id>/): the stage writes its workspace
   * artifacts where `runOutput` says, and they become the latest only if the run succeeds. Absent: written
   * in place (library use, tests, untracked commands).
   */
  run?: RunTracker;
  /** --tag key=value pairs recorded on the run. */
  tags?: Readonly<Record<string, string>>;
  /** --shard i/N: work on (and write) only the tickers this shard owns (commands/shard-tickers.ts). */
  shard?: Shard | null;
}
