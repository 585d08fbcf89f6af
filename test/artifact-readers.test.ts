// Every stage reads artifacts through the one reader of their kind (src/artifacts/kinds/), which types the
// details and migrates older files. The raw `readTable` stays inside src/artifacts, plus the table exporter,
// which passes any Parquet through untouched.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "..", "src");
const RAW_READER_ALLOWED = new Set(["commands/support/export-input.ts"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [full] : [];
  });
}

describe("artifact readers", () => {
  it("only src/artifacts and the pass-through exporter call the raw readTable", () => {
    const offenders = sourceFiles(SRC)
      .map((file) => relative(SRC, file))
      .filter((file) => !file.startsWith("artifacts/") && !RAW_READER_ALLOWED.has(file))
      .filter((file) => /\breadTable\s*\(/.test(readFileSync(join(SRC, file), "utf8")));
    expect(offenders).toEqual([]);
  });
});
