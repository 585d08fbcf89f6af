// The --query statement check (quotes, comments, dollar quoting per dialect), and each client's own read-only
// guard with the check bypassed: a DELETE sent straight to stream() must fail and leave the rows.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../core/errors.js";
import { type DbClient, openDb, withDb } from "./db-client.js";
import { type Dialect, parseDbUrl } from "./db-url.js";
import { checkReadOnlyQuery } from "./read-only-query.js";

const refused = (sql: string, dialect: Dialect) => {
  try {
    checkReadOnlyQuery(sql, dialect);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  return null;
};

describe("checkReadOnlyQuery", () => {
  it("accepts one read, with a trailing semicolon, and returns it without", () => {
    expect(checkReadOnlyQuery("  select * from t ;  ", "postgres")).toBe("select * from t");
    expect(checkReadOnlyQuery("WITH x AS (SELECT 1) SELECT * FROM x", "mysql")).toBe(
      "WITH x AS (SELECT 1) SELECT * FROM x",
    );
    expect(checkReadOnlyQuery("FROM t SELECT close", "duckdb")).toBe("FROM t SELECT close");
    expect(checkReadOnlyQuery("(SELECT 1) UNION (SELECT 2)", "postgres")).toBe("(SELECT 1) UNION (SELECT 2)");
  });

  it("does not split on a ';' inside strings, quoted names or comments", () => {
    for (const dialect of ["postgres", "mysql", "duckdb"] as const) {
      expect(refused("SELECT 'a;b', 'it''s; ok' FROM t", dialect)).toBeNull();
      expect(refused("SELECT 1 /* ; drop table t */ FROM t -- ;delete\n", dialect)).toBeNull();
    }
    expect(refused('SELECT "odd;name" FROM t', "postgres")).toBeNull();
    expect(refused("SELECT `odd;name` FROM t", "mysql")).toBeNull();
    expect(refused("SELECT $$;drop table t$$, $tag$ ; $tag$", "postgres")).toBeNull();
    expect(refused("SELECT E'\\'; drop table t'", "postgres")).toBeNull();
    expect(refused("SELECT 'x\\'; drop table t' # ; \n", "mysql")).toBeNull();
  });

  it("refuses stacked statements, writes, INTO and MySQL executable comments", () => {
    expect(refused("select 1; drop table t", "duckdb")).toMatch(
      /more than one statement \("drop\.\.\." after/,
    );
    expect(refused("select 1;\n-- fine\n; delete from t", "postgres")).toMatch(/more than one statement/);
    // MySQL reads `--1` as minus minus 1, not a comment: the DELETE after the ';' is seen.
    expect(refused("select 1--1; delete from t", "mysql")).toMatch(/more than one statement/);
    // PostgreSQL comments nest: the ';' after the inner */ is still inside the comment.
    expect(refused("select 1 /* a /* b */ ; */ from t", "postgres")).toBeNull();
    expect(refused("select 1 /* a /* b */ ; delete from t */", "mysql")).toMatch(/more than one statement/);
    for (const write of [
      "DELETE FROM t",
      "update t set x = 1",
      "DROP TABLE t",
      "truncate t",
      "insert into t values (1)",
      "CALL p()",
      "copy t to '/tmp/x'",
      "attach 'x.db'",
    ])
      expect(refused(write, "postgres")).toMatch(
        /^--query must only read: it starts with [A-Z]+, not SELECT$/,
      );
    expect(refused("select * into t2 from t", "postgres")).toMatch(/INTO writes/);
    expect(refused("select * from t into outfile '/tmp/x'", "mysql")).toMatch(/INTO writes/);
    expect(refused("/*! drop table t */ select 1", "mysql")).toMatch(/executable comments/);
    expect(refused("/*M!100000 drop table t */ select 1", "mysql")).toMatch(/executable comments/);
    expect(refused("  ;  ", "duckdb")).toMatch(/no statement/);
    expect(refused("-- just a comment", "duckdb")).toMatch(/no statement/);
  });
});

const PG_URL = process.env.TSML_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const MYSQL_URL = process.env.TSML_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";
const REQUIRED = process.env.TSML_REQUIRE_DB === "1";
const TABLE = `tsml_readonly_${process.pid}_${Date.now().toString(36)}`;

async function reachable(url: string): Promise<boolean> {
  try {
    await (await openDb(parseDbUrl(url))).close();
    return true;
  } catch {
    return false;
  }
}

const clients = [
  { name: "duckdb", url: `duckdb:${join(mkdtempSync(join(tmpdir(), "tsml-ro-")), "ro.duckdb")}`, up: true },
  { name: "postgres", url: PG_URL, up: await reachable(PG_URL) },
  { name: "mysql", url: MYSQL_URL, up: await reachable(MYSQL_URL) },
];

for (const client of clients) {
  describe.runIf(REQUIRED || client.up)(
    `${client.name} stream() is read-only without the statement check`,
    () => {
      const url = parseDbUrl(client.url);
      const count = (db: DbClient) => db.rows(`SELECT count(*) FROM ${TABLE}`).then((r) => Number(r[0][0]));
      afterAll(() => withDb(url, (db) => db.exec(`DROP TABLE IF EXISTS ${TABLE}`)));

      it("refuses DELETE, UPDATE and DROP sent straight to the client, and the rows stay", async () => {
        await withDb(url, async (db) => {
          await db.exec(`CREATE TABLE ${TABLE} (a INTEGER PRIMARY KEY)`);
          await db.exec(`INSERT INTO ${TABLE} VALUES (1), (2), (3)`);
          // MySQL: DML inside a SELECT-shaped statement reaches the server's READ ONLY transaction.
          const writes = [
            `DELETE FROM ${TABLE}`,
            `UPDATE ${TABLE} SET a = a + 10`,
            `DROP TABLE ${TABLE}`,
            `TRUNCATE TABLE ${TABLE}`,
            `SELECT 1; DROP TABLE ${TABLE}`,
            ...(client.name === "mysql" ? [`SELECT a FROM ${TABLE} FOR UPDATE`] : []),
          ];
          for (const sql of writes) {
            await expect(
              db.stream(sql, 10, () => undefined),
              sql,
            ).rejects.toThrow();
            expect(await count(db)).toBe(3);
          }
          const seen: number[] = [];
          await db.stream(`SELECT a FROM ${TABLE} ORDER BY a`, 2, (_, rows) =>
            seen.push(...rows.map((r) => Number(r[0]))),
          );
          expect(seen).toEqual([1, 2, 3]);
          // The connection is usable for writes again after a read (the read-only transaction was closed).
          await db.exec(`INSERT INTO ${TABLE} VALUES (4)`);
          expect(await count(db)).toBe(4);
        });
      });
    },
  );
}
