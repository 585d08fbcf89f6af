// `tsml ls`: list the workspace's artifacts.

import type { Command } from "commander";
import { listArtifacts } from "../commands/ls.js";
import { runAction } from "./run-action.js";

export function registerLs(program: Command): void {
  program
    .command("ls")
    .description("list the artifacts in the workspace")
    .addHelpText("after", "\nExample:\n  tsml ls --workspace ./tsml-workspace\n")
    .action(runAction((_args, _options, ctx) => listArtifacts(ctx)));
}
