import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { isProcessAlive, removeStaleTemps, writeAtomically, writeFileAtomic } from "./atomic-file.js";
import { ExitCode, TsmlError } from "./errors.js";

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  });
  const pid = Number(child.stdout);
  expect(isProcessAlive(pid)).toBe(false);
  return pid;
}

describe("atomic writes", () => {
  it("replaces the target only when the write succeeds", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsml-atomic-"));
    const target = join(dir, "out.txt");
    writeFileSync(target, "old");
    await expect(
      writeAtomically(target, async (temp) => {
        writeFileSync(temp, "half");
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    expect(readFileSync(target, "utf8")).toBe("old");
    expect(readdirSync(dir)).toEqual(["out.txt"]);
    await writeFileAtomic(target, "new");
    expect(readFileSync(target, "utf8")).toBe("new");
    expect(readdirSync(dir)).toEqual(["out.txt"]);
  });

  it("names temp files after the writing process", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsml-atomic-"));
    let seen = "";
    await writeAtomically(join(dir, "out.csv"), async (temp) => {
      seen = basename(temp);
      writeFileSync(temp, "x");
    });
    expect(seen).toMatch(new RegExp(`^\\.out\\.csv\\.[0-9a-f]{6}-${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
  });

  it("removes the temps of dead writers on the next write, and only those", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsml-atomic-"));
    let host = "";
    await writeAtomically(join(dir, "probe.csv"), async (temp) => {
      host = /\.([0-9a-f]{6})-\d+\.[0-9a-f]{8}\.tmp$/.exec(temp)?.[1] ?? "";
      writeFileSync(temp, "x");
    });
    expect(host).toMatch(/^[0-9a-f]{6}$/);
    const otherHost = host === "000000" ? "111111" : "000000";
    const dead = deadPid();
    const stale = `.spx.csv.${host}-${dead}.0badc0de.tmp`;
    const live = `.spx.csv.${host}-${process.ppid}.0badc0de.tmp`;
    const foreign = `.spx.csv.${otherHost}-${dead}.0badc0de.tmp`;
    const unrelated = "notes.tmp";
    for (const name of [stale, live, foreign, unrelated]) writeFileSync(join(dir, name), "half-written");
    expect(removeStaleTemps(dir)).toEqual([stale]);
    writeFileSync(join(dir, stale), "half-written again");
    // A fresh process sweeps each folder on its first write there; this one already swept `dir`.
    const other = mkdtempSync(join(tmpdir(), "tsml-atomic-"));
    writeFileSync(join(other, stale), "half-written");
    await writeFileAtomic(join(other, "spx.csv"), "complete");
    expect(readdirSync(other).sort()).toEqual(["spx.csv"]);
    expect(readdirSync(dir).sort()).toEqual([stale, live, foreign, unrelated, "probe.csv"].sort());
  });

  it("reports a refused write as an environment error naming the target, not its temp", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsml-atomic-"));
    const target = join(dir, "out.parquet");
    let caught: unknown;
    try {
      await writeAtomically(target, async (temp) => {
        writeFileSync(temp, "half");
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${temp}'`), {
          code: "ENOSPC",
          syscall: "write",
          path: temp,
        });
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TsmlError);
    expect((caught as TsmlError).exitCode).toBe(ExitCode.environment);
    expect((caught as TsmlError).message).toBe(`cannot write ${target}: no space left on device (ENOSPC)`);
    expect(readdirSync(dir)).toEqual([]);
  });
});
