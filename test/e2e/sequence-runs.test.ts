// Sequence models (folders, models/SPX/lstm/) are kept per run like tabular model files: two training runs each
// keep their own folder under runs/<id>/, the latest folder is the last success's, `tsml compare` names each by
// the fingerprint of its record file (the model id its predictions carry), and the report shows the model a
// backtest was made with from the run that kept it, not the one trained after.

import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTsml } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-sequence-runs-"));
const ws = join(dir, "ws");
const sp500 = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--seed", "3", "--no-color", ...args]);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a step that must succeed and returns its --json summary. */
function ok(...args: string[]) {
  const run = tsml("--json", ...args);
  expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout);
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const tiny = ["--steps", "10", "--layers", "1", "--iterations", "30", "--patience", "0"];
const latest = join(ws, "models", "SPX", "lstm");
const kept = (run: string) => join(ws, "runs", run, "models", "SPX", "lstm");
/** A folder's files and their bytes (hex), to compare two folders. */
const files = (folder: string) =>
  Object.fromEntries(readdirSync(folder).map((f) => [f, readFileSync(join(folder, f)).toString("hex")]));

let first: string;
let second: string;
let firstFiles: Record<string, string>;
let predictRun: string;
let backtestRun: string;

beforeAll(() => {
  ok("ingest", "csv", sp500, "--ticker", "SPX");
  first = ok("train", "--model", "lstm", "--ticker", "SPX", ...tiny, "--units", "6").run;
  firstFiles = files(kept(first));
  predictRun = ok("predict", "-m", latest).run;
  backtestRun = ok("backtest", "--ticker", "SPX", "--no-chart").run;
  second = ok("train", "--model", "lstm", "--ticker", "SPX", ...tiny, "--units", "9").run;
});

describe("sequence model folders, kept per run", () => {
  it("each run keeps its own folder; the latest folder is the second run's, the first run's is untouched", () => {
    expect(Object.keys(firstFiles).sort()).toEqual(["tsml.json", "weights.bin"]);
    expect(files(kept(first))).toEqual(firstFiles);
    expect(files(kept(second))).not.toEqual(firstFiles);
    expect(files(latest)).toEqual(files(kept(second)));
  });

  it("compare names each run's model by its record file's fingerprint, with its params and its backtest", () => {
    const { runs } = ok("compare", first, second);
    const byRun = new Map(runs.map((r: { run: string }) => [r.run, r]));
    const [a, b] = [byRun.get(first), byRun.get(second)] as {
      modelId: string;
      params: { units: number };
      backtestRun: string | null;
    }[];
    expect(a.modelId).toBe(`SPX/lstm@${sha256(join(kept(first), "tsml.json")).slice(0, 12)}`);
    expect(b.modelId).toBe(`SPX/lstm@${sha256(join(kept(second), "tsml.json")).slice(0, 12)}`);
    expect([a.params.units, b.params.units]).toEqual([6, 9]);
    // The backtest was made with the first model: it joins the first column only.
    expect(a.backtestRun).toBe(backtestRun);
    expect(b.backtestRun).toBeNull();
  });

  it("the predictions run keeps its own copy and names the first model", async () => {
    const record = JSON.parse(readFileSync(join(ws, "runs", predictRun, "run.json"), "utf8"));
    const [artifact] = record.artifacts;
    expect(artifact).toMatchObject({
      kind: "predictions",
      current: "predictions/SPX.parquet",
      promoted: true,
    });
    expect(artifact.path).toBe(`runs/${predictRun}/predictions/SPX.parquet`);
    // The footer of the kept copy (read by DuckDB) names the first run's model.
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      const path = join(ws, artifact.path);
      const reader = await connection.runAndReadAll(
        `SELECT decode(value) AS v FROM parquet_kv_metadata('${path}') WHERE decode(key) = 'tsml'`,
      );
      const footer = JSON.parse(String(reader.getRowObjectsJS()[0].v));
      expect(footer.details.modelId).toBe(`SPX/lstm@${sha256(join(kept(first), "tsml.json")).slice(0, 12)}`);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("the report shows the model the backtest was made with, read from the run that kept it", () => {
    const run = tsml("export", "report");
    expect(run.code, run.stderr).toBe(0);
    const html = readFileSync(join(ws, "reports", "report.html"), "utf8");
    expect(html).toContain(`runs/${first}/models/SPX/lstm/tsml.json`);
    expect(html).not.toContain(`runs/${second}/models`);
  });
});
