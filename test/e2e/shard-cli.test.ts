// End to end with the built CLI (`npx tsc -p tsconfig.build.json` first): `--shard i/N` over the bundled S&P 500
// and a synthetic multi-ticker panel. For N = 1, 2, 3 shards run at the same time on one shared workspace
// (ingest, features, train, backtest with its predictions built on the way, evaluate), and every per-ticker
// artifact holds the same data as the single-process run's: Parquet rows and details, model states and
// metrics, evaluation metrics (provenance, timings and paths may differ). Which shard writes which ticker
// is checked against Python's hashlib (test/fixtures/shard); rerunning one shard rewrites its files only.

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricsFacts, modelFacts, parquetFacts, runStagesSharded } from "../helpers/artifact-facts.js";
import { runTsml } from "../helpers/run-cli.js";

const root = resolve(import.meta.dirname, "..", "..");
const SP500 = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
const REFERENCE = JSON.parse(
  readFileSync(join(root, "test", "fixtures", "shard", "shard-assignments.json"), "utf8"),
) as Record<string, Record<string, number>>;
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-shard-"));
const panel = join(dir, "panel.csv");
/** Synthetic tickers named as in the hashlib fixture, so their shards are known independently. */
const SYNTHETIC = ["S000", "S001", "S002", "S003", "S004", "S005"];
const TICKERS = ["SPX", ...SYNTHETIC].sort();

/** A seeded random walk per ticker on business days (its own generator: nothing of tsml's). */
function writePanel(): void {
  let state = 12345;
  const uniform = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const lines = ["date,ticker,open,high,low,close,volume"];
  for (const ticker of SYNTHETIC) {
    let close = 50 + 50 * uniform();
    const day = new Date(Date.UTC(2014, 0, 1));
    for (let n = 0; n < 450; ) {
      day.setUTCDate(day.getUTCDate() + 1);
      if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
      const open = close * (1 + (uniform() - 0.5) * 0.01);
      close = open * (1 + (uniform() - 0.49) * 0.04);
      const high = Math.max(open, close) * (1 + uniform() * 0.01);
      const low = Math.min(open, close) * (1 - uniform() * 0.01);
      const date = day.toISOString().slice(0, 10);
      lines.push(
        `${date},${ticker},${open.toFixed(4)},${high.toFixed(4)},${low.toFixed(4)},${close.toFixed(4)},${Math.round(1e6 * (1 + uniform()))}`,
      );
      n++;
    }
  }
  writeFileSync(panel, `${lines.join("\n")}\n`);
}

/** The pipeline, one stage after another, each stage's N shards at once (shards = 0: one process, no --shard). */
const STAGES: string[][] = [
  ["ingest", "csv", SP500, "--ticker", "SPX"],
  ["ingest", "csv", panel],
  ["features"],
  [
    "train",
    "--model",
    "rf",
    "--param",
    "n_estimators=15",
    "--splits",
    "3",
    "--jobs",
    "1",
    "--split-date",
    "2015-06-01",
  ],
  ["backtest", "--no-chart"],
  ["evaluate"],
];

async function pipeline(ws: string, shards: number): Promise<void> {
  await runStagesSharded(ws, STAGES, shards, ["--json"]);
}

const ref = join(dir, "ref");
beforeAll(async () => {
  writePanel();
  await pipeline(ref, 0);
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("--shard i/N", () => {
  it("the single-process run wrote every ticker's artifacts", () => {
    expect(readdirSync(join(ref, "features")).sort()).toEqual(TICKERS.map((t) => `${t}.parquet`));
    for (const t of TICKERS) expect(statSync(join(ref, "models", t, "rf.json")).isFile()).toBe(true);
  });

  for (const shards of [1, 2, 3]) {
    it(`N = ${shards}: the same per-ticker artifacts as the single-process run`, async () => {
      const ws = join(dir, `ws${shards}`);
      await pipeline(ws, shards);
      for (const kind of ["bars", "features", "predictions", "backtests"]) {
        expect(
          readdirSync(join(ws, kind))
            .filter((f) => f.endsWith(".parquet"))
            .sort(),
          kind,
        ).toEqual(TICKERS.map((t) => `${t}.parquet`));
        for (const t of TICKERS) {
          const [a, b] = await Promise.all([
            parquetFacts(join(ref, kind, `${t}.parquet`)),
            parquetFacts(join(ws, kind, `${t}.parquet`)),
          ]);
          expect(b.rows.length, `${kind}/${t}`).toBeGreaterThan(0);
          expect(b, `${kind}/${t}`).toEqual(a);
        }
      }
      for (const t of TICKERS) {
        expect(modelFacts(join(ws, "models", t, "rf.json")), t).toEqual(
          modelFacts(join(ref, "models", t, "rf.json")),
        );
        expect(metricsFacts(join(ws, "metrics", `${t}.json`)), t).toEqual(
          metricsFacts(join(ref, "metrics", `${t}.json`)),
        );
      }
      // Every shard's evaluation reached the one metrics history (shards took turns at the DuckDB file).
      const connection = await (await DuckDBInstance.create(":memory:")).connect();
      const history = join(ws, "metrics", "history.duckdb").replaceAll("'", "''");
      await connection.run(`ATTACH '${history}' AS h (READ_ONLY)`);
      const tickers = (
        await connection.runAndReadAll("SELECT DISTINCT ticker FROM h.metrics_history ORDER BY ticker")
      ).getRowObjectsJson();
      connection.closeSync();
      expect(tickers.map((r) => r.ticker)).toEqual(TICKERS);
    }, 600_000);
  }

  it("each shard writes exactly the tickers hashlib assigns to it; together they cover the universe once", async () => {
    const ws = join(dir, "ws3");
    const owned: string[][] = [];
    for (let i = 0; i < 3; i++) {
      const run = runTsml(["--workspace", ws, "--json", "--quiet", "features", "--shard", `${i}/3`]);
      expect(run.code, run.stderr).toBe(0);
      const summary = JSON.parse(run.stdout) as { outputs: { ticker: string }[] };
      owned.push(summary.outputs.map((o) => o.ticker).sort());
      expect(owned[i], `shard ${i}/3`).toEqual(TICKERS.filter((t) => REFERENCE[t]["3"] === i));
    }
    expect(owned.flat().sort()).toEqual(TICKERS);
    // tsml status (no --shard: it reads the union) lists every shard's features, each written by its own shard.
    const status = runTsml(["--workspace", ws, "--json", "status"]);
    expect(status.code, status.stderr).toBe(0);
    const listed = (JSON.parse(status.stdout) as { artifacts: { path: string; command: string }[] })
      .artifacts;
    for (const t of TICKERS) {
      const entry = listed.find((a) => a.path === `features/${t}.parquet`);
      expect(entry?.command, t).toContain(`--shard ${REFERENCE[t]["3"]}/3`);
    }
  }, 120_000);

  it("rerunning one shard replaces its own artifacts and leaves the others' untouched", async () => {
    const ws = join(dir, "ws3");
    const mtime = (t: string) => statSync(join(ws, "features", `${t}.parquet`)).mtimeMs;
    const before = new Map(TICKERS.map((t) => [t, mtime(t)]));
    await new Promise((r) => setTimeout(r, 20));
    const run = runTsml(["--workspace", ws, "--quiet", "features", "--shard", "1/3"]);
    expect(run.code, run.stderr).toBe(0);
    for (const t of TICKERS) {
      const mine = REFERENCE[t]["3"] === 1;
      expect(mtime(t) !== before.get(t), `${t} rewritten`).toBe(mine);
    }
  }, 120_000);

  it("a shard that owns none of the tickers exits 0 and writes nothing", () => {
    const owner = REFERENCE.SPX["3"];
    const other = (owner + 1) % 3;
    const ws = join(dir, "ws3");
    const model = join(ws, "models", "SPX", "rf.json");
    const out = runTsml(["--workspace", ws, "--json", "predict", "-m", model, "--shard", `${other}/3`]);
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ outputs: [] });
    expect(out.stdout + out.stderr).toMatch(new RegExp(`shard ${other}/3 owns none`));
  });

  it("refuses -o FILE, non-batch commands and bad specs with exit 2, naming --shard", () => {
    const ws = join(dir, "ws3");
    const cases: [string[], RegExp][] = [
      [["features", "--shard", "0/2", "-o", join(dir, "all.parquet")], /-o\/--output .* with --shard 0\/2/],
      [["backtest", "--shard", "0/2", "-o", "-"], /-o\/--output - with --shard/],
      [["ls", "--shard", "0/2"], /--shard applies to ingest, features/],
      [["features", "--shard", "2/2"], /--shard 2\/2: the shard index "2" is not an integer from 0 to 1/],
      [["features", "--shard", "half"], /--shard "half": expected INDEX\/COUNT or auto/],
      [["features", "--shard", "auto"], /--shard auto: no shard in the environment/],
    ];
    const bare = Object.fromEntries(
      Object.keys(process.env)
        .filter((k) => /^(TSML_SHARD|JOB_COMPLETION_INDEX|SLURM_ARRAY)/.test(k))
        .map((k) => [k, undefined]),
    );
    for (const [args, message] of cases) {
      const run = runTsml(["--workspace", ws, ...args], { env: bare });
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toMatch(message);
    }
    expect(readdirSync(dir)).not.toContain("all.parquet");
  });

  it("--shard auto reads a Kubernetes Indexed Job's and a Slurm array's environment", () => {
    const ws = join(dir, "ws3");
    const k8s = runTsml(["--workspace", ws, "--json", "--quiet", "features", "--shard", "auto"], {
      env: { JOB_COMPLETION_INDEX: "2", TSML_SHARDS: "3" },
    });
    expect(k8s.code, k8s.stderr).toBe(0);
    const slurm = runTsml(["--workspace", ws, "--json", "--quiet", "features", "--shard", "auto"], {
      env: { SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_COUNT: "3" },
    });
    expect(slurm.code, slurm.stderr).toBe(0);
    const tickersOf = (stdout: string) =>
      (JSON.parse(stdout) as { outputs: { ticker: string }[] }).outputs.map((o) => o.ticker).sort();
    const expected = TICKERS.filter((t) => REFERENCE[t]["3"] === 2);
    expect(tickersOf(k8s.stdout)).toEqual(expected);
    expect(tickersOf(slurm.stdout)).toEqual(expected);
  }, 120_000);
});
