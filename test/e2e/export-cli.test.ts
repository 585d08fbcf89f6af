// End to end with the built CLI: export table/report/chart/db, the registry (gate exit 5, immutability),
// predict --registry, and `tsml serve` over real HTTP with a SIGTERM shutdown; the report opens in Chromium.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { duckdb, sqlString } from "../../src/artifacts/duckdb-engine.js";
import { fixtureProba, LOGISTIC, writeFixtureWorkspace } from "../export-fixtures.js";
import { findChromium, openInChromium } from "../helpers/chromium.js";
import { runTsml, TSML_BIN } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-export-"));
const ws = join(dir, "ws");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--no-color", ...args]);
const SEED_001 = "positive_accuracy>0.5 && negative_accuracy>0.5 && overall>0.6";

beforeAll(async () => {
  if (!existsSync(join(root, "dist", "cli", "main.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
  await writeFixtureWorkspace(ws, { rows: 400 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("tsml export", () => {
  it("exports a table as CSV to stdout and Parquet a second reader (DuckDB) reads", async () => {
    const csv = tsml(
      "export",
      "table",
      "-i",
      join(ws, "predictions", "SPX.parquet"),
      "--format",
      "csv",
      "-o",
      "-",
    );
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(401);
    expect(lines[0].startsWith("ticker,date,pred,proba")).toBe(true);
    const out = join(dir, "bt.parquet");
    expect(tsml("export", "table", "-i", join(ws, "backtests", "SPX.parquet"), "-o", out).code).toBe(0);
    const db = await duckdb();
    const rows = (
      await db.runAndReadAll(`SELECT count(*), count(buy) FROM read_parquet(${sqlString(out)})`)
    ).getRows();
    expect(rows[0].map(Number)).toEqual([400, 400]);
    const bad = tsml(
      "export",
      "table",
      "-i",
      join(ws, "backtests", "SPX.parquet"),
      "-o",
      join(dir, "x.xlsx"),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/choose one of: csv, json, ndjson, parquet/);
    const model = tsml(
      "export",
      "table",
      "-i",
      join(ws, "models", "SPX", `${LOGISTIC}.json`),
      "--format",
      "csv",
      "-o",
      "-",
    );
    expect(model.stdout).toMatch(/^key,value\n/);
  });

  it("writes predictions and metrics into DuckDB (upsert is idempotent)", async () => {
    const url = `duckdb:${join(dir, "research.duckdb")}`;
    const args = [
      "export",
      "db",
      "-i",
      join(ws, "predictions", "SPX.parquet"),
      "--url",
      url,
      "--table",
      "predictions",
    ];
    expect(tsml(...args).code).toBe(0);
    expect(tsml(...args).code).toBe(0);
    expect(
      tsml("export", "db", "-i", join(ws, "metrics", "SPX.json"), "--url", url, "--table", "metrics").code,
    ).toBe(0);
    const hostile = tsml(
      "export",
      "db",
      "-i",
      join(ws, "metrics", "SPX.json"),
      "--url",
      url,
      "--table",
      "x; DROP TABLE predictions",
    );
    expect(hostile.code).toBe(2);
    const check = runTsml([
      "--workspace",
      ws,
      "ingest",
      "db",
      "--url",
      url,
      "--query",
      "SELECT count(*) AS n FROM predictions",
    ]);
    // Read the database directly as a second reader.
    void check;
    const db = await duckdb();
    await db.run(`ATTACH ${sqlString(join(dir, "research.duckdb"))} AS r (READ_ONLY)`);
    const n = (await db.runAndReadAll("SELECT count(*) FROM r.predictions")).getRows()[0][0];
    const acc = (await db.runAndReadAll("SELECT test_accuracy FROM r.metrics")).getRows()[0][0];
    await db.run("DETACH r");
    expect(Number(n)).toBe(400);
    expect(Number(acc)).toBe(0.66);
  });

  it("writes single charts as SVG", () => {
    for (const name of ["equity", "drawdown", "signals", "pnl", "importance"]) {
      const out = join(dir, `${name}.svg`);
      const run = tsml("export", "chart", name, "--ticker", "SPX", "-o", out);
      expect(run.code, run.stderr).toBe(0);
      const svg = readFileSync(out, "utf8");
      expect(svg).toMatch(/^<\?xml[^>]*>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    }
    expect(tsml("export", "chart", "pie", "-o", join(dir, "p.svg")).code).toBe(2);
  });

  it("writes a self-contained report that renders in headless Chromium without console errors", (ctx) => {
    const out = join(dir, "report.html");
    const run = tsml("export", "report", "--ticker", "SPX", "-o", out);
    expect(run.code, run.stderr).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    const bin = findChromium();
    if (!bin) {
      if (process.env.CI === "true")
        throw new Error("chromium is required in CI (apt-get install -y chromium)");
      console.log("skipping the browser check: chromium is not installed (apt-get install -y chromium)");
      ctx.skip();
      return;
    }
    const page = openInChromium(out, bin);
    const expected = Number(/data-expected-charts="(\d+)"/.exec(page.dom)?.[1]);
    const drawn = Number(/data-charts="(\d+)"/.exec(page.dom)?.[1]);
    // The tearsheet's seven charts, the signals, one importance chart and the confusion matrix.
    expect(expected).toBe(10);
    expect(drawn).toBe(expected);
    expect(page.console).toEqual([]);
    expect(page.width).toBe(1280);
    expect(page.inkShare).toBeGreaterThan(0.03);
  });
});

describe("tsml registry", () => {
  const model = () => join(ws, "models", "SPX", `${LOGISTIC}.json`);

  it("refuses with exit 5 when --if is false, registers when true, keeps versions immutable", () => {
    const failing = join(dir, "weak.json");
    const artifact = JSON.parse(readFileSync(model(), "utf8"));
    artifact.metrics.test.negativeAccuracy = 0.4;
    writeFileSync(failing, JSON.stringify(artifact));
    const refused = tsml("registry", "register", "-m", failing, "--if", SEED_001);
    expect(refused.code, refused.stderr).toBe(5);
    expect(refused.stderr).toMatch(/negative_accuracy > 0.5 \(value 0.4\)/);
    expect(existsSync(join(ws, "registry", "SPX_up"))).toBe(false);
    const ok = tsml("--json", "registry", "register", "-m", model(), "--if", SEED_001, "--target-pct", "5");
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      name: "SPX_up",
      version: 1,
      tags: { ticker: "SPX", trend: "up", classifier: LOGISTIC },
    });
    expect(statSync(join(ws, "registry", "SPX_up", "v1.json")).mode & 0o222).toBe(0);
    expect(tsml("registry", "register", "-m", model(), "--target-pct", "5").code).toBe(0);
    const ls = JSON.parse(tsml("--json", "registry", "ls").stdout);
    expect(ls.models).toHaveLength(1);
    expect(ls.models[0]).toMatchObject({
      name: "SPX_up",
      version: 2,
      versions: 2,
      model: LOGISTIC,
      topFeatures: ["f1", "f2"],
    });
    const show = JSON.parse(tsml("--json", "registry", "show", "SPX_up@1").stdout);
    expect(show.version).toBe(1);
    expect(show.tags.featureImportance).toEqual({ f1: 0.05, f2: 0.02 });
    expect(tsml("registry", "register", "-m", model(), "--if", "sharpe>1").code).toBe(2);
    expect(tsml("registry", "show", "nope").code).toBe(3);
  });

  it("rm removes a version; the previous one becomes current", () => {
    const ok = (run: ReturnType<typeof tsml>) => expect(run.code, run.stderr).toBe(0);
    ok(tsml("registry", "register", "-m", model(), "--name", "tmp_model"));
    ok(tsml("registry", "register", "-m", model(), "--name", "tmp_model"));
    ok(tsml("registry", "rm", "tmp_model@2"));
    expect(JSON.parse(tsml("--json", "registry", "show", "tmp_model").stdout).version).toBe(1);
    ok(tsml("registry", "rm", "tmp_model"));
    expect(tsml("registry", "show", "tmp_model").code).toBe(3);
  });

  it("predict --registry scores the latest features and stores them in the workspace and a database", async () => {
    const url = `duckdb:${join(dir, "preds.duckdb")}`;
    const run = tsml(
      "--json",
      "predict",
      "--registry",
      "--filter",
      "ticker=SPX,trend=up",
      "--to-db",
      url,
      "--table",
      "predictions",
    );
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.predictions).toHaveLength(1);
    const n = 399;
    expect(out.predictions[0].proba).toBeCloseTo(fixtureProba(Math.sin(n / 7), Math.cos(n / 11)), 10);
    expect(out.predictions[0]).toMatchObject({ name: "SPX_up", version: 2, date: "2021-02-03" });
    const db = await duckdb();
    const rows = (
      await db.runAndReadAll(
        `SELECT model_name, model_version, input FROM read_parquet(${sqlString(join(ws, "registry", "predictions.parquet"))})`,
      )
    ).getRows();
    expect(rows[0][0]).toBe("SPX_up");
    expect(JSON.parse(String(rows[0][2]))).toHaveProperty("f1");
    expect(tsml("predict", "--registry", "--filter", "ticker=BTC").code).toBe(3);
    expect(tsml("predict", "--registry", "--filter", "colour=red").code).toBe(2);
  });
});

describe("tsml serve", () => {
  it("serves over loopback with a token, survives bad requests and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [TSML_BIN, "--workspace", ws, "serve", "--port", "0"], {
      env: { ...process.env, TSML_TOKEN: "e2e-token-123" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const base = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on("exit", () => reject(new Error(`serve exited early: ${stderr}`)));
    });
    const auth = { authorization: "Bearer e2e-token-123" };
    expect((await fetch(`${base}/healthz`)).status).toBe(401);
    expect((await fetch(`${base}/healthz`, { headers: auth })).status).toBe(200);
    const bad = await fetch(`${base}/predict`, {
      method: "POST",
      headers: auth,
      body: '{"rows": [{"f1": 1, "f2": "x"}]',
    });
    expect(bad.status).toBe(400);
    const wrong = await fetch(`${base}/predict`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ model: "SPX_up", rows: [{ f1: 1, f2: "x" }] }),
    });
    expect(await wrong.json()).toMatchObject({ field: "rows[0].f2" });
    const huge = await fetch(`${base}/predict`, {
      method: "POST",
      headers: auth,
      body: "x".repeat(2 * 1024 * 1024),
    }).catch(() => null);
    if (huge) expect(huge.status).toBe(413);
    const good = await fetch(`${base}/predict`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ model: "SPX_up", row: { f1: 0.3, f2: 0.1 } }),
    });
    expect(((await good.json()) as { predictions: { proba: number }[] }).predictions[0].proba).toBeCloseTo(
      fixtureProba(0.3, 0.1),
      12,
    );
    const models = (await (await fetch(`${base}/models`, { headers: auth })).json()) as Record<
      string,
      unknown
    >[];
    expect(models[0]).toMatchObject({
      symbol: "SPX",
      trend_type: "up",
      target_pct: 5,
      prediction_window_days: 5,
    });
    const prediction = await fetch(`${base}/prediction?symbol=SPX&trend_type=down`, { headers: auth });
    expect(prediction.status).toBe(404);
    // An in-flight request (body half sent) still gets its answer after SIGTERM.
    const { request } = await import("node:http");
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request(
        `${base}/predict`,
        { method: "POST", headers: { ...auth, "transfer-encoding": "chunked" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.write('{"model": "SPX_up", ');
      setTimeout(() => {
        child.kill("SIGTERM");
        setTimeout(() => req.end('"row": {"f1": 1, "f2": 2}}'), 300);
      }, 100);
    });
    expect(await inFlight).toBe(200);
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/SIGTERM received/);
  });
});
