// Runs the built CLI (bin/tsml.js -> dist/) as a child process, the way a user or a shell script would.

import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

export const TSML_BIN = resolve(import.meta.dirname, "..", "..", "bin", "tsml.js");

export function runTsml(
  args: string[],
  options: { input?: string | Buffer; cwd?: string; env?: NodeJS.ProcessEnv } = {},
) {
  const run = spawnSync(process.execPath, [TSML_BIN, ...args], {
    input: options.input,
    cwd: options.cwd,
    env: { ...process.env, TZ: "UTC", ...options.env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
