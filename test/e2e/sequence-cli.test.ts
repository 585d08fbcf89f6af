// The sequence models through the built CLI: train lstm / lstm-clf / dense-window, predict (batch, recursive)
// and --stream scoring in a long-running child process, line by line.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTable } from "../../src/artifacts/table-io.js";
import { runTsml, TSML_BIN } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const sp500 = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
const ws = mkdtempSync(join(tmpdir(), "tsml-e2e-seq-"));
const tiny = ["--steps", "10", "--layers", "1", "--units", "8", "--iterations", "40", "--patience", "0"];
const lstmFolder = join(ws, "models", "SPX", "lstm");

function tsml(args: string[]) {
  const run = runTsml(["--workspace", ws, "--seed", "3", ...args]);
  if (run.code !== 0) throw new Error(`tsml ${args.join(" ")} -> ${run.code}\n${run.stderr}`);
  return run;
}

beforeAll(() => {
  if (!existsSync(join(root, "dist", "cli", "main.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
  tsml(["ingest", "csv", sp500, "--ticker", "SPX"]);
});
afterAll(() => rmSync(ws, { recursive: true, force: true }));

describe("tsml train/predict with sequence models", () => {
  it("trains an lstm with test metrics, repeatably for one seed", () => {
    const args = ["train", "--model", "lstm", "--ticker", "SPX", "--split-date", "2019-06-01", ...tiny];
    const summary = JSON.parse(tsml(["--json", ...args]).stdout);
    for (const key of ["mse", "rmse", "mae", "mape", "smape", "directionalAccuracy"])
      expect(Number.isFinite(summary.metrics[key])).toBe(true);
    const meta = JSON.parse(readFileSync(join(lstmFolder, "tsml.json"), "utf8"));
    expect(meta).toMatchObject({ kind: "model", model: "lstm", backend: "wasm", format: "tsml-fused-lstm" });
    expect(meta.provenance.seed).toBe(3);
    const first = readFileSync(join(lstmFolder, "weights.bin"));
    tsml(args);
    expect(readFileSync(join(lstmFolder, "weights.bin")).equals(first)).toBe(true);
  });

  it("predicts every full window, and recursively past the end", async () => {
    const out = join(ws, "pred.parquet");
    tsml(["predict", "-m", lstmFolder, "-o", out]);
    const { frame, meta } = await readTable(out);
    expect(meta?.kind).toBe("predictions");
    expect(frame.length).toBe(5105 - 10 + 1);
    const close = 1455.22; // order of magnitude check: predictions are on the price scale, not z-scores
    expect(frame.get("prediction")[0]).toBeGreaterThan(close * 0.5);
    const rec = join(ws, "rec.parquet");
    tsml(["predict", "-m", lstmFolder, "--recursive", "4", "-o", rec]);
    const r = (await readTable(rec)).frame;
    expect(Array.from(r.get("step"))).toEqual([1, 2, 3, 4]);
    expect(r.time[0]).toBeGreaterThan(Date.parse("2020-04-17"));
  });

  it("streams one prediction per stdin line, flushed while the process keeps running", async () => {
    const batch = (await readTable(join(ws, "pred.parquet"))).frame.get("prediction");
    const closes = readFileSync(sp500, "utf8")
      .trim()
      .split("\n")
      .slice(1, 14)
      .map((l) => l.split(",")[4]);
    const child = spawn(process.execPath, [TSML_BIN, "predict", "-m", lstmFolder, "--stream"], {
      env: { ...process.env, TZ: "UTC" },
    });
    const lines: string[] = [];
    let buffer = "";
    let wake: (() => void) | null = null;
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      lines.push(...parts);
      wake?.();
    });
    const waitFor = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line ${n} (got ${lines.length})`)), 20_000);
        wake = () => {
          if (lines.length >= n) {
            clearTimeout(timer);
            resolve();
          }
        };
        wake();
      });
    for (const price of closes.slice(0, 9)) child.stdin.write(`${price}\n`);
    await new Promise((r) => setTimeout(r, 300));
    expect(lines).toHaveLength(0); // fewer than `steps` prices: nothing yet
    for (let k = 9; k < closes.length; k++) {
      child.stdin.write(`${closes[k]}\n`);
      await waitFor(k - 8); // each answer arrives before the next price is sent
    }
    child.stdin.end();
    await new Promise((r) => child.on("close", r));
    expect(lines).toHaveLength(4);
    for (let i = 0; i < lines.length; i++) expect(Number(lines[i])).toBeCloseTo(batch[i], 3);
  });

  it("trains lstm-clf on the cpu backend and dense-window on optimal_position labels", async () => {
    tsml(["features", "--ticker", "SPX", "--labels", "optimal_position,up_down_tm"]);
    const clf = JSON.parse(
      tsml([
        "--json",
        "train",
        "--model",
        "lstm-clf",
        "--ticker",
        "SPX",
        "--backend",
        "cpu",
        "--split-date",
        "2019-06-01",
        ...tiny,
      ]).stdout,
    );
    expect(clf.backend).toBe("cpu");
    expect(clf.metrics.accuracy).toBeGreaterThan(0.3);
    const dense = JSON.parse(
      tsml([
        "--json",
        "train",
        "--model",
        "dense-window",
        "--ticker",
        "SPX",
        "--split-date",
        "2019-06-01",
        "--epochs",
        "1",
        "--units",
        "32",
      ]).stdout,
    );
    expect(dense.metrics.rows).toBeGreaterThan(100);
    const folder = join(ws, "models", "SPX", "dense-window");
    expect(existsSync(join(folder, "model.json"))).toBe(true);
    const out = join(ws, "dense.parquet");
    tsml(["predict", "-m", folder, "-o", out]);
    const f = (await readTable(out)).frame;
    expect(f.columnNames.slice(0, 1)).toEqual(["pred"]);
    expect(f.has("close")).toBe(true);
    expect(f.length).toBe(5105 - 50 + 1);
  });

  it("refuses an unknown backend with a usage error", () => {
    const run = runTsml([
      "--workspace",
      ws,
      "train",
      "--model",
      "lstm",
      "--ticker",
      "SPX",
      "--backend",
      "gpu",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--backend gpu/);
  });
});
