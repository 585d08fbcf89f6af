import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { changedInputs, checkInputs, type FileHasher, memoHasher } from "./freshness.js";

const dir = mkdtempSync(join(tmpdir(), "tsml-freshness-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

describe("freshness", () => {
  it("compares each recorded input's sha256 with the file now", async () => {
    const same = join(dir, "same.csv");
    const edited = join(dir, "edited.csv");
    writeFileSync(same, "a,b\n1,2\n");
    writeFileSync(edited, "a,b\n1,3\n");
    const provenance = {
      inputs: [
        { path: same, sha256: sha("a,b\n1,2\n") },
        { path: edited, sha256: sha("a,b\n1,2\n") },
        { path: join(dir, "gone.csv"), sha256: sha("x") },
        { path: "-", sha256: sha("stdin") },
        { path: "https://example.com/q?x=1", sha256: "" },
      ],
    };
    expect(await checkInputs(provenance)).toEqual([
      { path: same, state: "same" },
      { path: edited, state: "changed" },
      { path: join(dir, "gone.csv"), state: "missing" },
      { path: "-", state: "not a file" },
      { path: "https://example.com/q?x=1", state: "not a file" },
    ]);
    expect(await changedInputs(provenance)).toEqual([edited]);
  });

  it("an artifact with no recorded inputs is fresh", async () => {
    expect(await changedInputs({ inputs: [] })).toEqual([]);
  });

  it("a memo hashes each input once per invocation, and again when its size or time changed", async () => {
    const shared = join(dir, "shared.csv");
    writeFileSync(shared, "a\n1\n");
    const hashed: string[] = [];
    const counting: FileHasher = async (path) => {
      hashed.push(path);
      return sha(readFileSync(path, "utf8"));
    };
    const hash = memoHasher(counting);
    // 200 artifacts built from one file (bars ingested from one CSV): one hash.
    const provenance = { inputs: [{ path: shared, sha256: sha("a\n1\n") }] };
    for (let k = 0; k < 200; k++)
      expect(await checkInputs(provenance, hash)).toEqual([{ path: shared, state: "same" }]);
    expect(hashed).toEqual([shared]);
    // Rewritten with the same size, its time moved on: hashed again, and found changed.
    writeFileSync(shared, "a\n2\n");
    utimesSync(shared, new Date(), new Date(Date.now() + 5000));
    expect(await checkInputs(provenance, hash)).toEqual([{ path: shared, state: "changed" }]);
    expect(hashed).toEqual([shared, shared]);
  });
});
