import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SourceError, UsageError } from "../core/errors.js";
import { isoDate } from "../frame/dates.js";
import { Frame } from "../frame/frame.js";
import { openDb, withDb } from "./db-client.js";
import { parseDbUrl, redactDbUrl } from "./db-url.js";
import { quoteTable, validateTableName } from "./identifier.js";
import { readFrame } from "./read-frame.js";
import { writeFrame } from "./write-frame.js";

const PG_URL = process.env.TSML_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const MYSQL_URL = process.env.TSML_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";
const REQUIRED = process.env.TSML_REQUIRE_DB === "1";
const RUN = `${process.pid}_${Date.now().toString(36)}`;

async function reachable(url: string): Promise<string | null> {
  try {
    const db = await openDb(parseDbUrl(url));
    await db.close();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const targets: { name: string; url: string; why: string | null }[] = [
  {
    name: "duckdb",
    url: `duckdb:${join(mkdtempSync(join(tmpdir(), "tsml-db-")), "test.duckdb")}`,
    why: null,
  },
  { name: "postgres", url: PG_URL, why: await reachable(PG_URL) },
  { name: "mysql", url: MYSQL_URL, why: await reachable(MYSQL_URL) },
];
for (const t of targets) {
  if (t.why && !REQUIRED)
    console.log(
      `skipping ${t.name} database tests: ${t.why} (set TSML_REQUIRE_DB=1 to make them fail instead)`,
    );
}

/** Two tickers x three days, unsorted within the frame to exercise ordering on read. */
function sampleFrame(scale = 1): Frame {
  const day = (d: number) => Date.UTC(2024, 0, d);
  return new Frame({
    time: Float64Array.from([day(2), day(3), day(4), day(2), day(3), day(4)]),
    tickerCodes: Uint32Array.from([0, 0, 0, 1, 1, 1]),
    tickerNames: ["AAA", "BBB"],
    columns: new Map([
      ["open", Float64Array.from([1, 2, 3, 10, 20, 30].map((v) => v * scale))],
      ["close", Float64Array.from([1.5, 2.5, Number.NaN, 10.5, 20.5, 30.5].map((v) => v * scale))],
    ]),
  });
}

describe("identifiers and URLs", () => {
  it("refuses hostile table names with a usage error", () => {
    for (const bad of ["x; DROP TABLE y", 'a"b', "a b", "a.b.c", "", "1abc", "t`x"]) {
      expect(() => validateTableName(bad)).toThrow(UsageError);
    }
    expect(quoteTable("mysql", "s.t")).toBe("`s`.`t`");
    expect(quoteTable("postgres", "bars")).toBe('"bars"');
  });
  it("never shows a password", () => {
    expect(redactDbUrl("postgres://u:hunter2@h:5432/d")).toBe("postgres://u:***@h:5432/d");
    expect(parseDbUrl("mysql://root:pw@h/db").display).not.toContain("pw@");
    expect(() => parseDbUrl("sqlite:x.db")).toThrow(UsageError);
  });
});

for (const target of targets) {
  const required = REQUIRED || target.why === null;
  describe.runIf(required)(`${target.name} database`, () => {
    const tables: string[] = [];
    const table = (suffix: string) => {
      const name = `tsml_${suffix}_${RUN}`;
      tables.push(name);
      return name;
    };
    afterAll(async () => {
      if (target.why) return;
      const url = parseDbUrl(target.url);
      await withDb(url, async (db) => {
        for (const t of tables) await db.exec(`DROP TABLE IF EXISTS ${quoteTable(url.dialect, t)}`);
      });
    });

    it("is reachable", () => {
      expect(target.why).toBeNull();
    });

    it("round-trips a frame and upserts idempotently", async () => {
      const t = table("roundtrip");
      await writeFrame(target.url, t, sampleFrame(), { batchRows: 4 });
      await writeFrame(target.url, t, sampleFrame(), { batchRows: 4 });
      const { frame } = await readFrame(target.url, { table: t, batchRows: 2 });
      const sorted = frame.sortByTickerTime();
      expect(sorted.length).toBe(6);
      expect(sorted.tickers()).toEqual(["AAA", "BBB"]);
      expect(Array.from(sorted.time.subarray(0, 3), isoDate)).toEqual([
        "2024-01-02",
        "2024-01-03",
        "2024-01-04",
      ]);
      expect(Array.from(sorted.get("open"))).toEqual([1, 2, 3, 10, 20, 30]);
      expect(Number.isNaN(sorted.get("close")[2])).toBe(true);
      await writeFrame(target.url, t, sampleFrame(2));
      const again = (await readFrame(target.url, { table: t })).frame.sortByTickerTime();
      expect(again.length).toBe(6);
      expect(again.get("open")[5]).toBe(60);
    });

    it("rolls back a write that fails midway, leaving the table as it was", async () => {
      const t = table("rollback");
      await writeFrame(target.url, t, sampleFrame());
      const failing = writeFrame(target.url, t, sampleFrame(3), {
        batchRows: 2,
        afterBatch: (n) => {
          if (n >= 4) throw new Error("simulated failure mid-write");
        },
      });
      await expect(failing).rejects.toThrow(/simulated failure/);
      const after = (await readFrame(target.url, { table: t })).frame.sortByTickerTime();
      expect(Array.from(after.get("open"))).toEqual([1, 2, 3, 10, 20, 30]);
    });

    it("append refuses duplicates and replace swaps the content", async () => {
      const t = table("modes");
      await writeFrame(target.url, t, sampleFrame(), { mode: "append" });
      await expect(writeFrame(target.url, t, sampleFrame(), { mode: "append" })).rejects.toThrow(/same key/);
      await writeFrame(target.url, t, sampleFrame(5).slice(0, 2), { mode: "replace" });
      expect((await readFrame(target.url, { table: t })).frame.length).toBe(2);
    });

    it("reads a query and streams in small batches", async () => {
      const t = table("query");
      await writeFrame(target.url, t, sampleFrame());
      const q = `SELECT ${target.name === "mysql" ? "`date`" : '"date"'} AS time, close AS price FROM ${quoteTable(parseDbUrl(target.url).dialect, t)} WHERE ticker = 'BBB'`;
      const { frame } = await readFrame(target.url, { query: q, defaultTicker: "BBB", batchRows: 1 });
      expect(frame.length).toBe(3);
      expect(frame.columnNames).toEqual(["price"]);
    });

    it("hostile table names never reach the database; missing tables are exit 4", async () => {
      await expect(writeFrame(target.url, "x; DROP TABLE y", sampleFrame())).rejects.toBeInstanceOf(
        UsageError,
      );
      const error = await readFrame(target.url, { table: `tsml_missing_${RUN}` }).catch((e) => e);
      expect(error).toBeInstanceOf(SourceError);
      expect(error.message.split("\n")).toHaveLength(1);
    });
  });
}

describe.runIf(REQUIRED || targets[1].why === null)("connection failures", () => {
  it("bad credentials and closed ports are one-line SourceErrors without the password", async () => {
    const bad = PG_URL.replace("://postgres@", "://tsml_no_such_user:s3cretpw@");
    const error = await openDb(parseDbUrl(bad)).catch((e) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).not.toContain("s3cretpw");
    const closed = await openDb(parseDbUrl("postgres://u:s3cretpw@127.0.0.1:1/x")).catch((e) => e);
    expect(closed).toBeInstanceOf(SourceError);
    expect(closed.exitCode).toBe(4);
    expect(`${closed.message} ${closed.hint}`).not.toContain("s3cretpw");
  });
});

describe("a DuckDB file in a folder that does not exist yet", () => {
  it("a write creates the folder (as -o does); a read still refuses the missing file", async () => {
    const url = `duckdb:${join(mkdtempSync(join(tmpdir(), "tsml-db-")), "new", "deeper", "bars.duckdb")}`;
    const missing = await readFrame(url, { table: "bars" }).catch((e) => e);
    expect(missing).toBeInstanceOf(SourceError);
    await writeFrame(url, "bars", sampleFrame());
    const { frame } = await readFrame(url, { table: "bars" });
    expect(frame.length).toBe(6);
  });
});
