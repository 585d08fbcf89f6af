// Builds the RunContext from commander's global options.

import { resolve } from "node:path";
import type { Command } from "commander";
import { isS3Workspace } from "../artifacts/remote-workspace/s3-url.js";
import { DEFAULT_WORKSPACE } from "../artifacts/workspace.js";
import type { RunContext } from "../commands/support/run-context.js";
import { parseTags } from "../commands/support/run-tags.js";
import { integerFlag } from "../core/flags.js";
import { createLogger } from "../core/log.js";
import { createProgress } from "../core/progress.js";
import { redact } from "../core/redact.js";
import { parseShard } from "../core/shard.js";

export interface GlobalOptions {
  workspace?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  seed?: string;
  color?: boolean;
  tag?: string[];
  /** false with --no-build. */
  build?: boolean;
  /** --shard i/N or auto. */
  shard?: string;
}

export function parseSeed(value: string | undefined): number | null {
  return integerFlag(value, "--seed") ?? null;
}

/** A folder workspace as an absolute path; an `s3://` one as given (run-action.ts syncs it to a local mirror). */
function workspaceRoot(workspace: string): string {
  return isS3Workspace(workspace) ? workspace : resolve(workspace);
}

export function createRunContext(command: Command, argv: readonly string[]): RunContext {
  const globals = command.optsWithGlobals() as GlobalOptions;
  const quiet = Boolean(globals.quiet);
  const verbose = Boolean(globals.verbose);
  let claimed = false;
  const json = Boolean(globals.json);
  return {
    workspace: workspaceRoot(globals.workspace ?? process.env.TSML_WORKSPACE ?? DEFAULT_WORKSPACE),
    json,
    quiet,
    verbose,
    // Colour only for a terminal: escape codes in a file, a pipe or CI logs are noise.
    color: globals.color !== false && !process.env.NO_COLOR && Boolean(process.stdout.isTTY),
    seed: parseSeed(globals.seed),
    log: createLogger(quiet ? "quiet" : verbose ? "verbose" : "normal"),
    // Redacted once here: the command line goes into every artifact's provenance.
    commandLine: redact(["tsml", ...argv.slice(2)].join(" ")),
    print(text: string) {
      // With --json the summary is the only thing on stdout; tables move to stderr unless --quiet.
      if (quiet) return;
      const shown = redact(text);
      (claimed || json ? process.stderr : process.stdout).write(shown.endsWith("\n") ? shown : `${shown}\n`);
    },
    claimStdout() {
      claimed = true;
    },
    stdoutClaimed: () => claimed,
    progress: (total, title) => createProgress(total, title, { enabled: !quiet }),
    tags: parseTags(globals.tag ?? []),
    autoBuild: globals.build !== false,
    shard: parseShard(globals.shard, process.env),
  };
}
