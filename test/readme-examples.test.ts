// README.md is tested: every shell block (```sh, ```bash, ```console) runs, command line by command line, with
// the built CLI (`tsml` on PATH is bin/tsml.js) in a temp folder per `## ` section, in README order within the
// section (later examples use what earlier ones made). A command that exits other than expected fails the test
// with its README line and stderr. Exceptions are written in README.md itself, right above the block:
//   <!-- readme-test: skip (REASON) -->        the block is not run (needs a cluster, is this test itself, ...)
//   <!-- readme-test: expect-exit N -->        every command of the block must exit N (a documented failure)
//   <!-- readme-test: given: COMMAND -->       what the prose says the reader already did: the block starts a
//                                              fresh folder where COMMAND ran, and the section's next blocks
//                                              continue there
// Network and database examples run against loopback stand-ins, through the SUBSTITUTIONS table below (the
// only rewriting of README text), and a few slow examples are shortened there, each with its reason.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import mysql from "mysql2/promise";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoopbackServer, send, startLoopbackServer } from "./helpers/loopback-server.js";
import { TSML_BIN } from "./helpers/run-cli.js";
import {
  looksLikeUntaggedCommand,
  type ReadmeBlock,
  type ReadmeCommand,
  readmeBlocks,
  SHELL_LANGUAGES,
} from "./readme/readme-blocks.js";

const ROOT = resolve(import.meta.dirname, "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const SHARED_DATA = join(ROOT, "..", "shared", "data");
const SHARED_API = join(SHARED_DATA, "api");
/** TSMC's real daily bars (Yahoo), the README's Taiwan backtest example's input. */
const TSMC_CSV = join(SHARED_DATA, "prices", "2330.TW_2000-2023_yahoo.csv");
const FIXTURES = join(import.meta.dirname, "fixtures", "sources");
const SP500 = join(
  dirname(createRequire(import.meta.url).resolve("vega-datasets")),
  "..",
  "data",
  "sp500-2000.csv",
);
const PG_ADMIN = process.env.TSML_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const MYSQL_ADMIN = process.env.TSML_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";
/** A database of this run on each server, so README tables never meet other tests' tables. */
const RUN_DB = `readme_${process.pid}_${randomBytes(3).toString("hex")}`;
/** Sections run at the same time, each in its own folder (2 cores: more only queues). */
const PARALLEL = 3;
/** A guard against a hung command, not a speed limit: a chain takes 5-30 s CPU, minutes only under heavy load. */
const SECTION_TIMEOUT_MS = 300_000;

/**
 * The only rewriting of README text, applied to each command line before it runs. Each entry says why.
 * `{NAME}` is replaced by this run's value (literally, so that it holds inside any quotes): AV_URL and
 * TWSE_URL are the loopback replay, DB this run's database on each server, PORT a free port.
 */
const SUBSTITUTIONS: { why: string; from: RegExp; to: string }[] = [
  {
    why: "Alpha Vantage is the loopback replay of saved real bodies; its 5 requests/minute limit is not theirs",
    from: /\btsml ingest alphavantage\b/g,
    to: "tsml ingest alphavantage --base-url {AV_URL} --rate 6000",
  },
  {
    why: "TWSE is the loopback replay of saved real bodies; the 2 s courtesy delay per month is not needed there",
    from: /\btsml ingest twse\b/g,
    to: "tsml ingest twse --base-url {TWSE_URL} --delay 0",
  },
  {
    why: "PostgreSQL: the local server (trust), in this run's own database",
    from: /postgres(?:ql)?:\/\/[^\s'"]+/g,
    to: "postgres://postgres@127.0.0.1:5432/{DB}",
  },
  {
    why: "MySQL/MariaDB: the local server (root), in this run's own database",
    from: /mysql:\/\/[^\s'"]+/g,
    to: "mysql://root@127.0.0.1:3306/{DB}",
  },
  {
    why: "serve: a free port instead of 8000 (other tests may hold it)",
    from: /(--port |localhost:|127\.0\.0\.1:)8000\b/g,
    to: "$1{PORT}",
  },
  {
    why: "serve in the background: the next line's curl waits until it listens, as a person would",
    from: /^(tsml serve\b.*)&$/g,
    to: "$1& readme_wait_for_port {PORT}",
  },
  {
    why: "a bare `wait` returns 0 even when a background job failed: wait for each and keep a failure",
    from: /^wait$/g,
    to: "readme_wait_all",
  },
  {
    why: "rf --tune on the 20-year S&P 500: a 2-combination grid instead of seed 000's 18 (x 5 folds, minutes)",
    from: /(--ticker SPX --model rf --tune)(?![^|&]*--grid)/g,
    to: "$1 --grid readme-rf-grid.json",
  },
  {
    why: "walk-forward: a refit every 1,000 bars instead of every 63 (4 refits instead of 65)",
    from: /--refit 63\b/g,
    to: "--refit 1000",
  },
  {
    why: "LSTM: a 1 x 16 network trained 5 iterations, not seed 004's 3 x 100 for 200 or 1,500 (minutes); same files",
    from: /(train --model lstm\b[^|&]*?) --iterations \d+/g,
    to: "$1",
  },
  {
    why: "(the LSTM rewrite above, second half)",
    from: /(train --model lstm\b)/g,
    to: "$1 --iterations 5 --layers 1 --units 16",
  },
];

/** Applies SUBSTITUTIONS to one command line, with this run's values for the `{NAME}`s. */
function substitute(command: string, values: Record<string, string> = {}): string {
  const rewritten = SUBSTITUTIONS.reduce((text, s) => text.replace(s.from, s.to), command);
  return rewritten.replace(/\{([A-Z_]+)\}/g, (all, name: string) => values[name] ?? all);
}

const blocks = readmeBlocks(README);
const shellBlocks = blocks.filter((b) => SHELL_LANGUAGES.has(b.lang));
const skipOf = (b: ReadmeBlock) => b.markers.find((m) => m.kind === "skip");
const runnable = shellBlocks.filter((b) => !skipOf(b));

/**
 * Runnable blocks in chains, README order within each: one folder per `## ` section, and a block with a
 * `given` starts a fresh one (TSML_README_SECTION=REGEX runs only the sections whose heading matches).
 */
const chains: { name: string; blocks: ReadmeBlock[] }[] = [];
const only = new RegExp(process.env.TSML_README_SECTION ?? "", "i");
for (const b of runnable) {
  if (!only.test(b.section)) continue;
  const last = chains.at(-1);
  if (last && last.blocks[0].section === b.section && !b.markers.some((m) => m.kind === "given"))
    last.blocks.push(b);
  else chains.push({ name: `${b.section} (README.md:${b.line})`, blocks: [b] });
}
/** Trainings are the slow steps: the heaviest chains start first, so that none starts last and runs alone. */
const weight = (blocks: ReadmeBlock[]) =>
  stepsOf(blocks).reduce((n, s) => n + 1 + 5 * (s.text.match(/\btrain\b|--walk-forward/g)?.length ?? 0), 0);
chains.sort((a, b) => weight(b.blocks) - weight(a.blocks));

let server: LoopbackServer | undefined;
let dbReady = "";
const running: Promise<void>[] = [];
const shim = mkdtempSync(join(tmpdir(), "tsml-readme-bin-"));

/** At most PARALLEL chains at once. */
async function slot<T>(work: () => Promise<T>): Promise<T> {
  while (running.length >= PARALLEL) await Promise.race(running);
  const job = work();
  const done = job.then(
    () => undefined,
    () => undefined,
  );
  running.push(done);
  void done.then(() => running.splice(running.indexOf(done), 1));
  return job;
}

/** Answers like Alpha Vantage and TWSE, from saved real bodies (../shared/data/api, test/fixtures/sources). */
async function startReplay(): Promise<LoopbackServer> {
  const av = (name: string) => readFileSync(join(SHARED_API, "alphavantage", name), "utf8");
  const bodies: Record<string, string> = {
    TIME_SERIES_DAILY: av("TIME_SERIES_DAILY_IBM_compact_2024-06-18.json"),
    TIME_SERIES_DAILY_ADJUSTED: readFileSync(join(FIXTURES, "av-daily-adjusted-3rows.json"), "utf8"),
    DIGITAL_CURRENCY_DAILY: av("DIGITAL_CURRENCY_DAILY_BTC-EUR_3rows_2025-08-24_newformat.json"),
    RSI: readFileSync(join(FIXTURES, "av-rsi-3points.json"), "utf8"),
    MACD: av("MACD_GOOGL_monthly_2rows_2020-04-29.json"),
    SMA: av("SMA_MSFT_15min_2017-12-20.json"),
  };
  const stock = readFileSync(join(FIXTURES, "twse-stock-2330-202310.json"), "utf8");
  const noData = '{"stat":"很抱歉，沒有符合條件的資料!","total":0}';
  return startLoopbackServer((req, res) => {
    const url = new URL(req.url ?? "", "http://x");
    if (url.pathname === "/query") {
      const body = bodies[url.searchParams.get("function") ?? ""];
      return body
        ? send(res, body)
        : send(res, JSON.stringify({ "Error Message": "Invalid API call (readme replay)." }));
    }
    const date = url.searchParams.get("date") ?? "";
    if (url.pathname.endsWith("MI_5MINS_HIST")) {
      const file = join(SHARED_API, "twse", "MI_5MINS_HIST", `${date}.json`);
      return send(res, existsSync(file) ? readFileSync(file, "utf8") : noData);
    }
    return send(res, date === "20231001" ? stock : noData);
  });
}

/** The first rows of the bundled S&P 500 as seed 000's `time, price, high, low, volume`. */
function seedRows(n: number): [string, number, number, number, number][] {
  return readFileSync(SP500, "utf8")
    .trim()
    .split("\n")
    .slice(1, n + 1)
    .map((l) => l.split(","))
    .map((c) => [c[0], Number(c[4]), Number(c[2]), Number(c[3]), Number(c[6])]);
}

/**
 * What the README's database examples take as the reader's own: in this run's database on each server, a
 * PostgreSQL `stock_prices` and a MySQL `bars` (a German `Kurs` close column) with the S&P 500's first rows.
 */
async function createDatabases(): Promise<void> {
  const rows = seedRows(300);
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${RUN_DB}`);
  await admin.end();
  const db = new pg.Client({ connectionString: PG_ADMIN.replace(/\/[^/]*$/, `/${RUN_DB}`) });
  await db.connect();
  await db.query(
    "CREATE TABLE stock_prices (time DATE, price DOUBLE PRECISION, high DOUBLE PRECISION, low DOUBLE PRECISION, volume DOUBLE PRECISION)",
  );
  for (const r of rows) await db.query("INSERT INTO stock_prices VALUES ($1, $2, $3, $4, $5)", r);
  await db.end();
  const my = await mysql.createConnection(MYSQL_ADMIN);
  await my.query(`CREATE DATABASE ${RUN_DB}`);
  await my.query(`CREATE TABLE ${RUN_DB}.bars (date DATE, Kurs DOUBLE)`);
  await my.query(`INSERT INTO ${RUN_DB}.bars VALUES ?`, [rows.map((r) => [r[0], r[1]])]);
  await my.end();
}

async function dropDatabases(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect().then(
    () => admin.query(`DROP DATABASE IF EXISTS ${RUN_DB} WITH (FORCE)`),
    () => undefined,
  );
  await admin.end().catch(() => undefined);
  const my = await mysql.createConnection(MYSQL_ADMIN).catch(() => null);
  await my?.query(`DROP DATABASE IF EXISTS ${RUN_DB}`);
  await my?.end();
}

/** Files the README's examples name as the reader's own, put in every section's folder. */
async function givenFiles(dir: string): Promise<void> {
  copyFileSync(SP500, join(dir, "sp500-2000.csv"));
  if (existsSync(TSMC_CSV)) copyFileSync(TSMC_CSV, join(dir, "2330.TW.csv"));
  writeFileSync(join(dir, "readme-rf-grid.json"), JSON.stringify({ n_estimators: [20], max_depth: [4, 8] }));
  const duck = await DuckDBInstance.create(join(dir, "prices.duckdb"));
  const connection = await duck.connect();
  await connection.run(
    `CREATE TABLE stock_prices AS SELECT 'MSFT' AS ticker, date AS time, close AS price, high, low, volume
     FROM read_csv('${join(dir, "sp500-2000.csv")}') LIMIT 300`,
  );
  connection.closeSync();
  duck.closeSync();
}

const SCRIPT_HEAD = `set -o pipefail
# readme_cpu: CPU milliseconds (user + system) of the commands run so far, from bash's \`times\` (called in
# this shell: in a $(...) subshell it would count only the subshell's own children).
readme_cpu_ms() { times >"$README_LOG/times"; readme_cpu=$(tail -n 1 "$README_LOG/times" | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); t += p[1] * 60 + p[2] } printf "%d", t * 1000 }'); }
readme_wait_all() { readme_all=0; for p in $(jobs -p); do wait "$p" || readme_all=$?; done; return $readme_all; }
readme_wait_for_port() { for _ in $(seq 1 150); do curl -s -o /dev/null "http://127.0.0.1:$1/healthz" && return 0; sleep 0.1; done; return 1; }
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null' EXIT
`;

interface Step extends ReadmeCommand {
  expect: number;
  /** How the README shows it (before SUBSTITUTIONS). */
  shown: string;
}

/** The section's bash script: each step's exit code is logged, and the first unexpected one stops it. */
function sectionScript(steps: Step[], values: Record<string, string>): string {
  const parts = steps.map(
    (s, i) => `echo ${i} >"$README_LOG/started"
readme_t0=$(date +%s%N)
{ ${substitute(s.text, values)}
} >"$README_LOG/${i}.out" 2>"$README_LOG/${i}.err"
readme_rc=$?
readme_cpu_ms
echo "${i} $readme_rc $(( ($(date +%s%N) - readme_t0) / 1000000 )) $readme_cpu" >>"$README_LOG/rc"
[ "$readme_rc" -eq ${s.expect} ] || exit 99
`,
  );
  return SCRIPT_HEAD + parts.join("");
}

function stepsOf(section: ReadmeBlock[]): Step[] {
  const steps: Step[] = [];
  for (const b of section) {
    const exit = b.markers.find((m) => m.kind === "expect-exit");
    for (const m of b.markers)
      if (m.kind === "given")
        steps.push({ line: m.line, text: m.command, shown: `(given) ${m.command}`, expect: 0 });
    for (const c of b.commands)
      steps.push({ ...c, shown: c.text, expect: exit?.kind === "expect-exit" ? exit.code : 0 });
  }
  return steps;
}

/** A port nothing listens on now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => done(port));
    });
  });
}

const tail = (text: string, n = 1500) => (text.length > n ? `...${text.slice(-n)}` : text);

/** Runs one section in a fresh folder; resolves with what failed ("" when every step did as expected). */
async function runSection(name: string, section: ReadmeBlock[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "tsml-readme-"));
  const log = join(dir, ".readme-log");
  mkdirSync(log);
  await givenFiles(dir);
  const steps = stepsOf(section);
  const values = {
    AV_URL: `${server?.url}/query`,
    TWSE_URL: server?.url ?? "",
    DB: RUN_DB,
    PORT: String(await freePort()),
  };
  writeFileSync(join(log, "script.sh"), sectionScript(steps, values));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${shim}:${process.env.PATH}`,
    TZ: "UTC",
    README_LOG: log,
  };
  delete env.TSML_WORKSPACE;
  delete env.ALPHAVANTAGE_API_KEY;
  const started = Date.now();
  const code = await new Promise<number | null>((done) => {
    const child = spawn("bash", [join(log, "script.sh")], { cwd: dir, env, detached: true, stdio: "ignore" });
    const timer = setTimeout(() => process.kill(-(child.pid as number), "SIGKILL"), SECTION_TIMEOUT_MS);
    child.on("close", (c) => {
      clearTimeout(timer);
      done(c);
    });
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const read = (f: string) => (existsSync(join(log, f)) ? readFileSync(join(log, f), "utf8") : "");
  // Per step: index, exit code, wall ms, CPU ms so far; the slow steps are named with their CPU time.
  const logged = read("rc")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(" ").map(Number));
  const cpu = (k: number) => (k < 0 ? 0 : (logged[k]?.[3] ?? 0));
  const slow = logged
    .map(([i, , ms], k) => ({ line: steps[i].line, ms, cpuMs: cpu(k) - cpu(k - 1) }))
    .filter((s) => s.ms >= 5000)
    .map((s) => `line ${s.line} ${(s.ms / 1000).toFixed(1)} s, CPU ${(s.cpuMs / 1000).toFixed(1)} s`);
  console.log(
    `README section "${name}": ${steps.length} command(s), ${seconds} s, CPU ${(cpu(logged.length - 1) / 1000).toFixed(1)} s` +
      (slow.length ? ` (${slow.join("; ")})` : ""),
  );
  if (code === 0) {
    rmSync(dir, { recursive: true, force: true });
    return "";
  }
  const last = Number(read("started").trim() || 0);
  const step = steps[last];
  const rc = read("rc").trim().split("\n").at(-1)?.split(" ")[1];
  const how = code === 99 ? `exited ${rc}, expected ${step.expect}` : `did not finish (bash exit ${code})`;
  return [
    `README.md:${step.line} (section "${name}"): \`${step.shown}\` ${how}`,
    `  ran as: ${substitute(step.text, values)}`,
    `  stderr: ${tail(read(`${last}.err`)).trim() || "(empty)"}`,
    `  stdout: ${tail(read(`${last}.out`), 600).trim() || "(empty)"}`,
    `  folder kept: ${dir}`,
  ].join("\n");
}

beforeAll(async () => {
  writeFileSync(join(shim, "tsml"), `#!/bin/sh\nexec "${process.execPath}" "${TSML_BIN}" "$@"\n`, {
    mode: 0o755,
  });
  if (existsSync(SHARED_API)) server = await startReplay();
  await createDatabases().then(
    () => {
      dbReady = "yes";
    },
    (error: Error) => {
      dbReady = `no (${error.message})`;
    },
  );
}, 60_000);

afterAll(async () => {
  await server?.close();
  await dropDatabases().catch(() => undefined);
  rmSync(shim, { recursive: true, force: true });
});

/** Why a section cannot run on this machine ("" when it can). */
function unavailable(section: ReadmeBlock[]): string {
  const text = stepsOf(section)
    .map((s) => s.text)
    .join("\n");
  if (/ingest (alphavantage|twse)|2330\.TW\.csv/.test(text) && !existsSync(SHARED_DATA))
    return `${SHARED_DATA} (saved Alpha Vantage/TWSE bodies, TSMC's bars) is absent`;
  if (/postgres|mysql/.test(text) && dbReady !== "yes" && process.env.TSML_REQUIRE_DB !== "1")
    return `the local PostgreSQL/MariaDB are not usable: ${dbReady}`;
  return "";
}

describe("README.md examples", () => {
  it("every shell block runs or says why not, and every command-like block is tagged", () => {
    const problems: string[] = [];
    for (const b of shellBlocks)
      if (b.commands.length === 0 && !skipOf(b))
        problems.push(
          `README.md:${b.line}: a ${b.lang} block with no command line and no readme-test marker`,
        );
    for (const b of shellBlocks)
      for (const c of b.commands)
        if (/\s\[--?[A-Za-z]/.test(c.text))
          problems.push(
            `README.md:${c.line}: a synopsis ([--flag]) in a ${b.lang} block: move it to a text block`,
          );
    for (const b of blocks)
      if (looksLikeUntaggedCommand(README, b))
        problems.push(
          `README.md:${b.line}: an untagged block that starts with a command: tag it sh (it runs) or text (synopsis, output)`,
        );
    const skipped = shellBlocks.filter(skipOf);
    console.log(
      `README: ${shellBlocks.length} shell blocks, ${runnable.length} run in ${chains.length} folders, ` +
        `${skipped.length} marked skip (${skipped.map((b) => `line ${b.line}`).join(", ")})`,
    );
    expect(problems, problems.join("\n")).toEqual([]);
    expect(runnable.length).toBeGreaterThan(10);
  });

  it("substitutions rewrite only what they say", () => {
    expect(substitute("tsml ingest twse --index TAIEX")).toBe(
      "tsml ingest twse --base-url {TWSE_URL} --delay 0 --index TAIEX",
    );
    expect(substitute("tsml export db --url postgres://me@localhost/research --table m")).toBe(
      "tsml export db --url postgres://postgres@127.0.0.1:5432/{DB} --table m",
    );
    expect(substitute("tsml train --model lstm --ticker SPX")).toBe(
      "tsml train --model lstm --iterations 5 --layers 1 --units 16 --ticker SPX",
    );
    expect(substitute("tsml --seed 1 train --model lstm --ticker SPX --iterations 200 && tsml ls")).toBe(
      "tsml --seed 1 train --model lstm --iterations 5 --layers 1 --units 16 --ticker SPX && tsml ls",
    );
    expect(substitute("curl -s 'localhost:8000/models'", { PORT: "4321" })).toBe(
      "curl -s 'localhost:4321/models'",
    );
    expect(substitute("tsml train --ticker AAPL --model rf --tune")).toBe(
      "tsml train --ticker AAPL --model rf --tune",
    );
    expect(substitute("tsml train --ticker SPX --model rf --tune --split-date 2016-01-01")).toBe(
      "tsml train --ticker SPX --model rf --tune --grid readme-rf-grid.json --split-date 2016-01-01",
    );
  });

  for (const { name, blocks: section } of chains)
    it.concurrent(
      name,
      async ({ skip }) => {
        const why = unavailable(section);
        if (why) {
          console.log(`skipping README section "${name}": ${why}`);
          skip();
        }
        const failure = await slot(() => runSection(name, section));
        expect(failure, failure).toBe("");
      },
      SECTION_TIMEOUT_MS * 2,
    );
});
