// Hostile ticker names: the ticker -> file name mapping is one-to-one (escaped, not replaced), plain tickers
// keep their names, names that cannot be stored are one-line usage errors, listing decodes the names back, and
// a workspace file holding another ticker (an older workspace's shared name) is refused on read.

import { copyFileSync, existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import {
  MAX_TICKER_FILE_NAME,
  tickerFileName,
  tickerFromFileName,
  tickersWith,
} from "../../src/artifacts/workspace.js";
import { runTsml } from "../helpers/run-cli.js";

// Real data from ../shared (beside the checkout in CI); without it these tests are skipped, saying why.
const HAS_SHARED = existsSync(resolve(import.meta.dirname, "..", "..", "..", "shared", "data"));
if (!HAS_SHARED)
  console.log(
    `skipping the tests of ticker-attack.test.ts that read ../shared/data: it is not beside this checkout`,
  );

const PRICES = resolve(import.meta.dirname, "..", "..", "..", "shared", "data", "prices");
const AAPL = join(PRICES, "AAPL_1980-2020_yahoo.csv");
const IBM = join(PRICES, "IBM_1962-2020_yahoo.csv");
const dir = mkdtempSync(join(tmpdir(), "tsml-attack-ticker-"));

/** Ticker and row count of a Parquet file, read with DuckDB SQL (not tsml's reader). */
async function parquetTickers(path: string): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const rows = (
      await connection.runAndReadAll(
        `SELECT ticker, count(*) FROM read_parquet('${path.replaceAll("'", "''")}') GROUP BY 1`,
      )
    ).getRows();
    return Object.fromEntries(rows.map(([t, n]) => [String(t), Number(n)]));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe.skipIf(!HAS_SHARED)("tickerFileName", () => {
  it("keeps plain tickers readable and as the old mapping named them", () => {
    for (const plain of ["AAPL", "BRK.B", "2330.TW", "^GSPC", "BTC-USD", "EURUSD=X", "BRK_B", "a"])
      expect(tickerFileName(plain)).toBe(plain);
  });

  it("is one-to-one on names the old mapping collapsed, and decodes back", () => {
    const awkward = [
      "a/b",
      "a b",
      "a_b",
      "a\\b",
      "a%2Fb",
      "a%b",
      "..",
      ".",
      ".hidden",
      "a.",
      "台積電",
      "A:B",
      "a*b?",
      "e\u0301",
      "é",
      "😀",
    ];
    const names = awkward.map(tickerFileName);
    expect(new Set(names).size).toBe(awkward.length);
    for (const [i, name] of names.entries()) {
      expect(name, awkward[i]).toMatch(/^[A-Za-z0-9._^=%-]+$/);
      expect(name.startsWith("."), awkward[i]).toBe(false);
      expect(tickerFromFileName(name)).toBe(awkward[i]);
    }
    expect(tickerFileName("a/b")).toBe("a%2Fb");
    expect(tickerFileName("a b")).toBe("a%20b");
    expect(tickerFileName("..")).toBe("%2E.");
  });

  it("refuses names that cannot be stored, with a usage error", () => {
    for (const bad of ["", "x".repeat(MAX_TICKER_FILE_NAME + 1), "a\nb", "a\tb", "a\u0000b", "a\ud800b"])
      expect(() => tickerFileName(bad)).toThrow(expect.objectContaining({ exitCode: 2 }));
    // Escaping counts against the limit: 67 slashes become 201 characters.
    expect(() => tickerFileName("/".repeat(67))).toThrow(/too long to store/);
    expect(tickerFileName("x".repeat(MAX_TICKER_FILE_NAME))).toHaveLength(MAX_TICKER_FILE_NAME);
  });

  it("lists workspace tickers decoded, skipping names tsml would not have written", () => {
    const ws = join(dir, "listing");
    for (const ticker of ["a/b", "a b", "SPX"]) {
      const path = join(ws, "bars", `${tickerFileName(ticker)}.parquet`);
      expect(runTsml(["--quiet", "ingest", "csv", IBM, "--ticker", ticker, "-o", path]).code).toBe(0);
    }
    copyFileSync(join(ws, "bars", "SPX.parquet"), join(ws, "bars", "odd%zz.parquet"));
    copyFileSync(join(ws, "bars", "SPX.parquet"), join(ws, "bars", "a%2fb.parquet"));
    expect(tickersWith(ws, "bars")).toEqual(["SPX", "a b", "a/b"]);
  });
});

describe.skipIf(!HAS_SHARED)("tickers through the built CLI", () => {
  it("a/b and 'a b' get their own files, and features --ticker a/b runs on a/b's data", async () => {
    const ws = join(dir, "collide");
    const first = runTsml(["--workspace", ws, "--quiet", "ingest", "csv", AAPL, "--ticker", "a/b"]);
    expect(first.code, first.stderr).toBe(0);
    const second = runTsml(["--workspace", ws, "--quiet", "ingest", "csv", IBM, "--ticker", "a b"]);
    expect(second.code, second.stderr).toBe(0);
    expect(readdirSync(join(ws, "bars")).sort()).toEqual(["a%20b.parquet", "a%2Fb.parquet"]);
    const aapl = await parquetTickers(join(ws, "bars", "a%2Fb.parquet"));
    const ibm = await parquetTickers(join(ws, "bars", "a%20b.parquet"));
    expect(Object.keys(aapl)).toEqual(["a/b"]);
    expect(Object.keys(ibm)).toEqual(["a b"]);
    expect(aapl["a/b"]).not.toBe(ibm["a b"]);

    const features = runTsml(["--workspace", ws, "--json", "--quiet", "features", "--ticker", "a/b"]);
    expect(features.code, features.stderr).toBe(0);
    const out = join(ws, "features", "a%2Fb.parquet");
    expect(JSON.parse(features.stdout).outputs[0]).toMatchObject({
      ticker: "a/b",
      path: out,
      rowsIn: aapl["a/b"],
    });
    expect(Object.keys(await parquetTickers(out))).toEqual(["a/b"]);

    // Without --ticker, every ticker in the workspace, by its real name.
    const all = runTsml(["--workspace", ws, "--json", "--quiet", "features"]);
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout).outputs.map((o: { ticker: string }) => o.ticker)).toEqual(["a b", "a/b"]);
    // `tsml ls --json` gives each file's real ticker.
    const ls = runTsml(["--workspace", ws, "--json", "ls"]);
    expect(ls.code, ls.stderr).toBe(0);
    const listed = JSON.parse(ls.stdout).artifacts.map((a: { path: string; ticker: string }) => [
      a.path,
      a.ticker,
    ]);
    expect(listed).toEqual([
      ["bars/a%20b.parquet", "a b"],
      ["bars/a%2Fb.parquet", "a/b"],
      ["features/a%20b.parquet", "a b"],
      ["features/a%2Fb.parquet", "a/b"],
    ]);
  });

  it("a 300-character ticker is exit 2 on one line, with no stack trace and no file", () => {
    const ws = join(dir, "long");
    const run = runTsml(["--workspace", ws, "ingest", "csv", IBM, "--ticker", "x".repeat(300)]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^tsml: ticker "x{40}\.\.\." is too long to store \(300 characters/);
    expect(run.stderr.split("\n").filter((l) => l.startsWith("tsml:"))).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(existsSync(join(ws, "bars")) ? readdirSync(join(ws, "bars")) : []).toEqual([]);
  });

  it("a workspace file holding another ticker is refused on read, naming both", () => {
    // An older tsml stored 'a b' as bars/a_b.parquet; reading it as ticker a_b must not give a b's data.
    const ws = join(dir, "old-names");
    expect(runTsml(["--workspace", ws, "--quiet", "ingest", "csv", IBM, "--ticker", "a b"]).code).toBe(0);
    copyFileSync(join(ws, "bars", "a%20b.parquet"), join(ws, "bars", "a_b.parquet"));
    const run = runTsml(["--workspace", ws, "features", "--ticker", "a_b"]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/^tsml: .*a_b\.parquet: holds ticker "a b", not "a_b"\nhint: /);
    expect(existsSync(join(ws, "features", "a_b.parquet"))).toBe(false);
  });
});
