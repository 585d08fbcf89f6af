import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeAtomically, writeFileAtomic } from "./atomic-file.js";

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
});
