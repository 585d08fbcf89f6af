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
import { registerServe } from "./serve-command.js";
import { registerTrain } from "./train-command.js";

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
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.addHelpText(
    "after",
    "\nExample:\n  tsml ingest csv spx.csv --ticker SPX && tsml features --ticker SPX && tsml train --ticker SPX --model rf\n" +
      "\nExit codes: 0 ok, 1 internal error, 2 usage, 3 bad input data, 4 source/network/database, 5 gate failed,\n" +
      "6 environment (disk full, read-only or forbidden folder, a file where a folder must be)\n",
  );
  // Each subcommand registers itself; keep this list in pipeline order.
  registerIngest(program);
  registerFeatures(program);
  registerTrain(program);
  registerPredict(program);
  registerLs(program);
  registerBacktest(program);
  registerEvaluate(program);
  registerExport(program);
  registerRegistry(program);
  registerServe(program);
  // Subcommands inherit exitOverride so usage errors come back to main() as exit code 2.
  for (const command of program.commands) applyExitOverride(command);
  return program;
}

function applyExitOverride(command: Command): void {
  command.exitOverride().showHelpAfterError("(run with --help for usage)");
  for (const sub of command.commands) applyExitOverride(sub);
}
