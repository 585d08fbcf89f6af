// The sequence models through the built CLI: train lstm / lstm-clf / dense-window, predict (batch, recursive)
// and --stream scoring in a long-running child process, line by line.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProvenance } from "../../src/artifacts/provenance.js";
import { readTable, tableMeta, writeTable } from "../../src/artifacts/table-io.js";
import { Frame } from "../../src/frame/frame.js";
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
    for (const key of ["mse", "rmse", "mae", "mape", "smape", "r2", "directional_accuracy"])
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

  it("--stream reads DATE,PRICE lines strictly: an impossible date is exit 3 naming the line", () => {
    const rows = readFileSync(sp500, "utf8").trim().split("\n").slice(1, 14);
    const dated = rows.map((l) => `${l.split(",")[0]},${l.split(",")[4]}`).join("\n");
    const plain = rows.map((l) => l.split(",")[4]).join("\n");
    const stream = (input: string) =>
      spawnSync(process.execPath, [TSML_BIN, "predict", "-m", lstmFolder, "--stream"], {
        input: `${input}\n`,
        encoding: "utf8",
        env: { ...process.env, TZ: "America/New_York" },
      });
    const withDates = stream(dated);
    expect(withDates.status, withDates.stderr).toBe(0);
    // This model is not detrended, so dates do not change its forecasts.
    expect(withDates.stdout).toBe(stream(plain).stdout);
    const bad = stream(dated.replace(rows[3].split(",")[0], "2019-02-30"));
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/^tsml: stdin line 4: "2019-02-30" is not a date$/m);
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
    // evaluate derives the same up/down label from the predictions' close and scores the same rows.
    const clfOut = join(ws, "clf.parquet");
    tsml(["predict", "-m", join(ws, "models", "SPX", "lstm-clf"), "--backend", "cpu", "-o", clfOut]);
    const scored = JSON.parse(
      tsml(["--json", "evaluate", "-i", clfOut, "--no-record", "-o", join(ws, "clf.json")]).stdout,
    ).tickers.SPX.metrics;
    for (const name of ["rows", "accuracy", "precision", "recall", "roc_auc", "log_loss"])
      expectSame(scored[name], clf.metrics[name], `lstm-clf ${name}`);
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

/** |a - b| within 1e-12 of the larger magnitude (or absolutely, below 1), null only against null. */
function expectSame(a: number | null, b: number | null, what: string) {
  if (a === null || b === null) return expect(a, what).toBe(b);
  expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
}

type HorizonJson = {
  h: number;
  from: string | null;
  to: string | null;
  metrics: Record<string, number | null>;
};

describe("tsml evaluate on sequence predictions", () => {
  const openFolder = join(ws, "lstm-open");

  it("records target, horizon, model id and split date, and scores every horizon against open", async () => {
    const trained = JSON.parse(
      tsml([
        "--json",
        "train",
        "--model",
        "lstm",
        "--ticker",
        "SPX",
        "--target",
        "open",
        "--horizon",
        "3",
        "--split-date",
        "2019-06-01",
        "-o",
        openFolder,
        ...tiny,
      ]).stdout,
    );
    const out = join(ws, "open3.parquet");
    tsml(["predict", "-m", openFolder, "-o", out]);
    const { frame, meta } = await readTable(out);
    expect(meta?.details).toMatchObject({
      target: "open",
      horizon: 3,
      splitDate: "2019-06-01",
      model: "lstm",
    });
    expect(String(meta?.details.modelId)).toMatch(/^SPX\/lstm@[0-9a-f]{12}$/);
    expect(frame.columnNames.slice(0, 4)).toEqual(["prediction_1", "prediction_2", "prediction_3", "open"]);

    const run = tsml(["--json", "evaluate", "-i", out, "--no-record", "-o", join(ws, "open3.json")]);
    const result = JSON.parse(run.stdout).tickers.SPX;
    expect(result.forecast).toMatchObject({ target: "open", targetRecorded: true, horizon: 3 });
    expect(Object.keys(result.metrics)).toContain("smape_h3");
    // The model's own test metrics are evaluate's, row for row: same forecasts, same test window.
    const own = trained.metrics.horizons as HorizonJson[];
    const scored = result.forecast.horizons as HorizonJson[];
    expect(scored.map((e) => [e.h, e.from, e.to])).toEqual(own.map((e) => [e.h, e.from, e.to]));
    // The first test forecast is made at the close of the last training bar (Friday 2019-05-31).
    expect(scored[0].from).toBe("2019-05-31");
    for (const [k, e] of scored.entries())
      for (const [name, value] of Object.entries(own[k].metrics))
        expectSame(e.metrics[name], value, `h${e.h} ${name}`);
    expect(run.stderr + run.stdout).not.toMatch(/no pred column/);
  });

  it("gates every horizon on a bare metric, and one horizon on smape_hK", () => {
    const out = join(ws, "open3.parquet");
    const fail = runTsml(["--workspace", ws, "evaluate", "-i", out, "--no-record", "--fail-if", "smape>0"]);
    expect(fail.code).toBe(5);
    for (const h of [1, 2, 3]) expect(fail.stdout).toMatch(new RegExp(`FAIL SPX h${h}: smape>0`));
    const pass = runTsml([
      "--workspace",
      ws,
      "evaluate",
      "-i",
      out,
      "--no-record",
      "--fail-if",
      "smape_h3>190",
    ]);
    expect(pass.code, pass.stderr).toBe(0);
    expect(pass.stdout).toMatch(/ok {3}SPX: smape_h3>190/);
    const missing = runTsml([
      "--workspace",
      ws,
      "evaluate",
      "-i",
      out,
      "--no-record",
      "--fail-if",
      "smape_h4>1",
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/smape_h4/);
  });

  it("a one-step forecast of open is scored against the next open, as the model's own metrics are", async () => {
    const folder = join(ws, "lstm-open1");
    const args = ["train", "--model", "lstm", "--ticker", "SPX", "--target", "open", "-o", folder, ...tiny];
    const trained = JSON.parse(tsml(["--json", ...args, "--split-date", "2019-06-01"]).stdout);
    const out = join(ws, "open1.parquet");
    tsml(["predict", "-m", folder, "-o", out]);
    const result = JSON.parse(
      tsml(["--json", "evaluate", "-i", out, "--no-record", "-o", join(ws, "open1.json")]).stdout,
    ).tickers.SPX;
    expect(result.forecast.target).toBe("open");
    for (const name of ["rows", "smape", "mae", "rmse", "directional_accuracy"])
      expectSame(result.metrics[name], trained.metrics[name], name);
    // seed 003's sMAPE by hand: forecasts made from the last training bar on, against the next row's open.
    const { frame } = await readTable(out);
    const pred = frame.get("prediction");
    const open = frame.get("open");
    let total = 0;
    let n = 0;
    for (let i = 0; i + 1 < frame.length; i++) {
      if (frame.time[i + 1] < Date.UTC(2019, 5, 1)) continue;
      total += (2 * Math.abs(pred[i] - open[i + 1])) / (Math.abs(open[i + 1]) + Math.abs(pred[i]));
      n++;
    }
    expect(result.metrics.rows).toBe(n);
    expectSame(result.metrics.smape, (total / n) * 100, "smape by hand");
  });

  it("matches pandas on a checked-in prediction table (test/fixtures/sequence)", async () => {
    const fixtures = join(root, "test", "fixtures", "sequence");
    const reference = JSON.parse(readFileSync(join(fixtures, "reference.json"), "utf8"));
    const [head, ...lines] = readFileSync(join(fixtures, "spx-open-h3-predictions.csv"), "utf8")
      .trim()
      .split("\n");
    const names = head.split(",");
    const rows = lines.map((l) => l.split(","));
    const frame = Frame.fromColumns(
      "SPX",
      Float64Array.from(rows, (r) => Date.parse(`${r[1]}T00:00:00Z`)),
      Object.fromEntries(names.slice(2).map((n, c) => [n, Float64Array.from(rows, (r) => Number(r[c + 2]))])),
    );
    const path = join(ws, "fixture.parquet");
    const provenance = await makeProvenance({ command: "e2e fixture", options: {} });
    await writeTable(
      path,
      frame,
      tableMeta("predictions", provenance, {
        model: "lstm",
        target: "open",
        horizon: 3,
        splitDate: "2017-01-16",
      }),
    );
    for (const [flags, want] of [
      [[], reference.horizons],
      [["--last", "10"], reference.last10],
    ] as const) {
      const run = tsml([
        "--json",
        "evaluate",
        "-i",
        path,
        "--no-record",
        "-o",
        join(ws, "fx.json"),
        ...flags,
      ]);
      const got = JSON.parse(run.stdout).tickers.SPX.forecast.horizons as HorizonJson[];
      expect(got.map((e) => [e.from, e.to])).toEqual(want.map((e: HorizonJson) => [e.from, e.to]));
      for (const [k, e] of got.entries())
        for (const [name, value] of Object.entries(want[k].metrics as Record<string, number>))
          expectSame(e.metrics[name], value, `h${e.h} ${name} ${flags.join(" ")}`);
    }
  });
});
