// `tsml status`: flags only; the work is in commands/status.ts.

import type { Command } from "commander";
import { runAction } from "./run-action.js";
import { typed } from "./typed-command.js";

export function registerStatus(program: Command): void {
  typed(program.command("status"))
    .description("every artifact in the workspace, what it was built from, and whether it is stale")
    .addHelpText("after", "\nExamples:\n  tsml status\n  tsml status --json\n")
    .action(
      runAction(async (_args, _options, ctx) => (await import("../commands/status.js")).workspaceStatus(ctx)),
    );
}
