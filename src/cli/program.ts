// The commander program: global flags and one registration per subcommand (flags only; work is in commands/).

import { Command } from "commander";
import { tsmlVersion } from "../artifacts/provenance.js";
import { registerBacktest } from "./backtest-command.js";
import { registerEvaluate } from "./evaluate-command.js";
import { registerExport } from "./export-command.js";
import { registerFeatures } from "./features-command.js";
import { registerIngest } from "./ingest-command.js";
import { registerLs } from "./ls-command.js";
import { registerPredict } from "./predict-command.js";
import { registerRegistry } from "./registry-command.js";
import { collect } from "./run-action.js";
import { registerCompare, registerRuns } from "./runs-command.js";
import { registerServe } from "./serve-command.js";
import { registerStatus } from "./status-command.js";
import { registerTrain } from "./train-command.js";
import { registerWorker } from "./worker-command.js";

export function buildProgram(): Command {
  const program = new Command("tsml")
    .description(
      "Machine learning research on market price series: ingest -> features -> train -> backtest -> evaluate -> export",
    )
    .version(tsmlVersion(), "--version")
    .option("--workspace <dir>", "workspace folder (env TSML_WORKSPACE)", undefined)
    .option("--json", "print a machine-readable summary on stdout")
    .option("--quiet", "print nothing but errors and data")
    .option("--verbose", "more detail, and stack traces on errors")
    .option("--seed <n>", "seed for every random step (repeatable runs)")
    .option("--no-color", "plain output without colours")
    .option(
      "--tag <key=value>",
      "tag recorded on the run of train, predict, backtest or evaluate (repeatable; tsml runs --tag filters)",
      collect,
      [],
    )
    .option(
      "--no-build",
      "strict: never ingest, compute features or score predictions a stage is missing (fail as before)",
    )
    .option(
      "--shard <i/N|auto>",
      "ingest, features, train, predict, backtest, evaluate: only the tickers of shard i of N (0-based; auto: " +
        "from Kubernetes, Slurm or TSML_SHARD_INDEX/TSML_SHARDS); README: Beyond one machine",
    )
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.addHelpText(
    "after",
    "\nExample:\n  tsml train --ticker AAPL --model rf --tune && tsml backtest --strategy long-only && tsml evaluate\n" +
      "  (in an empty folder: the bundled AAPL bars, its features and the predictions are built as needed)\n" +
      "\nExit codes: 0 ok, 1 internal error, 2 usage, 3 bad input data, 4 source/network/database, 5 gate failed,\n" +
      "6 environment (disk full, read-only or forbidden folder, a file where a folder must be)\n",
  );
  // Each subcommand registers itself; keep this list in pipeline order.
  registerIngest(program);
  registerFeatures(program);
  registerTrain(program);
  registerPredict(program);
  registerLs(program);
  registerStatus(program);
  registerBacktest(program);
  registerEvaluate(program);
  registerRuns(program);
  registerCompare(program);
  registerExport(program);
  registerRegistry(program);
  registerServe(program);
  registerWorker(program);
  // Subcommands inherit exitOverride so usage errors come back to main() as exit code 2.
  for (const command of program.commands) applyExitOverride(command);
  return program;
}

function applyExitOverride(command: Command): void {
  command.exitOverride().showHelpAfterError("(run with --help for usage)");
  for (const sub of command.commands) applyExitOverride(sub);
}
