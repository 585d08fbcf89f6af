// A new user's first commands, in an empty folder with no key and no network: `tsml train --ticker AAPL --model
// rf --tune`, then backtest, evaluate and export report, each building what it lacks from the bundled data and
// saying so on stderr; `--no-build` keeps the old strict failures; changed bars make the features stale and
// the next stage rebuilds them; tsml.json supplies the source, split date and costs.

import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTsml } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const stocksCsv = join(root, "node_modules", "vega-datasets", "data", "stocks.csv");
const sp500Csv = join(root, "node_modules", "vega-datasets", "data", "sp500-2000.csv");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-first-use-"));

/** A user's shell in `folder`: no workspace or key in the environment, the default ./tsml-workspace. */
function inFolder(folder: string) {
  mkdirSync(folder, { recursive: true });
  const env = { TSML_WORKSPACE: undefined, ALPHAVANTAGE_API_KEY: undefined, NO_COLOR: "1" };
  return (...args: string[]) => runTsml(["--seed", "5", ...args], { cwd: folder, env });
}

/** Rows of a Parquet file, read by DuckDB directly (not through tsml). */
async function parquetRows(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql.replace("FILE", `read_parquet('${path}')`));
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The tsml footer of a Parquet artifact, read by DuckDB directly. */
async function tsmlFooter(path: string): Promise<{ details: Record<string, unknown> }> {
  const [row] = await parquetRows(
    path,
    `SELECT decode(value) AS v FROM parquet_kv_metadata('${path}') WHERE decode(key) = 'tsml'`,
  );
  return JSON.parse(String(row.v));
}

/** AAPL's rows of vega-datasets' stocks.csv (symbol,date,price; "Jan 1 2000" dates), parsed here. */
function aaplFromCsv(): { day: string; close: number }[] {
  return readFileSync(stocksCsv, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(","))
    .filter(([symbol]) => symbol === "AAPL")
    .map(([, date, price]) => {
      const t = new Date(`${date} UTC`);
      return { day: t.toISOString().slice(0, 10), close: Number(price) };
    });
}

beforeAll(() => {
  if (!existsSync(join(root, "dist", "cli", "main.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("from nothing to a backtest", () => {
  const folder = join(dir, "first");
  const tsml = inFolder(folder);
  const ws = join(folder, "tsml-workspace");

  it("train --ticker AAPL --model rf --tune ingests the bundled bars and builds the features", async () => {
    const run = tsml("train", "--ticker", "AAPL", "--model", "rf", "--tune");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      "bars AAPL: ingested from the bundled data (vega-datasets stocks.csv) -> bars/AAPL.parquet",
    );
    expect(run.stderr).toContain("features AAPL: built (default set) from bars/AAPL.parquet");
    expect(existsSync(join(ws, "models", "AAPL", "rf.json"))).toBe(true);
    // No split date given: the last 20% of the rows with features and a label are held out, counted here by
    // DuckDB over the features table (rows with every feature and the label finite, by date).
    const model = JSON.parse(readFileSync(join(ws, "models", "AAPL", "rf.json"), "utf8"));
    const finite = [...model.features, model.target].map((c: string) => `isfinite("${c}")`).join(" AND ");
    const days = (
      await parquetRows(
        join(ws, "features", "AAPL.parquet"),
        `SELECT strftime(date, '%Y-%m-%d') AS day FROM FILE WHERE ${finite} ORDER BY date`,
      )
    ).map((r) => String(r.day));
    const trainRows = Math.floor(days.length * 0.8);
    expect(days.length).toBeGreaterThan(50);
    expect(model.splitDate).toBe(days[trainRows]);
    expect(model.training).toEqual({ start: days[0], end: days[trainRows - 1], rows: trainRows });
    expect(model.test).toEqual({
      start: days[trainRows],
      end: days[days.length - 1],
      rows: days.length - trainRows,
    });
    expect(run.stderr).toContain(
      `AAPL: split date ${days[trainRows]} (default: the last 20% of the rows held out for testing;`,
    );
    // The bars are the CSV's AAPL rows, every one, at its close.
    const expected = aaplFromCsv();
    const rows = await parquetRows(
      join(ws, "bars", "AAPL.parquet"),
      "SELECT strftime(date, '%Y-%m-%d') AS day, close FROM FILE ORDER BY date",
    );
    expect(rows.length).toBe(expected.length);
    expect(rows.map((r) => r.day)).toEqual(expected.map((r) => r.day));
    for (const [i, r] of rows.entries()) expect(r.close).toBeCloseTo(expected[i].close, 9);
  });

  it("backtest --strategy long-only scores the latest model itself", async () => {
    const run = tsml("backtest", "--strategy", "long-only", "--no-chart");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      "predictions AAPL: built from models/AAPL/rf.json (latest model) and features/AAPL.parquet",
    );
    // Predictions and backtest label the train and test windows at the model's split date.
    const { splitDate } = JSON.parse(readFileSync(join(ws, "models", "AAPL", "rf.json"), "utf8"));
    for (const kind of ["predictions", "backtests"])
      expect((await tsmlFooter(join(ws, kind, "AAPL.parquet"))).details.splitDate).toBe(splitDate);
    // The default set keeps no price level: the backtest trades at the bars' close of each date, the CSV's.
    const closes = new Map(aaplFromCsv().map((r) => [r.day, r.close]));
    const rows = await parquetRows(
      join(ws, "backtests", "AAPL.parquet"),
      "SELECT strftime(date, '%Y-%m-%d') AS day, price FROM FILE ORDER BY date",
    );
    expect(rows.length).toBeGreaterThan(50);
    for (const r of rows) expect(r.price).toBeCloseTo(closes.get(String(r.day)) ?? Number.NaN, 9);
  });

  it("evaluate finds the predictions and backtest fresh, builds nothing, and scores the held-out rows", async () => {
    const run = tsml("evaluate");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("built");
    // The default split holds out a test window: nothing in-sample to warn about.
    expect(run.stderr).not.toContain("in-sample");
    const metrics = JSON.parse(readFileSync(join(ws, "metrics", "AAPL.json"), "utf8"));
    const model = JSON.parse(readFileSync(join(ws, "models", "AAPL", "rf.json"), "utf8"));
    // Every source is measured from the model's split date, over its test rows only.
    for (const source of metrics.sources) expect(source.from).toBe(model.splitDate);
    expect(metrics.metrics.rows).toBe(model.test.rows);
    const matrix = ["true_negatives", "false_positives", "false_negatives", "true_positives"];
    expect(matrix.reduce((n, k) => n + metrics.metrics[k], 0)).toBe(model.test.rows);
  });

  it("export report writes the report", () => {
    const run = tsml("export", "report");
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(ws, "reports", "report.html"))).toBe(true);
  });

  it("status shows each artifact with its inputs, all fresh", () => {
    const run = tsml("status", "--json");
    expect(run.code, run.stderr).toBe(0);
    const status = JSON.parse(run.stdout) as {
      artifacts: { path: string; state: string; inputs: { path: string; state: string }[] }[];
    };
    const byPath = new Map(status.artifacts.map((a) => [a.path, a]));
    expect(byPath.get("bars/AAPL.parquet")?.inputs).toEqual([{ path: stocksCsv, state: "same" }]);
    expect(byPath.get("features/AAPL.parquet")?.inputs).toEqual([
      { path: "bars/AAPL.parquet", state: "same" },
    ]);
    expect(byPath.get("predictions/AAPL.parquet")?.inputs.map((i) => i.path)).toEqual([
      "models/AAPL/rf.json",
      "features/AAPL.parquet",
    ]);
    for (const path of ["bars/AAPL.parquet", "features/AAPL.parquet", "models/AAPL/rf.json"])
      expect(byPath.get(path)?.state).toBe("fresh");
  });

  it("a newer model replaces the predictions the next backtest reads", () => {
    const trained = tsml("train", "--ticker", "AAPL", "--model", "ols");
    expect(trained.code, trained.stderr).toBe(0);
    // Everything the model needs is there: nothing is built.
    expect(trained.stderr).not.toMatch(/: (built|ingested|rebuilt)/);
    const run = tsml("backtest", "--no-chart");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      "predictions AAPL: rebuilt from models/AAPL/ols.json (latest model) and features/AAPL.parquet " +
        "(they were made by models/AAPL/rf.json)",
    );
  });

  it("evaluate after another train scores the new model and runs the backtest again with its settings", async () => {
    const trained = tsml("train", "--ticker", "AAPL", "--model", "rf");
    expect(trained.code, trained.stderr).toBe(0);
    const run = tsml("evaluate");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      "predictions AAPL: rebuilt from models/AAPL/rf.json (latest model) and features/AAPL.parquet " +
        "(they were made by models/AAPL/ols.json)",
    );
    expect(run.stderr).toContain(
      "backtest AAPL: rebuilt (long-only) with its recorded settings (predictions/AAPL.parquet changed)",
    );
    // The backtest and the predictions evaluated beside it name the same model (footers read by DuckDB).
    const footer = async (path: string) => {
      const [row] = await parquetRows(
        path,
        "SELECT decode(value) AS v FROM parquet_kv_metadata('PATH') WHERE decode(key) = 'tsml'".replace(
          "PATH",
          path,
        ),
      );
      return JSON.parse(String(row.v)) as { details: { modelId: string } };
    };
    const predictions = await footer(join(ws, "predictions", "AAPL.parquet"));
    const backtest = await footer(join(ws, "backtests", "AAPL.parquet"));
    expect(predictions.details.modelId).toMatch(/^AAPL\/rf@/);
    expect(backtest.details.modelId).toBe(predictions.details.modelId);
  });

  it("changed bars make the features stale, and the next train rebuilds them", async () => {
    // The same series without its last 12 months, ingested over the bundled bars.
    const shorter = join(folder, "aapl-shorter.csv");
    const kept = aaplFromCsv().slice(0, -12);
    writeFileSync(shorter, `date,close\n${kept.map((r) => `${r.day},${r.close}`).join("\n")}\n`);
    const ingested = tsml("ingest", "csv", shorter, "--ticker", "AAPL", "--quiet");
    expect(ingested.code, ingested.stderr).toBe(0);
    const status = JSON.parse(tsml("status", "--json").stdout) as {
      artifacts: { path: string; state: string }[];
    };
    expect(status.artifacts.find((a) => a.path === "features/AAPL.parquet")?.state).toBe("stale");

    const run = tsml("train", "--ticker", "AAPL", "--model", "rf");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      "features AAPL: rebuilt (default set) from bars/AAPL.parquet (bars/AAPL.parquet changed)",
    );
    // The rebuilt features end where the new bars end (the last bar has no next-bar label).
    const [last] = await parquetRows(
      join(ws, "features", "AAPL.parquet"),
      "SELECT strftime(max(date), '%Y-%m-%d') AS day FROM FILE",
    );
    expect(last.day).toBe(kept[kept.length - 2].day);
  });
});

describe("the bundled S&P 500", () => {
  it("features --ticker SPX ingests the daily bars of sp500-2000.csv, every row", async () => {
    const folder = join(dir, "spx");
    const run = inFolder(folder)("features", "--ticker", "SPX", "--quiet");
    expect(run.code, run.stderr).toBe(0);
    // --quiet silences the built lines; the bars are there all the same.
    expect(run.stderr).toBe("");
    const lines = readFileSync(sp500Csv, "utf8").trim().split("\n");
    const [first, last] = [lines[1].split(","), lines[lines.length - 1].split(",")];
    const [row] = await parquetRows(
      join(folder, "tsml-workspace", "bars", "SPX.parquet"),
      "SELECT count(*) AS n, strftime(min(date), '%Y-%m-%d') AS first, strftime(max(date), '%Y-%m-%d') AS last, " +
        "arg_max(close, date) AS close FROM FILE",
    );
    expect(Number(row.n)).toBe(lines.length - 1);
    expect([row.first, row.last]).toEqual([first[0], last[0]]);
    expect(row.close).toBeCloseTo(Number(last[4]), 6);
  });
});

describe("--no-build: the strict failures of before", () => {
  const tsml = inFolder(join(dir, "strict"));

  it("features without bars fails with exit 3", () => {
    const run = tsml("--no-build", "features", "--ticker", "MSFT");
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("bars/MSFT.parquet not found");
  });

  it("train without features fails with exit 3 and builds nothing", () => {
    const run = tsml("--no-build", "train", "--ticker", "AAPL", "--model", "rf");
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/features\/AAPL\.parquet: file not found/);
    expect(existsSync(join(dir, "strict", "tsml-workspace", "bars"))).toBe(false);
  });

  it("backtest without predictions fails with exit 2", () => {
    const run = tsml("backtest", "--no-build");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no predictions in workspace");
  });
});

describe("models trained on a file of their own", () => {
  it("are not given workspace features: backtest keeps its own error instead of ingesting", () => {
    const folder = join(dir, "foreign");
    const tsml = inFolder(folder);
    const features = join(folder, "spx-features.parquet");
    for (const args of [
      ["ingest", "csv", sp500Csv, "--ticker", "SPX", "-o", join(folder, "spx-bars.parquet")],
      ["features", "-i", join(folder, "spx-bars.parquet"), "-o", features],
      ["train", "-i", features, "--ticker", "FOO", "--model", "ols"],
    ]) {
      const run = tsml(...args, "--quiet");
      expect(run.code, run.stderr).toBe(0);
    }
    const run = tsml("backtest", "--no-chart");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no predictions in workspace");
    expect(existsSync(join(folder, "tsml-workspace", "bars"))).toBe(false);
  });
});

describe("sources and tsml.json", () => {
  it("a ticker that is not bundled, with no source, is a usage error naming the ways to give one", () => {
    const run = inFolder(join(dir, "unknown"))("train", "--ticker", "XYZ", "--model", "rf");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("tsml: no bars for XYZ in the workspace, and no source to ingest them from");
    expect(run.stderr).toContain("hint: give --source FILE.csv");
  });

  it("tsml.json names the CSV source, the split date, the feature set and the costs", async () => {
    const folder = join(dir, "configured");
    const tsml = inFolder(folder);
    writeFileSync(
      join(folder, "tsml.json"),
      JSON.stringify({ source: sp500Csv, splitDate: "2016-01-04", featureSet: "stationary", costBps: 7 }),
    );
    const run = tsml("train", "--ticker", "GSPC", "--model", "ols");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`bars GSPC: ingested from ${sp500Csv} -> bars/GSPC.parquet`);
    expect(run.stderr).toContain("features GSPC: built (set stationary) from bars/GSPC.parquet");
    const model = JSON.parse(
      readFileSync(join(folder, "tsml-workspace", "models", "GSPC", "ols.json"), "utf8"),
    );
    expect(model.splitDate).toBe("2016-01-04");
    // Every training row is before the split date, every test row from it on.
    expect(model.training.end < "2016-01-04").toBe(true);
    expect(model.test.start >= "2016-01-04").toBe(true);
    const backtest = tsml("backtest", "--no-chart", "--json");
    expect(backtest.code, backtest.stderr).toBe(0);
    const [row] = await parquetRows(
      join(folder, "tsml-workspace", "backtests", "GSPC.parquet"),
      "SELECT count(*) AS n FROM FILE",
    );
    expect(Number(row.n)).toBeGreaterThan(0);
    const recorded = JSON.parse(
      readFileSync(join(folder, "tsml-workspace", "backtests", "GSPC.metrics.json"), "utf8"),
    );
    expect(recorded.provenance.options.costBps).toBe("7");
  });

  it("a misspelt setting in tsml.json is a usage error naming the file", () => {
    const folder = join(dir, "misspelt");
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "tsml.json"), JSON.stringify({ splitdate: "2016-01-04" }));
    const run = inFolder(folder)("train", "--ticker", "AAPL", "--model", "rf");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(folder, "tsml.json")}: unknown setting "splitdate"`);
  });
});

describe("the split a model is trained with", () => {
  it("--split-date none fits every row, and evaluate says its metrics are in-sample", () => {
    const folder = join(dir, "no-split");
    const tsml = inFolder(folder);
    const trained = tsml("train", "--ticker", "MSFT", "--model", "ols", "--split-date", "none");
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).not.toContain("split date");
    const model = JSON.parse(
      readFileSync(join(folder, "tsml-workspace", "models", "MSFT", "ols.json"), "utf8"),
    );
    expect(model.splitDate).toBeNull();
    expect(model.test).toBeNull();
    const run = tsml("evaluate");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /^warning: .*MSFT\.parquet: model MSFT\/ols@\w+ was trained on every row \(--split-date none\), so these metrics are in-sample/m,
    );
  });
});

describe("flags are checked before anything is built", () => {
  it.each([
    [["--model", "lstm", "--backend", "gpu"], "--backend gpu: unknown backend"],
    [["--model", "lstm", "--steps", "0"], "steps"],
    [["--model", "lstm", "--split-date", "none"], "--split-date none: lstm always holds out a test window"],
    [["--model", "rf", "--splits", "1"], "--splits 1: expected"],
    [["--model", "rf", "--param", "n_estimators=-3"], "n_estimators"],
    [["--model", "rf", "--split-date", "2016-02-30"], "--split-date"],
    [["--model", "rf", "--cv", "kfold"], "--cv"],
    [["--model", "rf", "--set", "nosuchset"], 'unknown feature set "nosuchset"'],
  ])("train --ticker AAPL %j exits 2 and leaves the folder empty", (flags, message) => {
    const folder = join(dir, `flags-${flags.join("").replace(/[^a-z0-9]/gi, "")}`);
    const run = inFolder(folder)("train", "--ticker", "AAPL", ...flags);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/ingested|built/);
    expect(readdirSync(folder)).toEqual([]);
  });

  it("backtest and evaluate check their flags before scoring the predictions they lack", () => {
    const folder = join(dir, "flags-stages");
    const tsml = inFolder(folder);
    const trained = tsml("train", "--ticker", "MSFT", "--model", "ols", "--quiet");
    expect(trained.code, trained.stderr).toBe(0);
    for (const [args, message] of [
      [["backtest", "--cost-bps", "abc", "--no-chart"], "--cost-bps abc: expected"],
      [["evaluate", "--fail-if", "nosuch_metric > 1"], "nosuch_metric"],
    ] as const) {
      const run = tsml(...args);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toContain("predictions MSFT: built");
      expect(existsSync(join(folder, "tsml-workspace", "predictions"))).toBe(false);
    }
  });
});
