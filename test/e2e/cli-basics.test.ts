// The built CLI as a user runs it: help, version, usage errors and their exit codes.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTsml as tsml } from "../helpers/run-cli.js";

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
      const commands = help.stdout.split("\nCommands:\n")[1] ?? "";
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

  it("lists an empty workspace as JSON", () => {
    const ws = mkdtempSync(join(tmpdir(), "tsml-ws-"));
    const run = tsml(["--workspace", ws, "--json", "ls"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ workspace: ws, artifacts: [] });
  });
});
