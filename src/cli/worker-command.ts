// `tsml worker`: flags only; the work is in commands/worker.ts.

import type { Command } from "commander";
import type { WorkerOptions } from "../commands/worker.js";
import { runAction } from "./run-action.js";
import { typed } from "./typed-command.js";

export function registerWorker(program: Command): void {
  typed(program.command("worker"))
    .description(
      "run queued jobs (train --queue, backtest --walk-forward --queue) from a Redis job queue against the shared --workspace, until stopped",
    )
    .requiredOption(
      "--queue <url>",
      "the queue's Redis, e.g. redis://127.0.0.1:6379 (redis://:PASSWORD@HOST:PORT/DB)",
    )
    .option(
      "--concurrency <n>",
      "jobs at once per queue in this process, each fit in a thread of its own (default 1)",
    )
    .option(
      "--stalled-ms <ms>",
      "a job's lock, renewed while it runs: a killed worker's job goes to another worker after about this (default 30000)",
    )
    .addHelpText(
      "after",
      "\nStop with Ctrl-C or SIGTERM: the jobs in hand finish first (a second signal leaves them to other workers).\n" +
        "Example:\n  tsml worker --queue redis://127.0.0.1:6379 --workspace /shared/tsml-workspace\n",
    )
    .action(
      runAction(async (_args, options: WorkerOptions, ctx) =>
        (await import("../commands/worker.js")).worker(options, ctx),
      ),
    );
}
