// `tsml registry register|ls|show|rm`: the local model registry.

import type { Command } from "commander";
import type { RegisterOptions } from "../commands/registry.js";
import { runAction } from "./run-action.js";
import { typed } from "./typed-command.js";

const registryCommands = () => import("../commands/registry.js");

export function registerRegistry(program: Command): void {
  const registry = program
    .command("registry")
    .description("register models as immutable versions; the newest is current")
    .addHelpText("after", "\nExample:\n  tsml registry ls\n");
  typed(registry.command("register"))
    .description(
      "load, score one row and store a model as a new version with tags (exit 3 if it cannot be used, 5 when --if is false)",
    )
    .option("-m, --model <file>", "model artifact (models/<T>/<model>.json)")
    .option("--name <name>", "registry name (default <ticker>_<trend>)")
    .option(
      "--if <condition>",
      'gate on test metrics, e.g. "positive_accuracy>0.5 && negative_accuracy>0.5 && overall>0.6"',
    )
    .option("--on <split>", "metrics --if reads: test (default; refused when the model has none) or train")
    .option("--trend <trend>", "up|down (default: from the target name, else up)")
    .option("--target-pct <pct>", "seed 001's target_pct tag (e.g. 5)")
    .addHelpText(
      "after",
      '\nExample:\n  tsml registry register -m tsml-workspace/models/SPX/rf.json --if "positive_accuracy>0.5 && negative_accuracy>0.5 && overall>0.6"\n',
    )
    .action(
      runAction(async (_args, options: RegisterOptions, ctx) =>
        (await registryCommands()).registerModelCommand(options, ctx),
      ),
    );
  typed(registry.command("ls"))
    .description("list current versions: name, version, ticker, model, headline metrics, top features")
    .addHelpText("after", "\nExample:\n  tsml registry ls --json\n")
    .action(runAction(async (_args, _options, ctx) => (await registryCommands()).listRegistry(ctx)));
  typed(registry.command("show"))
    .description("show one entry's tags and versions")
    .addHelpText("after", "\nExample:\n  tsml registry show SPX_up@1\n")
    .argument("<ref>", "NAME or NAME@VERSION")
    .action(runAction(async ([ref], _options, ctx) => (await registryCommands()).showRegistry(ref, ctx)));
  typed(registry.command("rm"))
    .description("remove one version (NAME@VERSION) or every version of a name; numbers are never reused")
    .addHelpText("after", "\nExample:\n  tsml registry rm SPX_up@1\n")
    .argument("<ref>", "NAME or NAME@VERSION")
    .action(runAction(async ([ref], _options, ctx) => (await registryCommands()).removeRegistry(ref, ctx)));
}
