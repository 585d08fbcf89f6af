// Seed 004's deployment through the one model interface, end to end with the built CLI: a tiny LSTM trained on
// bundled data is registered, served on a loopback port, and asked for the forecast after the last `steps`
// prices over REST; that forecast is `tsml predict`'s last row, and `tsml evaluate -m` gives the model's own
// test metrics.

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTable } from "../../src/artifacts/table-io.js";
import { runTsml, TSML_BIN } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const sp500 = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
const ws = mkdtempSync(join(tmpdir(), "tsml-e2e-lstm-serve-"));
const folder = join(ws, "models", "SPX", "lstm");
const STEPS = 10;
let server: ChildProcess | null = null;

function tsml(args: string[]) {
  const run = runTsml(["--workspace", ws, "--seed", "3", ...args]);
  if (run.code !== 0) throw new Error(`tsml ${args.join(" ")} -> ${run.code}\n${run.stderr}`);
  return run;
}

/** `tsml serve --port 0` in the background; resolves with its base URL once it listens. */
function serve(): Promise<string> {
  const child = spawn(process.execPath, [TSML_BIN, "--workspace", ws, "serve", "--port", "0"], {
    env: { ...process.env, TZ: "UTC" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server = child;
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`serve exited early (${code}): ${stderr}`)));
  });
}

beforeAll(() => {
  if (!existsSync(join(root, "dist", "cli", "main.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
  tsml(["ingest", "csv", sp500, "--ticker", "SPX"]);
});
afterAll(() => {
  server?.kill("SIGTERM");
  rmSync(ws, { recursive: true, force: true });
});

describe("an LSTM registered, served and evaluated like any model", () => {
  let trained: { metrics: Record<string, unknown> };

  it("registers the trained LSTM folder", () => {
    trained = JSON.parse(
      tsml([
        "--json",
        "train",
        "--model",
        "lstm",
        "--ticker",
        "SPX",
        "--steps",
        String(STEPS),
        "--layers",
        "1",
        "--units",
        "8",
        "--iterations",
        "40",
        "--patience",
        "0",
      ]).stdout,
    );
    const registered = JSON.parse(tsml(["--json", "registry", "register", "-m", folder]).stdout);
    expect(registered).toMatchObject({ name: "SPX_lstm", version: 1 });
    expect(registered.tags.classifier).toBe("lstm");
  });

  it("serves POST /predict: the last `steps` prices give predict's last forecast", async () => {
    const out = join(ws, "lstm.parquet");
    tsml(["predict", "-m", folder, "-o", out]);
    const predictions = (await readTable(out)).frame;
    const lastForecast = predictions.get("prediction")[predictions.length - 1];
    // The last `steps` closes, read from the bars the model was trained on.
    const bars = (await readTable(join(ws, "bars", "SPX.parquet"))).frame;
    const close = Array.from(bars.get("close")).filter(Number.isFinite);
    const prices = close.slice(close.length - STEPS);
    expect(predictions.get("close")[predictions.length - 1]).toBe(prices[STEPS - 1]);

    const base = await serve();
    const models = (await (await fetch(`${base}/models`)).json()) as { name: string }[];
    expect(models.map((m) => m.name)).toContain("SPX_lstm");
    const reply = await fetch(`${base}/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "SPX_lstm", prices }),
    });
    expect(reply.status).toBe(200);
    const body = (await reply.json()) as {
      steps: number;
      horizon: number;
      predictions: { prediction: number }[];
    };
    expect(body).toMatchObject({ steps: STEPS, horizon: 1 });
    expect(body.predictions).toHaveLength(1);
    expect(body.predictions[0].prediction).toBe(lastForecast);

    // Too few prices is the client's mistake, answered 400 with the field named.
    const short = await fetch(`${base}/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "SPX_lstm", prices: prices.slice(1) }),
    });
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({ field: "prices" });
  });

  it("evaluate -m scores the model's test window to its own test metrics", () => {
    const run = tsml(["--json", "evaluate", "-m", folder, "--no-record", "-o", join(ws, "eval.json")]);
    const metrics = JSON.parse(run.stdout).tickers.SPX.metrics as Record<string, number>;
    const own = trained.metrics as Record<string, unknown>;
    const names = Object.keys(own).filter((k) => typeof own[k] === "number");
    expect(names).toContain("rmse");
    for (const name of names) expect(metrics[name], name).toBe(own[name]);
  });
});
