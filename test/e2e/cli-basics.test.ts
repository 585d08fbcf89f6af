// The built CLI as a user runs it: help, version, usage errors and their exit codes.

import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TSML_BIN, runTsml as tsml } from "../helpers/run-cli.js";

describe("tsml CLI basics", () => {
  it("prints help with the exit codes and the version", () => {
    const help = tsml(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/ingest/);
    expect(help.stdout).toMatch(/Exit codes: 0 ok/);
    const version = tsml(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("shows an example in the help of the program and of every subcommand", () => {
    const pending: string[][] = [[]];
    let checked = 0;
    while (pending.length > 0) {
      const path = pending.pop() ?? [];
      const help = tsml([...path, "--help"]);
      expect(help.code, path.join(" ")).toBe(0);
      expect(help.stdout, `tsml ${path.join(" ")} --help`).toMatch(/\nExamples?:\n {2}tsml /);
      checked += 1;
      // Only the "Commands:" block, which ends at the first blank line (examples follow it).
      const commands = (help.stdout.split("\nCommands:\n")[1] ?? "").split("\n\n")[0] ?? "";
      for (const match of commands.matchAll(/^ {2}([a-z][a-z-]*)/gm)) {
        if (match[1] !== "help") pending.push([...path, match[1] as string]);
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  it("exits 2 on an unknown command or option, without a stack trace", () => {
    const unknown = tsml(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    expect(tsml(["ls", "--bogus"]).code).toBe(2);
    expect(tsml(["--seed", "abc", "ls"]).code).toBe(2);
  });

  it("ends quietly with exit 0 when the reader of -o - closes the pipe early", () => {
    const csv = join(
      import.meta.dirname,
      "..",
      "..",
      "node_modules",
      "vega-datasets",
      "data",
      "sp500-2000.csv",
    );
    const ws = mkdtempSync(join(tmpdir(), "tsml-ws-"));
    // The Parquet output (~260 KB) is larger than a pipe buffer, so the write fails once `head` has exited.
    const shell = `"${process.execPath}" "${TSML_BIN}" --workspace "${ws}" ingest csv "${csv}" --ticker SPX -o - | head -c 10 >/dev/null; echo "rc=\${PIPESTATUS[0]}" >&2`;
    const run = spawnSync("bash", ["-c", shell], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
    expect(run.stderr).toMatch(/rc=0\n/);
    expect(run.stderr).not.toMatch(/EPIPE|internal error|\n\s+at /);
  });

  it("lists an empty workspace as JSON", () => {
    const ws = mkdtempSync(join(tmpdir(), "tsml-ws-"));
    const run = tsml(["--workspace", ws, "--json", "ls"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ workspace: ws, artifacts: [] });
  });
});
