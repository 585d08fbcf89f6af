// Entry point: parses argv, runs one command, and maps every error to one line and an exit code.

import { CommanderError } from "commander";
import { ExitCode, TsmlError } from "../core/errors.js";
import { buildProgram } from "./program.js";
import { setArgv } from "./run-action.js";

/** Runs the CLI and resolves to the process exit code (never throws). */
export async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes("--verbose");
  // Table and chart libraries colour by default; outside a terminal (pipes, files, CI) or with --no-color /
  // NO_COLOR their escape codes are noise. They read FORCE_COLOR when first loaded, which is after this line.
  const plain = argv.includes("--no-color") || Boolean(process.env.NO_COLOR) || !process.stdout.isTTY;
  if (plain && process.env.FORCE_COLOR === undefined) process.env.FORCE_COLOR = "0";
  setArgv(argv);
  // A reader that stops early (`tsml ... -o - | head`) closes the pipe: that ends the run quietly, as for any
  // Unix filter, instead of an unhandled 'error' event with a stack trace.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(ExitCode.ok);
    throw error;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return ExitCode.ok;
  } catch (error) {
    return reportError(error, verbose);
  }
}

function reportError(error: unknown, verbose: boolean): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message (help and version exit 0).
    if (
      error.code === "commander.helpDisplayed" ||
      error.code === "commander.version" ||
      error.code === "commander.help"
    ) {
      return ExitCode.ok;
    }
    return ExitCode.usage;
  }
  // Only stdout's own broken pipe is quiet; a database or HTTP socket's EPIPE is still an error.
  if ((error as NodeJS.ErrnoException | undefined)?.code === "EPIPE" && process.stdout.destroyed)
    return ExitCode.ok;
  if (error instanceof TsmlError) {
    process.stderr.write(`tsml: ${error.message}\n`);
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`tsml: internal error: ${message.split("\n")[0]}\n`);
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write("hint: run again with --verbose for a stack trace, and please report it\n");
  return ExitCode.internal;
}
