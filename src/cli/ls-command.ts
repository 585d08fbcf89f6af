// `tsml ls`: list the workspace's artifacts.

import type { Command } from "commander";
import { runAction } from "./run-action.js";
import { typed } from "./typed-command.js";

export function registerLs(program: Command): void {
  typed(program.command("ls"))
    .description("list the artifacts in the workspace")
    .addHelpText("after", "\nExample:\n  tsml ls --workspace ./tsml-workspace\n")
    .action(
      runAction(async (_args, _options, ctx) => (await import("../commands/ls.js")).listArtifacts(ctx)),
    );
}
