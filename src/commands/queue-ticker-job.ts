// The worker's side of a batch command's ticker job: run `tsml <command> ... --ticker T` as a process of its
// own against the worker's workspace, and turn a non-zero exit into the job's one failure with the process's
// last error line and exit code.

import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DataError, type ExitCodeValue, TsmlError } from "../core/errors.js";
import { QUEUED_BATCH_INPUTS } from "./queue-batch-commands.js";

const TSML_BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "tsml.js");

/** Checks the payload names a queued batch command (nothing else runs from the queue) and returns its argv. */
function jobArgv(data: Record<string, unknown>): string[] {
  const { command, argv } = data;
  if (
    typeof command !== "string" ||
    !(command in QUEUED_BATCH_INPUTS) ||
    !Array.isArray(argv) ||
    !argv.every((a) => typeof a === "string") ||
    !argv.includes(command) ||
    argv.some((a) => a === "--workspace" || a.startsWith("--workspace="))
  )
    throw new DataError(`queue job: not a tsml batch command (${JSON.stringify(command)})`);
  return argv as string[];
}

/**
 * @example await runTickerJob("/shared/ws", { command: "features", argv: ["features", "--ticker", "SPX"] })
 */
export function runTickerJob(workspace: string, data: Record<string, unknown>): Promise<{ stdout: string }> {
  const argv = jobArgv(data);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSML_BIN, "--workspace", workspace, ...argv], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout = (stdout + d).slice(-4_000);
    });
    child.stderr.on("data", (d) => {
      stderr = (stderr + d).slice(-4_000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) return resolve({ stdout: stdout.slice(-1_000) });
      // The process's error is its last `tsml: ` line, with the `hint: ` line after it (cli/main.ts prints both).
      const lines = stderr.trim().split("\n");
      const error = lines
        .filter((l) => l.startsWith("tsml: "))
        .at(-1)
        ?.slice(6);
      const hint = lines
        .filter((l) => l.startsWith("hint: "))
        .at(-1)
        ?.slice(6);
      const message = error ?? lines.filter(Boolean).at(-1) ?? `exited with ${code}`;
      reject(new TsmlError(message, (code ?? 1) as ExitCodeValue, hint));
    });
  });
}
