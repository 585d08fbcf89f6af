// Entry point: parses argv, runs one command, and maps every error to one line and an exit code.

import { type Command, CommanderError } from "commander";
import { ExitCode, TsmlError } from "../core/errors.js";
import { fromOsError } from "../core/os-error.js";
import { redact, registerSecretsFromArgv, registerSecretsFromEnv } from "../core/redact.js";
import { buildProgram } from "./program.js";
import { setArgv } from "./run-action.js";

let stdoutGuarded = false;

/** Runs the CLI and resolves to the process exit code (never throws). */
export async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes("--verbose");
  // Table and chart libraries colour by default; outside a terminal (pipes, files, CI) or with --no-color /
  // NO_COLOR their escape codes are noise. They read FORCE_COLOR when first loaded, which is after this line.
  const plain = argv.includes("--no-color") || Boolean(process.env.NO_COLOR) || !process.stdout.isTTY;
  if (plain && process.env.FORCE_COLOR === undefined) process.env.FORCE_COLOR = "0";
  // Secrets given as flags, inside URLs or in the environment are known from here on: every sink redacts them.
  registerSecretsFromArgv(argv);
  registerSecretsFromEnv(process.env);
  setArgv(argv);
  // A reader that stops early (`tsml ... -o - | head`) closes the pipe: that ends the run quietly, as for any
  // Unix filter, instead of an unhandled 'error' event with a stack trace. Once per process: a worker's job
  // runner calls main() for job after job.
  if (!stdoutGuarded) {
    stdoutGuarded = true;
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(ExitCode.ok);
      // `-o - > /dev/full`: the same one line as any other disk refusal, not an uncaught stack trace.
      const known = fromOsError(error, { path: "stdout", writing: true });
      if (!known) throw error;
      process.exit(reportError(known, verbose, error));
    });
  }
  const program = buildProgram();
  redactCommanderErrors(program);
  try {
    await program.parseAsync(argv as string[]);
    return ExitCode.ok;
  } catch (error) {
    return reportError(error, verbose);
  }
}

/** Prints one error (its `cause`'s stack with --verbose) and returns its exit code. */
function reportError(error: unknown, verbose: boolean, cause?: unknown): number {
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
  // A system error (disk full, read-only folder, a file where a folder must be, unknown host) is the machine's
  // refusal, not a bug: one line naming the path, a hint, and its documented exit code (6, or 4 for network).
  const known = error instanceof TsmlError ? error : fromOsError(error);
  if (known) {
    writeErr(`tsml: ${known.message}\n`);
    if (known.hint) writeErr(`hint: ${known.hint}\n`);
    // --verbose: the stack of the system error itself (kept as `cause`), where the refusal happened.
    const origin = cause ?? (known.cause instanceof Error ? known.cause : error);
    if (verbose && origin instanceof Error && origin.stack) writeErr(`${origin.stack}\n`);
    return known.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  writeErr(`tsml: internal error: ${message.split("\n")[0]}\n`);
  if (verbose && error instanceof Error && error.stack) writeErr(`${error.stack}\n`);
  else writeErr("hint: run again with --verbose for a stack trace, and please report it\n");
  return ExitCode.internal;
}

/** Every line main() writes to stderr is redacted: driver and HTTP errors may quote a URL with its password. */
function writeErr(text: string): void {
  process.stderr.write(redact(text));
}

/**
 * Commander prints its own usage errors: route them through `redact` too, and mask the value of an unknown
 * `--option=VALUE` (a misspelt `--api-kee=KEY` is not known to be a secret, so no value is shown).
 */
function redactCommanderErrors(command: Command): void {
  command.configureOutput({
    writeErr: (text) => writeErr(text.replace(/(unknown option '[^'=\s]+=)[^']*'/g, "$1***'")),
  });
  for (const sub of command.commands) redactCommanderErrors(sub);
}
