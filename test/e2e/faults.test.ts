// End to end with the built CLI (`npm run build` first): what the machine refuses ends as one line with a
// documented exit code, never a stack trace or a half-written artifact. Disk full (/dev/full and a full tmpfs),
// a read-only folder (a read-only tmpfs: root ignores chmod), permission denied (run as nobody), a file where
// the workspace folder should be, a folder given as input or output, an unknown host, kill -9 mid-write, and a
// metric over zero rows behind a gate.

import { spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { makeProvenance } from "../../src/artifacts/provenance.js";
import { tableMeta, writeTable } from "../../src/artifacts/table-io.js";
import { Frame } from "../../src/frame/frame.js";
import { runTsml, TSML_BIN } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const csv = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-faults-"));
const ws = join(dir, "ws");
const bars = join(ws, "bars", "SPX.parquet");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--no-color", ...args]);
const mounted: string[] = [];

/** stderr is exactly the error line and its hint: no stack trace, no "internal error". */
function expectOneLine(stderr: string, message: RegExp): void {
  const lines = stderr.trimEnd().split("\n");
  expect(lines[0], stderr).toMatch(/^tsml: /);
  expect(lines[0], stderr).toMatch(message);
  expect(lines[0]).not.toMatch(/internal error/);
  expect(lines.length, stderr).toBe(2);
  expect(lines[1]).toMatch(/^hint: \S/);
  expect(stderr).not.toMatch(/\n\s+at /);
}

/** Mounts a small tmpfs at a fresh folder, or says why it cannot (not root, no CAP_SYS_ADMIN). */
function mountTmpfs(name: string, options: string): { path: string } | { reason: string } {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  if (process.getuid?.() !== 0) return { reason: "mounting a tmpfs needs root" };
  const run = spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", path], { encoding: "utf8" });
  if (run.status !== 0) return { reason: `mount -t tmpfs not permitted here: ${run.stderr.trim()}` };
  mounted.push(path);
  return { path };
}

function skipBecause(ctx: TestContext, reason: string): never {
  console.warn(`skipped "${ctx.task.name}": ${reason}`);
  return ctx.skip(reason);
}

/** A predictions table whose probabilities are all NaN (issue 17's zero-row evaluation). */
async function writeNanProbabilities(path: string): Promise<void> {
  const n = 6;
  const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1 + i));
  const frame = Frame.fromColumns("SPX", time, {
    pred: Float64Array.from([1, 0, 1, 0, 1, 0]),
    proba: new Float64Array(n).fill(Number.NaN),
    label: Float64Array.from([1, 0, 0, 0, 1, 1]),
  });
  await writeTable(
    path,
    frame,
    tableMeta("predictions", await makeProvenance({ command: "e2e", options: {} })),
  );
}

/** A bars table large enough that exporting it as CSV takes a second or two. */
async function writeBigTable(path: string, n: number): Promise<void> {
  const time = Float64Array.from({ length: n }, (_, i) => Date.UTC(1990, 0, 1) + i * 60_000);
  const wave = (k: number) => Float64Array.from({ length: n }, (_, i) => 1000 + 100 * Math.sin(i * k));
  const frame = Frame.fromColumns("BIG", time, {
    open: wave(1),
    high: wave(2),
    low: wave(3),
    close: wave(4),
  });
  await writeTable(path, frame, tableMeta("bars", await makeProvenance({ command: "e2e", options: {} })));
}

beforeAll(() => {
  if (!existsSync(join(root, "dist", "cli", "main.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
  const run = tsml("ingest", "csv", csv, "--ticker", "SPX");
  expect(run.code, run.stderr).toBe(0);
});

afterAll(() => {
  for (const path of mounted) spawnSync("umount", [path]);
  rmSync(dir, { recursive: true, force: true });
});

describe("disk full", () => {
  it("-o - > /dev/full ends with exit 6 and one line, for text and for Parquet", (ctx) => {
    if (!existsSync("/dev/full")) skipBecause(ctx, "/dev/full does not exist here");
    for (const args of [
      ["export", "table", "-i", bars, "--format", "csv", "-o", "-"],
      ["ingest", "csv", csv, "--ticker", "FULL", "-o", "-"],
    ]) {
      const full = openSync("/dev/full", "w");
      const run = spawnSync(process.execPath, [TSML_BIN, "--workspace", ws, ...args], {
        stdio: ["ignore", full, "pipe"],
        encoding: "utf8",
        env: { ...process.env, TZ: "UTC" },
      });
      closeSync(full);
      expect(run.status, run.stderr).toBe(6);
      expectOneLine(run.stderr, /^tsml: cannot write stdout: no space left on device \(ENOSPC\)$/);
    }
    // -o - writes nothing into the workspace.
    expect(existsSync(join(ws, "bars", "FULL.parquet"))).toBe(false);
  });

  it("a full disk keeps the old file and leaves no temp behind (ENOSPC, exit 6)", (ctx) => {
    const fs = mountTmpfs("full", "size=64k");
    if ("reason" in fs) return skipBecause(ctx, fs.reason);
    const old = join(fs.path, "spx.csv");
    writeFileSync(old, "old contents\n");
    const run = tsml("export", "table", "-i", bars, "-o", old);
    expect(run.code, run.stderr).toBe(6);
    expectOneLine(
      run.stderr,
      new RegExp(`^tsml: cannot write ${old}: no space left on device \\(ENOSPC\\)$`),
    );
    expect(readFileSync(old, "utf8")).toBe("old contents\n");
    const parquet = tsml("ingest", "csv", csv, "--ticker", "SPX", "-o", join(fs.path, "bars.parquet"));
    expect(parquet.code, parquet.stderr).toBe(6);
    expectOneLine(parquet.stderr, /no space left on device \(ENOSPC\)$/);
    expect(readdirSync(fs.path)).toEqual(["spx.csv"]);
  });
});

describe("read-only and forbidden folders", () => {
  it("a read-only output folder or workspace is exit 6 naming the path (EROFS)", (ctx) => {
    const fs = mountTmpfs("readonly", "size=64k,ro");
    if ("reason" in fs) return skipBecause(ctx, fs.reason);
    const out = join(fs.path, "spx.csv");
    const run = tsml("export", "table", "-i", bars, "-o", out);
    expect(run.code, run.stderr).toBe(6);
    expectOneLine(run.stderr, new RegExp(`^tsml: cannot write ${out}: read-only file system \\(EROFS\\)$`));
    const workspace = runTsml(["--workspace", join(fs.path, "ws"), "ingest", "csv", csv, "--ticker", "SPX"]);
    expect(workspace.code, workspace.stderr).toBe(6);
    expectOneLine(
      workspace.stderr,
      new RegExp(
        `^tsml: cannot create folder ${join(fs.path, "ws")}\\S*: read-only file system \\(EROFS\\)$`,
      ),
    );
    expect(readdirSync(fs.path)).toEqual([]);
  });

  it("a folder the user may not write is exit 6 (EACCES; run as nobody when root)", (ctx) => {
    const locked = join(dir, "locked");
    mkdirSync(locked, { mode: 0o555 });
    const asRoot = process.getuid?.() === 0;
    const run = spawnSync(
      process.execPath,
      [TSML_BIN, "--workspace", join(locked, "ws"), "ingest", "csv", csv, "--ticker", "SPX"],
      { encoding: "utf8", env: { ...process.env, TZ: "UTC" }, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) },
    );
    if (run.error) return skipBecause(ctx, `cannot run as an unprivileged user: ${run.error.message}`);
    expect(run.status, run.stderr).toBe(6);
    expectOneLine(run.stderr, /^tsml: cannot create folder \S*locked\/ws\S*: permission denied \(EACCES\)$/);
    expect(readdirSync(locked)).toEqual([]);
  });
});

describe("paths of the wrong kind", () => {
  it("--workspace naming a file is exit 6, names the file, and leaves it alone (ENOTDIR)", () => {
    const file = join(dir, "not-a-folder");
    writeFileSync(file, "precious\n");
    const run = runTsml(["--workspace", file, "ingest", "csv", csv, "--ticker", "SPX"]);
    expect(run.code, run.stderr).toBe(6);
    expectOneLine(run.stderr, new RegExp(`${file} is a file, not a folder \\(ENOTDIR\\)$`));
    expect(readFileSync(file, "utf8")).toBe("precious\n");
  });

  it("an input that is a folder is bad input (exit 3) naming it; an output that is one is exit 6", () => {
    for (const args of [
      ["export", "table", "-i", ws, "-o", join(dir, "never.csv")],
      ["evaluate", "-i", ws, "--no-record"],
    ]) {
      const run = tsml(...args);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr.split("\n")[0]).toBe(
        `tsml: ${ws}: is a directory, ${args[0] === "export" ? "expected a Parquet file or a JSON artifact" : "expected a Parquet file"}`,
      );
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    expect(existsSync(join(dir, "never.csv"))).toBe(false);
    const folder = join(dir, "an-output-folder");
    mkdirSync(folder);
    const out = tsml("export", "table", "-i", bars, "--format", "csv", "-o", folder);
    expect(out.code, out.stderr).toBe(6);
    expectOneLine(
      out.stderr,
      new RegExp(`^tsml: cannot write ${folder}: it is a folder, not a file \\(EISDIR\\)$`),
    );
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe("network", () => {
  it("an unresolvable --host is exit 4 with one line (ENOTFOUND or EAI_AGAIN)", () => {
    const run = tsml("serve", "--host", "no-such-host.invalid", "--port", "0");
    expect(run.code, run.stderr).toBe(4);
    const lines = run.stderr
      .trimEnd()
      .split("\n")
      .filter((l) => !l.startsWith("warning:"));
    expect(lines[0]).toMatch(/^tsml: cannot resolve no-such-host\.invalid: .* \((ENOTFOUND|EAI_AGAIN)\)$/);
    expect(lines[1]).toMatch(/^hint: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("kill -9 mid-write", () => {
  it("leaves only a temp named after the dead pid, and the next write into that folder removes it", async () => {
    const big = join(dir, "big.parquet");
    await writeBigTable(big, 300_000);
    const out = join(dir, "exports");
    mkdirSync(out);
    const child = spawn(
      process.execPath,
      [TSML_BIN, "export", "table", "-i", big, "-o", join(out, "big.csv")],
      {
        stdio: "ignore",
        env: { ...process.env, TZ: "UTC" },
      },
    );
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    const pid = child.pid as number;
    const tempName = new RegExp(`^\\.big\\.csv\\.[0-9a-f]{6}-${pid}\\.[0-9a-f]{8}\\.tmp$`);
    let temp: string | undefined;
    for (let waited = 0; waited < 30_000 && temp === undefined; waited += 5) {
      temp = readdirSync(out).find((name) => tempName.test(name));
      if (temp === undefined) await new Promise((r) => setTimeout(r, 5));
    }
    expect(temp, "the export never started writing").toBeDefined();
    child.kill("SIGKILL");
    await exited;
    // The half-written temp is all that is left; the target was never created.
    expect(readdirSync(out)).toEqual([temp]);
    await writeNanProbabilities(join(dir, "small.parquet"));
    const next = tsml("export", "table", "-i", join(dir, "small.parquet"), "-o", join(out, "small.csv"));
    expect(next.code, next.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(["small.csv"]);
    expect(readFileSync(join(out, "small.csv"), "utf8").split("\n")[0]).toBe("ticker,date,pred,proba,label");
  });
});

describe("a metric over zero rows", () => {
  it("is null in JSON, n/a in the table, and fails its gate (exit 5) saying why", async () => {
    const path = join(dir, "nan-proba.parquet");
    await writeNanProbabilities(path);
    const run = tsml(
      "evaluate",
      "-i",
      path,
      "--no-record",
      "--fail-if",
      "log_loss>0.7",
      "-o",
      join(dir, "m.json"),
    );
    expect(run.code, run.stderr).toBe(5);
    expect(run.stdout).toMatch(/│ log_loss\s+│ n\/a\s+│/);
    expect(run.stdout).toMatch(/FAIL SPX: log_loss>0\.7 \(log_loss is undefined: no rows could be scored\)/);
    expect(run.stderr.split("\n")[0]).toBe(
      "tsml: gate failed: log_loss>0.7 on SPX (log_loss is undefined: no rows could be scored)",
    );
    const metrics = JSON.parse(readFileSync(join(dir, "m.json"), "utf8")).tickers[0].metrics;
    expect(metrics.rows).toBe(0);
    for (const name of ["accuracy", "log_loss", "roc_auc", "roc_auc_hard", "overall_score"])
      expect(metrics[name], name).toBeNull();
  });
});
