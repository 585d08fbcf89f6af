// Secrets never land anywhere: every route a secret takes into tsml (--flag VALUE, --flag=VALUE, a URL password,
// a secret query parameter, an environment variable) on every command that takes one, with the built CLI. Each
// run must still do its work, and its stdout, stderr, every file in the workspace (Parquet data and footers,
// JSON, caches, DuckDB files) and every database row it wrote are searched for the secret.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoopbackServer, send, startLoopbackServer } from "../helpers/loopback-server.js";
import { TSML_BIN } from "../helpers/run-cli.js";

// Real data from ../shared (beside the checkout in CI); without it these tests are skipped, saying why.
const HAS_SHARED = existsSync(resolve(import.meta.dirname, "..", "..", "..", "shared", "data"));
if (!HAS_SHARED)
  console.log(
    `skipping the tests of secrets.test.ts that read ../shared/data: it is not beside this checkout`,
  );

const SHARED = join(import.meta.dirname, "..", "..", "..", "shared", "data");
const AV = join(SHARED, "api", "alphavantage");
const IBM_CSV = join(SHARED, "prices", "IBM_1962-2020_yahoo.csv");
const PG = "127.0.0.1/test";
const MYSQL = "127.0.0.1:3306/test";

/** Distinct secret per route, random per run so nothing from an earlier run can match or hide a leak. */
const tag = randomBytes(4).toString("hex");
const S = {
  avFlag: `avflag${tag}K1`,
  avEquals: `aveq${tag}K2`,
  avEnv: `avenv${tag}K3`,
  queryToken: `qtok${tag}K4`,
  pgUrl: `pgurl${tag}P1`,
  pgEnv: `pgenv${tag}P2`,
  mysqlUrl: `myurl${tag}P3`,
  mysqlEnv: `myenv${tag}P4`,
  token: `srvtok${tag}T1`,
  tokenEnv: `srvenv${tag}T2`,
  typo: `typo${tag}X1`,
};
const ALL = Object.values(S);
/** Tables this test writes in PostgreSQL (unique to it). */
const T = {
  source: `secrets_e2e_src_${tag}`,
  av: `secrets_e2e_av_${tag}`,
  csv: `secrets_e2e_csv_${tag}`,
  metrics: `secrets_e2e_metrics_${tag}`,
  predictions: `secrets_e2e_pred_${tag}`,
  export: `secrets_e2e_export_${tag}`,
};

const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-secrets-"));
const ws = join(dir, "ws");
const runs: { args: string[]; stdout: string; stderr: string }[] = [];
let server: LoopbackServer;
/** The apikey and token query parameters the loopback Alpha Vantage received (proof the secret was used). */
const received: { apikey: string | null; token: string | null }[] = [];

/** The built CLI, spawned asynchronously (the loopback server lives in this process). */
function tsml(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSML_BIN, "--workspace", ws, "--no-color", ...args], {
      env: { ...process.env, TZ: "UTC", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => {
      runs.push({ args, stdout, stderr });
      resolve({ code, stdout, stderr });
    });
  });
}

/** Fails naming the secret and where it was found. */
function expectNoSecret(text: string, where: string): void {
  for (const secret of ALL) expect(text.includes(secret), `${secret} found in ${where}`).toBe(false);
}

async function pgQuery(sql: string, params: unknown[] = []): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1/test" });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .map((f) => join(root, f))
    .filter((f) => statSync(f).isFile());
}

/** Every table of a DuckDB file, or every row and footer key of a Parquet file, as text. */
async function duckText(path: string, kind: "duckdb" | "parquet"): Promise<string> {
  const instance = await DuckDBInstance.create(kind === "duckdb" ? path : ":memory:");
  const connection = await instance.connect();
  const dump = async (sql: string) =>
    JSON.stringify((await connection.runAndReadAll(sql)).getRows(), (_k, v) =>
      typeof v === "bigint" ? v.toString() : v,
    );
  try {
    if (kind === "parquet") {
      const quoted = `'${path.replaceAll("'", "''")}'`;
      return (
        (await dump(`SELECT * FROM read_parquet(${quoted})`)) +
        (await dump(`SELECT key::VARCHAR, value::VARCHAR FROM parquet_kv_metadata(${quoted})`))
      );
    }
    const tables = (
      await connection.runAndReadAll("SELECT table_name FROM information_schema.tables")
    ).getRows();
    let text = "";
    for (const [name] of tables) text += await dump(`SELECT * FROM "${String(name)}"`);
    return text;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

beforeAll(async () => {
  if (!HAS_SHARED) return;
  const daily = readFileSync(join(AV, "TIME_SERIES_DAILY_IBM_compact_2024-06-18.json"), "utf8");
  server = await startLoopbackServer((req, res) => {
    const url = new URL(req.url ?? "", "http://x");
    const apikey = url.searchParams.get("apikey");
    received.push({ apikey, token: url.searchParams.get("token") });
    const symbol = url.searchParams.get("symbol");
    if (symbol === "MISSING") return send(res, "not found", 404, "text/plain");
    if (symbol === "LIMITED")
      // Alpha Vantage's 2024 daily-limit answer quotes the key (see ../shared/data/api/alphavantage/errors).
      return send(
        res,
        JSON.stringify({
          Information: `We have detected your API key as ${apikey} and our standard API rate limit is 25 requests per day. Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits.`,
        }),
      );
    if (symbol === "ECHO")
      // A server that echoes the key in a good body: the cached copy must not keep it.
      return send(res, daily.replace("Daily Prices (open", `Daily Prices for key ${apikey} (open`));
    return send(res, daily);
  });
  // A source table for ingest db: the first 300 IBM rows, in seed 000's `time, price` layout.
  const rows = readFileSync(IBM_CSV, "utf8").trim().split("\n").slice(1, 301);
  await pgQuery(`DROP TABLE IF EXISTS ${T.source}`);
  await pgQuery(`CREATE TABLE ${T.source} (time DATE, price DOUBLE PRECISION, volume DOUBLE PRECISION)`);
  for (const line of rows) {
    const c = line.split(",");
    await pgQuery(`INSERT INTO ${T.source} VALUES ($1, $2, $3)`, [c[0], Number(c[4]), Number(c[6])]);
  }
});

afterAll(async () => {
  await server?.close();
  for (const table of Object.values(T)) await pgQuery(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

/** Rows of a PostgreSQL table as text, and how many (the command did write them). */
async function pgTable(table: string): Promise<{ rows: number; text: string }> {
  const rows = await pgQuery(`SELECT * FROM ${table}`);
  return { rows: rows.length, text: JSON.stringify(rows) };
}

describe.skipIf(!HAS_SHARED)("secrets never land anywhere (built CLI)", () => {
  it("ingest alphavantage --api-key KEY, with a token in --base-url and --to-db postgres://user:PASSWORD@", async () => {
    const run = await tsml([
      "--verbose",
      "ingest",
      "alphavantage",
      "--symbol",
      "ECHO",
      "--api-key",
      S.avFlag,
      "--base-url",
      `${server.url}/query?token=${S.queryToken}`,
      "--rate",
      "1000",
      "--to-db",
      `postgres://postgres:${S.pgUrl}@${PG}`,
      "--table",
      T.av,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(received.at(-1)).toEqual({ apikey: S.avFlag, token: S.queryToken });
    expect((await pgTable(T.av)).rows).toBe(100);
    const cached = filesUnder(join(ws, "cache", "alphavantage"));
    expect(cached.length).toBeGreaterThan(0);
    // The echoed sentence is still there, only the key is masked.
    expect(cached.map((f) => readFileSync(f, "utf8")).join("")).toContain("Daily Prices for key *** (open");
  });

  it("ingest alphavantage --api-key=KEY with --json and --to-db postgresql://", async () => {
    const run = await tsml([
      "--json",
      "ingest",
      "alphavantage",
      "--symbol",
      "IBM",
      `--api-key=${S.avEquals}`,
      "--base-url",
      `${server.url}/query`,
      "--rate",
      "1000",
      "--refresh",
      "-o",
      join(ws, "equals-form.parquet"),
      "--to-db",
      `postgresql://postgres:${S.pgUrl}@${PG}`,
      "--table",
      T.av,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(received.at(-1)?.apikey).toBe(S.avEquals);
    expect(JSON.parse(run.stdout).rows).toBe(100);
  });

  it("ingest alphavantage with ALPHAVANTAGE_API_KEY: success, HTTP 404, and a limit body that quotes the key", async () => {
    const env = { ALPHAVANTAGE_API_KEY: S.avEnv };
    const base = ["ingest", "alphavantage", "--base-url", `${server.url}/query`, "--rate", "1000"];
    const ok = await tsml([...base, "--symbol", "IBM", "--refresh", "-o", join(ws, "env-ibm.parquet")], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(received.at(-1)?.apikey).toBe(S.avEnv);
    const missing = await tsml(["--verbose", ...base, "--symbol", "MISSING", "--retries", "0"], env);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/HTTP 404 for http:\/\/127\.0\.0\.1:\d+\/query\?.*apikey=\*\*\*/);
    const limited = await tsml([...base, "--symbol", "LIMITED"], env);
    expect(limited.code).toBe(4);
    expect(limited.stderr).toContain("We have detected your API key as ***");
  });

  it("ingest db --url postgres://postgres:PASSWORD@ (and PGPASSWORD) with --to-db duckdb:", async () => {
    const run = await tsml([
      "--json",
      "ingest",
      "db",
      "--url",
      `postgres://postgres:${S.pgUrl}@${PG}`,
      "--table",
      T.source,
      "--ticker",
      "IBMDB",
      "--to-db",
      `duckdb:${join(ws, "copies.duckdb")}`,
      "--to-table",
      "bars",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).rows).toBe(300);
    expect(JSON.parse(run.stdout).outputs).toContain(join(ws, "bars", "IBMDB.parquet"));
    const env = await tsml(
      ["ingest", "db", "--url", `postgres://postgres@${PG}`, "--table", T.source, "--ticker", "IBMENV"],
      { PGPASSWORD: S.pgEnv },
    );
    expect(env.code, env.stderr).toBe(0);
  });

  it("ingest db and export db with a MySQL password that is refused: the error never shows it", async () => {
    const url = await tsml([
      "--verbose",
      "ingest",
      "db",
      "--url",
      `mysql://root:${S.mysqlUrl}@${MYSQL}`,
      "--table",
      "x",
    ]);
    expect(url.code).toBe(4);
    expect(url.stderr).toContain("Access denied");
    expect(url.stderr).toContain("mysql://root:***@");
    const env = await tsml(["ingest", "db", "--url", `mysql://root@${MYSQL}`, "--table", "x"], {
      MYSQL_PWD: S.mysqlEnv,
    });
    expect(env.code).toBe(4);
    expect(env.stderr).toContain("Access denied");
    const csv = await tsml([
      "ingest",
      "csv",
      IBM_CSV,
      "--ticker",
      "IBMMY",
      "-o",
      join(ws, "my.parquet"),
      "--to-db",
      `mariadb://root:${S.mysqlUrl}@${MYSQL}`,
      "--table",
      "secrets_never",
    ]);
    expect(csv.code).toBe(4);
    expect(csv.stderr).toContain("Access denied");
  });

  it("ingest csv --to-db, then evaluate --to-db, predict --registry --to-db, export db and registry", async () => {
    const pgUrl = `postgres://postgres:${S.pgUrl}@${PG}`;
    // The environment's secrets are set for the whole chain: none of them may be copied into an artifact.
    const env = { PGPASSWORD: S.pgEnv, TSML_TOKEN: S.tokenEnv, ALPHAVANTAGE_API_KEY: S.avEnv };
    const steps: [string[], number[]][] = [
      [["ingest", "csv", IBM_CSV, "--ticker", "IBM", "--to-db", pgUrl, "--table", T.csv], [0]],
      [["features", "--ticker", "IBM", "--set", "seed000"], [0]],
      [["train", "--ticker", "IBM", "--model", "ols", "--split-date", "2016-01-01", "--jobs", "1"], [0]],
      [["predict", "-m", join(ws, "models", "IBM", "ols.json")], [0]],
      [
        ["--json", "evaluate", "--ticker", "IBM", "--to-db", pgUrl, "--to-table", T.metrics],
        [0, 5],
      ],
      [
        ["--json", "registry", "register", "-m", join(ws, "models", "IBM", "ols.json"), "--if", "accuracy>0"],
        [0],
      ],
      [["--json", "predict", "--registry", "--to-db", pgUrl, "--table", T.predictions], [0]],
      [
        [
          "--json",
          "export",
          "db",
          "-i",
          join(ws, "predictions", "IBM.parquet"),
          "--url",
          pgUrl,
          "--table",
          T.export,
        ],
        [0],
      ],
      [["--json", "registry", "show", "IBM_up"], [0]],
      [["--json", "ls"], [0]],
    ];
    for (const [args, codes] of steps) {
      const run = await tsml(args, env);
      expect(codes, `${args.join(" ")}: ${run.stderr}`).toContain(run.code);
    }
    expect((await pgTable(T.csv)).rows).toBe(readFileSync(IBM_CSV, "utf8").trim().split("\n").length - 1);
    expect((await pgTable(T.metrics)).rows).toBeGreaterThan(0);
    expect((await pgTable(T.predictions)).rows).toBe(1);
    expect((await pgTable(T.export)).rows).toBeGreaterThan(1000);
  });

  it("serve --token TOKEN and TSML_TOKEN: auth works, nothing printed shows the token", async () => {
    for (const [args, env, token] of [
      [["serve", "--port", "0", "--token", S.token], {}, S.token],
      [["--verbose", "serve", "--port", "0"], { TSML_TOKEN: S.tokenEnv }, S.tokenEnv],
    ] as const) {
      const child = spawn(process.execPath, [TSML_BIN, "--workspace", ws, ...args], {
        env: { ...process.env, ...env },
      });
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      const base = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (d) => {
          stdout += d;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
          if (m) resolve(m[1]);
        });
        child.on("exit", () => reject(new Error(`serve exited early: ${stderr}`)));
      });
      expect((await fetch(`${base}/healthz`)).status).toBe(401);
      expect(
        (await fetch(`${base}/healthz`, { headers: { authorization: "Bearer wrong-token-1" } })).status,
      ).toBe(401);
      const ok = await fetch(`${base}/models`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expectNoSecret(await ok.text(), "GET /models");
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      runs.push({ args: [...args], stdout, stderr });
    }
  });

  it("a misspelt secret flag (--api-kee=KEY) is a usage error that does not echo the value", async () => {
    const run = await tsml(["ingest", "alphavantage", "--symbol", "IBM", `--api-kee=${S.typo}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--api-kee=***'");
  });

  it("no secret in any stdout, stderr, workspace file (bytes, Parquet rows and footers, DuckDB tables) or DB row", async () => {
    expect(runs.length).toBeGreaterThanOrEqual(20);
    for (const r of runs) {
      expectNoSecret(r.stdout, `stdout of ${r.args.slice(0, 3).join(" ")}`);
      expectNoSecret(r.stderr, `stderr of ${r.args.slice(0, 3).join(" ")}`);
    }
    const files = filesUnder(ws);
    // What the routes wrote: bars, features, model, predictions, metrics, history, registry, cache, a DuckDB copy.
    for (const wanted of ["bars", "features", "models", "predictions", "metrics", "registry", "cache"])
      expect(
        files.some((f) => f.startsWith(join(ws, wanted))),
        wanted,
      ).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of ALL) expect(bytes.includes(secret), `${secret} in ${file}`).toBe(false);
      if (file.endsWith(".parquet")) expectNoSecret(await duckText(file, "parquet"), file);
      if (file.endsWith(".duckdb")) expectNoSecret(await duckText(file, "duckdb"), file);
    }
    // The command line and options are recorded, with the secrets masked.
    const meta = await duckText(join(ws, "bars", "ECHO.parquet"), "parquet");
    expect(meta).toContain("--api-key ***");
    expect(meta).toContain(`postgres://postgres:***@${PG}`);
    for (const table of Object.values(T)) expectNoSecret((await pgTable(table)).text, `table ${table}`);
  });
});
