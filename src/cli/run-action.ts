// Adapts a typed command function to a commander action: builds the context, runs, prints --json.

import type { Command } from "commander";
import { isS3Workspace } from "../artifacts/remote-workspace/s3-url.js";
import { redact } from "../core/redact.js";
import { createRunContext } from "./context.js";
import { queuedBatchPlan } from "./queued-batch.js";
import { checkShardUse } from "./shard-options.js";
import type { Handler, OptionsAction } from "./typed-command.js";

let currentArgv: readonly string[] = process.argv;

export function setArgv(argv: readonly string[]): void {
  currentArgv = argv;
}

/**
 * Wraps `fn(positionalArgs, options, ctx)`; whatever it returns is the --json summary. Annotate `options` with
 * the command's option interface: a typed command (typed-command.ts) then checks it against the declared flags.
 * @example
 * typed(program.command("ls")).action(runAction(async (_args, _opts, ctx) => listArtifacts(ctx)));
 */
export function runAction<O>(fn: Handler<O>): OptionsAction<O> {
  return async (...params: unknown[]) => {
    const command = params[params.length - 1] as Command;
    const options = command.opts() as O;
    const args = command.args as string[];
    const ctx = createRunContext(command, currentArgv);
    checkShardUse(command, options as object, ctx);
    // A batch command with --queue: one job per ticker for the workers, which write the artifacts themselves.
    const queued = queuedBatchPlan(command, options as object);
    const summary = queued
      ? await (await import("../commands/queue-ticker-jobs.js")).runTickerJobs(queued, ctx)
      : // A worker hands an S3 workspace on to each job's command (in its job runner), which mirrors it for that job.
        isS3Workspace(ctx.workspace) && command.name() !== "worker"
        ? await (await import("../artifacts/remote-workspace/workspace-mirror.js")).withS3Workspace(
            ctx.workspace,
            process.env,
            ctx.log,
            // The command sees the local mirror as its workspace, like any folder (README: Workspace on S3).
            (folder) => fn(args, options, Object.assign(ctx, { workspace: folder })),
          )
        : await fn(args, options, ctx);
    if (ctx.json && summary !== undefined) {
      // The summary may quote URLs or options: the same redaction as every other sink.
      const text = redact(`${JSON.stringify(summary, null, 2)}\n`);
      (ctx.stdoutClaimed() ? process.stderr : process.stdout).write(text);
    }
  };
}

/** Collects a repeatable option (`--map a=b --map c=d`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
