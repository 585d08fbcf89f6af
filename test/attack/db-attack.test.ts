// Hostile use of the database paths through the built CLI, on a DuckDB file, a real PostgreSQL and a real
// MariaDB: `ingest db --query` writes (DELETE, UPDATE, DROP, TRUNCATE, stacked statements, writes hidden in a
// WITH), `--to-db` into a table without a key, three concurrent first writes, and kill -9 in the middle of a
// write. Row counts and sums are read back with the drivers directly, not through tsml.

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import mysql from "mysql2/promise";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTsml, TSML_BIN } from "../helpers/run-cli.js";

// Real data from ../shared (beside the checkout in CI); without it these tests are skipped, saying why.
const HAS_SHARED = existsSync(resolve(import.meta.dirname, "..", "..", "..", "shared", "data"));
if (!HAS_SHARED)
  console.log(
    `skipping the tests of db-attack.test.ts that read ../shared/data: it is not beside this checkout`,
  );

const PG_URL = process.env.TSML_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const MYSQL_URL = process.env.TSML_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";
const REQUIRED = process.env.TSML_REQUIRE_DB === "1";
const RUN = `${process.pid}_${Date.now().toString(36)}`;
const PRICES = resolve(import.meta.dirname, "..", "..", "..", "shared", "data", "prices");
const CSV_A = join(PRICES, "IBM_1962-2020_yahoo.csv");
const CSV_B = join(PRICES, "MSFT_1986-2020_yahoo.csv");
const dir = mkdtempSync(join(tmpdir(), "tsml-attack-db-"));

/** Data rows of a Yahoo CSV without null rows, counted from the text (not by tsml). */
function csvRows(path: string): number {
  return (
    readFileSync(path, "utf8")
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "").length - 1
  );
}
const ROWS_A = HAS_SHARED ? csvRows(CSV_A) : 0;
const ROWS_B = HAS_SHARED ? csvRows(CSV_B) : 0;

type Engine = "duckdb" | "postgres" | "mysql";
interface Facts {
  rows: number;
  sum: number;
}

/** Runs one SQL text with the engine's own driver (setup, and facts read back independently of tsml). */
async function sql(engine: Engine, url: string, text: string): Promise<unknown[][]> {
  if (engine === "postgres") {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query({ text, rowMode: "array" })).rows;
    } finally {
      await client.end();
    }
  }
  if (engine === "mysql") {
    const connection = await mysql.createConnection({ uri: url });
    try {
      const [rows] = await connection.query({ sql: text, rowsAsArray: true });
      return Array.isArray(rows) ? (rows as unknown[][]) : [];
    } finally {
      await connection.end();
    }
  }
  // A fresh instance closed at once: the file's lock must be free again for the CLI under test.
  const instance = await DuckDBInstance.create(url.slice("duckdb:".length));
  try {
    const connection = await instance.connect();
    try {
      return (await connection.runAndReadAll(text)).getRows() as unknown[][];
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Row count and sum of close, or null when the table is gone. */
async function facts(engine: Engine, url: string, table: string): Promise<Facts | null> {
  try {
    const [[rows, sum]] = await sql(engine, url, `SELECT count(*), sum(close) FROM ${table}`);
    return { rows: Number(rows), sum: Number(sum) };
  } catch {
    return null;
  }
}

async function reachable(engine: Engine, url: string): Promise<string | null> {
  try {
    await sql(engine, url, "SELECT 1");
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The CLI as a child process that can be killed; resolves with its exit code and output. */
function spawnTsml(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; stderr: string }>;
} {
  const child = spawn(process.execPath, [TSML_BIN, ...args], { env: { ...process.env, TZ: "UTC" } });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  child.stdout?.resume();
  const done = new Promise<{ code: number | null; stderr: string }>((done) =>
    child.on("close", (code) => done({ code, stderr })),
  );
  return { child, done };
}

/** The `tsml:` lines of stderr (a refusal is exactly one, plus an optional hint line). */
const errorLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("tsml:"));

const engines: { engine: Engine; url: string; why: string | null }[] = [
  { engine: "duckdb", url: `duckdb:${join(dir, "attack.duckdb")}`, why: null },
  { engine: "postgres", url: PG_URL, why: await reachable("postgres", PG_URL) },
  { engine: "mysql", url: MYSQL_URL, why: await reachable("mysql", MYSQL_URL) },
];
for (const e of engines) {
  if (e.why && !REQUIRED)
    console.log(
      `skipping ${e.engine} attack tests: ${e.why} (set TSML_REQUIRE_DB=1 to make them fail instead)`,
    );
}

for (const { engine, url, why } of engines) {
  describe.runIf(HAS_SHARED && (REQUIRED || why === null))(`${engine}: hostile database use`, () => {
    const tables: string[] = [];
    const table = (suffix: string) => {
      const name = `tsml_attack_${suffix}_${RUN}`;
      tables.push(name);
      return name;
    };
    const workspace = join(dir, `ws-${engine}`);
    const ingest = (csv: string, ticker: string, to: string) =>
      runTsml([
        "--workspace",
        workspace,
        "--quiet",
        "ingest",
        "csv",
        csv,
        "--ticker",
        ticker,
        "--to-db",
        url,
        "--table",
        to,
      ]);

    afterAll(async () => {
      if (why) return;
      for (const t of tables) await sql(engine, url, `DROP TABLE IF EXISTS ${t}`);
    });

    describe("ingest db --query only reads", () => {
      const target = table("readonly");
      let before: Facts | null = null;
      beforeAll(async () => {
        const load = ingest(CSV_A, "IBM", target);
        expect(load.code, load.stderr).toBe(0);
        before = await facts(engine, url, target);
      });

      const hostile: [string, string][] = [
        ["DELETE", `DELETE FROM ${target}`],
        ["UPDATE", `UPDATE ${target} SET close = 0`],
        ["DROP TABLE", `DROP TABLE ${target}`],
        ["TRUNCATE", `TRUNCATE TABLE ${target}`],
        ["a stacked DROP", `SELECT * FROM ${target}; DROP TABLE ${target}`],
        ["a stacked DELETE after a comment", `SELECT * FROM ${target} /* ; */; DELETE FROM ${target}`],
        ["SELECT ... INTO", `SELECT * INTO tsml_attack_copy_${RUN} FROM ${target}`],
        ...(engine === "mysql"
          ? ([["an executable comment", `/*!50000 DROP TABLE ${target} */ SELECT 1`]] as [string, string][])
          : []),
      ];
      it.each(hostile)("refuses %s with exit 2 and one line, before it reaches the database", (_, query) => {
        const out = join(dir, `${engine}-refused.parquet`);
        const run = runTsml(["ingest", "db", "--url", url, "--query", query, "-o", out]);
        expect(run.code, run.stderr).toBe(2);
        expect(errorLines(run.stderr)).toHaveLength(1);
        expect(run.stderr).toMatch(/^tsml: --query must only read: .+\nhint: ingest db only reads/);
        expect(run.stderr).not.toMatch(/\n\s+at /);
        expect(existsSync(out)).toBe(false);
      });

      // DuckDB has no read-only transaction; its own statement check is tested in src/db/read-only-query.test.ts.
      if (engine !== "duckdb")
        it("refuses a write the statement check cannot see, inside the engine's read-only transaction", () => {
          // PostgreSQL: a data-modifying WITH; MariaDB: a locking read.
          const query =
            engine === "postgres"
              ? `WITH d AS (DELETE FROM ${target} RETURNING *) SELECT * FROM d`
              : `SELECT * FROM ${target} FOR UPDATE`;
          const run = runTsml([
            "ingest",
            "db",
            "--url",
            url,
            "--query",
            query,
            "-o",
            join(dir, `${engine}-w.parquet`),
          ]);
          expect(run.code, run.stderr).toBe(2);
          expect(errorLines(run.stderr)).toHaveLength(1);
          expect(run.stderr).toMatch(
            /^tsml: --query must only read: .*(read-only|read only|data-modifying)/i,
          );
        });

      it("still reads a plain query with a trailing semicolon, a ';' in a string and a comment", () => {
        const quoted = engine === "mysql" ? "`date`" : '"date"';
        const query = `SELECT ${quoted}, close FROM ${target} WHERE ticker <> 'x;y' -- no ; here\n;`;
        const run = runTsml([
          "--json",
          "--quiet",
          "ingest",
          "db",
          "--url",
          url,
          "--query",
          query,
          "--ticker",
          "IBM",
          "-o",
          join(dir, `${engine}-ok.parquet`),
        ]);
        expect(run.code, run.stderr).toBe(0);
        expect(JSON.parse(run.stdout).rows).toBe(ROWS_A);
      });

      it("leaves every row of the table in place", async () => {
        expect(before?.rows).toBe(ROWS_A);
        const after = await facts(engine, url, target);
        expect(after?.rows).toBe(ROWS_A);
        expect(after?.sum).toBeCloseTo(before!.sum, 6);
        expect(await facts(engine, url, `tsml_attack_copy_${RUN}`)).toBeNull();
      });
    });

    it("a hostile --table is exit 2 before anything reaches the database, reading or writing", () => {
      const read = runTsml(["ingest", "db", "--url", url, "--table", "x; DROP TABLE y"]);
      expect(read.code, read.stderr).toBe(2);
      expect(errorLines(read.stderr)).toEqual(['tsml: --table: "x; DROP TABLE y" is not a plain table name']);
      const write = ingest(CSV_B, "MSFT", 'y" CASCADE; --');
      expect(write.code, write.stderr).toBe(2);
      expect(write.stderr).toMatch(/is not a plain table name/);
    });

    it("--to-db refuses a table without a key on (ticker, date) instead of adding the rows again", async () => {
      const keyless = table("keyless");
      await sql(
        engine,
        url,
        `CREATE TABLE ${keyless} (ticker VARCHAR(255) NOT NULL, date DATE NOT NULL, open DOUBLE PRECISION, high DOUBLE PRECISION, low DOUBLE PRECISION, close DOUBLE PRECISION, adj_close DOUBLE PRECISION, volume DOUBLE PRECISION)`,
      );
      for (let attempt = 0; attempt < 2; attempt++) {
        const run = ingest(CSV_B, "MSFT", keyless);
        expect(run.code, run.stderr).toBe(3);
        expect(errorLines(run.stderr)).toEqual([
          `tsml: table ${keyless} has no primary key or unique index on (ticker, date): every re-run would add its rows again`,
        ]);
        expect(run.stderr).toMatch(/hint: add one .*ALTER TABLE .* ADD PRIMARY KEY \(ticker, date\)/);
        expect((await facts(engine, url, keyless))?.rows).toBe(0);
      }
      // The hint's fix works: with the key, re-runs upsert instead of doubling.
      await sql(engine, url, `ALTER TABLE ${keyless} ADD PRIMARY KEY (ticker, date)`);
      for (let attempt = 0; attempt < 2; attempt++) expect(ingest(CSV_B, "MSFT", keyless).code).toBe(0);
      expect((await facts(engine, url, keyless))?.rows).toBe(ROWS_B);
    });

    it("three concurrent first writes into a new table all succeed, with each row once", async () => {
      const fresh = table("concurrent");
      const runs = [1, 2, 3].map((k) =>
        spawnTsml([
          "--workspace",
          join(dir, `ws-${engine}-c${k}`),
          "--quiet",
          "ingest",
          "csv",
          CSV_A,
          "--ticker",
          "IBM",
          "--to-db",
          url,
          "--table",
          fresh,
        ]),
      );
      const results = await Promise.all(runs.map((r) => r.done));
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      expect((await facts(engine, url, fresh))?.rows).toBe(ROWS_A);
    });

    it("kill -9 in the middle of a write leaves the table as it was or fully written, never half", async () => {
      const target = table("killed");
      expect(ingest(CSV_A, "IBM", target).code).toBe(0);
      const old = (await facts(engine, url, target))!;
      // Kill at several points of the run (start-up, parsing, the database transaction).
      for (const delay of [150, 400, 700, 1000]) {
        const run = spawnTsml([
          "--workspace",
          join(dir, `ws-${engine}-k`),
          "--quiet",
          "ingest",
          "csv",
          CSV_B,
          "--ticker",
          "MSFT",
          "--to-db",
          url,
          "--table",
          target,
        ]);
        await new Promise((r) => setTimeout(r, delay));
        run.child.kill("SIGKILL");
        await run.done;
        const now = (await facts(engine, url, target))!;
        expect([old.rows, ROWS_A + ROWS_B]).toContain(now.rows);
        if (now.rows === old.rows) expect(now.sum).toBeCloseTo(old.sum, 6);
        await sql(engine, url, `DELETE FROM ${target} WHERE ticker = 'MSFT'`);
      }
    });
  });
}
