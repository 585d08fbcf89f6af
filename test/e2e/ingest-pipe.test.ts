// End to end with the built CLI (`npm run build` first): ingest through a shell pipe into a second Parquet
// reader (DuckDB), from stdin, into the workspace (then `tsml ls --json`), and bad data -> exit 3, no output.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const cli = join(root, "bin", "tsml.js");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-ingest-"));
const sp500 = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");

beforeAll(() => {
  if (!existsSync(join(root, "dist", "cli", "main.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sh(command: string, input?: string) {
  const run = spawnSync("sh", ["-c", command], {
    cwd: root,
    input,
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC" },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
const tsml = (args: string) => `"${process.execPath}" "${cli}" ${args}`;

// A second Parquet reader: DuckDB in a separate node process reading the bytes from the pipe.
const readerCommand = (file: string) =>
  `"${process.execPath}" "${join(root, "test", "e2e", "helpers", "parquet-stats.mjs")}" "${file}"`;
// Data rows of the bundled file, counted independently of tsml.
const sp500Rows = () => readFileSync(sp500, "utf8").trim().split("\n").length - 1;

describe("tsml ingest csv (built CLI)", () => {
  it("pipes Parquet on stdout into another reader", () => {
    const run = sh(
      `${tsml(`ingest csv "${sp500}" --ticker SPX -o -`)} | ${readerCommand(join(dir, "piped.parquet"))}`,
    );
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout);
    expect(stats).toMatchObject({
      n: String(sp500Rows()),
      dt: "DATE",
      ticker: "SPX",
      first: "2000-01-03",
      kind: "bars",
    });
    expect(stats.last).toMatch(/^2020-/);
    expect(run.stderr).toMatch(new RegExp(`SPX\\s*│\\s*${sp500Rows()}`)); // the quality report moves to stderr when stdout carries data
  });

  it("reads CSV from stdin", () => {
    const out = join(dir, "stdin.parquet");
    const run = sh(
      tsml(`ingest csv - --ticker X -o "${out}" --json`),
      "Date,Close\n2020-01-03,2\n2020-01-02,1\n",
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 2, tickers: ["X"], outputs: [out] });
  });

  it("ingests into the workspace and lists it", () => {
    const ws = join(dir, "ws");
    const ingest = sh(tsml(`--workspace "${ws}" ingest csv "${sp500}" --ticker SPX`));
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toContain(`ingested ${sp500Rows()} rows, 1 ticker(s)`);
    const ls = sh(tsml(`--workspace "${ws}" ls --json`));
    expect(ls.code).toBe(0);
    const paths = JSON.parse(ls.stdout).artifacts.map((a: { path: string }) => a.path);
    expect(paths).toEqual(["bars/SPX.parquet"]);
  });

  it("rejects bad data with exit 3, one line, and no output file", () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "Date,Open,High,Low,Close\n2020-01-02,5,4,6,5\n");
    const out = join(dir, "bad.parquet");
    const run = sh(tsml(`ingest csv "${bad}" -o "${out}"`));
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^tsml: .*bad\.csv, line 2, column "High": high 4 is below low 6\nhint: .+\n$/,
    );
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(out)).toBe(false);
    const missing = sh(tsml(`ingest csv "${join(dir, "nope.csv")}" -o "${out}"`));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/nope\.csv: file not found/);
  });

  it("rejects a bad --dedupe value as a usage error (exit 2)", () => {
    const run = sh(tsml(`ingest csv "${sp500}" --dedupe middle -o -`));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--dedupe: "middle" is not last or first/);
  });
});
