// System errors as documented exit codes: which codes map, what the line says, and what stays a bug.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "./errors.js";
import { fromOsError } from "./os-error.js";

const sysError = (code: string, syscall: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${code}: system said no, ${syscall}`), { code, syscall, ...extra });

describe("fromOsError", () => {
  it("maps disk and permission refusals to exit 6 with the path and a hint", () => {
    const full = fromOsError(sysError("ENOSPC", "write"), { path: "out.csv", writing: true });
    expect(full?.exitCode).toBe(ExitCode.environment);
    expect(full?.message).toBe("cannot write out.csv: no space left on device (ENOSPC)");
    expect(full?.hint).toMatch(/free space/);
    expect(full?.cause).toBeInstanceOf(Error);
    expect(String((full?.cause as Error | undefined)?.message)).toMatch(/^ENOSPC/);
    const readOnly = fromOsError(sysError("EROFS", "open", { path: "/mnt/ro/x.json" }));
    expect(readOnly?.message).toBe("cannot open /mnt/ro/x.json: read-only file system (EROFS)");
    expect(fromOsError(sysError("EACCES", "mkdir", { path: "/x/y" }))?.exitCode).toBe(ExitCode.environment);
  });

  it("names the file that stands where a folder must be (ENOTDIR)", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsml-oserr-"));
    const file = join(dir, "workspace");
    writeFileSync(file, "");
    const mapped = fromOsError(sysError("ENOTDIR", "mkdir", { path: join(file, "bars") }));
    expect(mapped?.message).toBe(
      `cannot create folder ${join(file, "bars")}: ${file} is a file, not a folder (ENOTDIR)`,
    );
  });

  it("reads library messages without an errno code (DuckDB's IO errors)", () => {
    const duck = new Error('IO Error: Cannot open file "x.parquet": Read-only file system');
    expect(fromOsError(duck, { path: "x.parquet", writing: true })?.message).toBe(
      "cannot write x.parquet: read-only file system (EROFS)",
    );
  });

  it("maps an unresolvable host to exit 4 (network)", () => {
    const mapped = fromOsError(sysError("ENOTFOUND", "getaddrinfo", { hostname: "nope.invalid" }));
    expect(mapped?.exitCode).toBe(ExitCode.source);
    expect(mapped?.message).toBe("cannot resolve nope.invalid: host name not found (ENOTFOUND)");
  });

  it("leaves bugs and unknown codes alone (exit 1 stays for real bugs)", () => {
    expect(fromOsError(new TypeError("Cannot read properties of undefined"))).toBeNull();
    expect(fromOsError(sysError("EPIPE", "write"))).toBeNull();
    expect(
      fromOsError(Object.assign(new Error("permission denied for table t"), { code: "42501" })),
    ).toBeNull();
    expect(fromOsError("not an error")).toBeNull();
  });
});
