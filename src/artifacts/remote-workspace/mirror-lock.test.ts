import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ExitCode, type TsmlError } from "../../core/errors.js";
import { lockMirror } from "./mirror-lock.js";

const dir = mkdtempSync(join(tmpdir(), "tsml-mirror-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("one process per S3 mirror", () => {
  it("a second holder is refused (exit 6, naming the cache and the holder); release frees it", () => {
    const release = lockMirror(dir);
    try {
      lockMirror(dir);
      expect.unreachable();
    } catch (error) {
      expect((error as TsmlError).exitCode).toBe(ExitCode.environment);
      expect((error as TsmlError).message).toContain(
        `${dir} is in use by another tsml process (pid ${process.pid})`,
      );
    }
    release();
    expect(existsSync(join(dir, ".tsml-s3-lock"))).toBe(false);
    lockMirror(dir)();
  });

  it("takes over a lock left by a process of this host that no longer runs", () => {
    mkdirSync(join(dir, ".tsml-s3-lock"));
    // Beyond the kernel's pid range (pid_max is at most 2^22): no process has it.
    writeFileSync(join(dir, ".tsml-s3-lock", "owner"), `${hostname()} 99999999\n`);
    const release = lockMirror(dir);
    release();
    expect(existsSync(join(dir, ".tsml-s3-lock"))).toBe(false);
  });
});
