// sha256File against coreutils' sha256sum: empty, one byte, and files spanning several read chunks (1 MiB) with
// a partial last one.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sha256File } from "./fingerprint.js";

const dir = mkdtempSync(join(tmpdir(), "tsml-fingerprint-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sha256File", () => {
  for (const size of [0, 1, (1 << 20) - 1, 1 << 20, 3 * (1 << 20) + 12345]) {
    it(`matches sha256sum on a ${size}-byte file`, async () => {
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 2654435761) >>> 24;
      const path = join(dir, `f${size}.bin`);
      writeFileSync(path, bytes);
      const expected = execFileSync("sha256sum", [path], { encoding: "utf8" }).split(" ")[0];
      expect(await sha256File(path)).toBe(expected);
    });
  }
});
