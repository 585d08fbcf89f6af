// End to end with the built CLI (`npx tsc -p tsconfig.build.json` first): `tsml backtest --walk-forward` on the
// bundled S&P 500 and `--sweep` with its trial ledger. Checked against what must hold whatever the model learns:
// cutting the bars after a day leaves every earlier signal unchanged, each refit trains only on rows whose
// labels ended before its block, the P&L is the seed arithmetic on the signals (recomputed here), and the
// ledger counts every trial once.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTable, writeTable } from "../../src/artifacts/table-io.js";
import { runTsml } from "../helpers/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-walk-forward-"));
const ws = join(dir, "ws");
const cut = join(dir, "cut");
const tsml = (workspace: string, ...args: string[]) =>
  runTsml(["--workspace", workspace, "--no-color", ...args]);
const WF = [
  "backtest",
  "--walk-forward",
  "--refit",
  "250",
  "--window",
  "1000",
  "--model",
  "ols",
  "--ticker",
  "SPX",
];

interface Refit {
  trainFrom: string;
  trainTo: string;
  trainRows: number;
  predictFrom: string;
  predictTo: string;
  params: Record<string, unknown>;
  cvScore: number | null;
}

async function backtestOf(path: string) {
  const { frame, meta } = await readTable(path);
  const details = (meta as unknown as { details: Record<string, unknown> }).details;
  return { frame, details, walkForward: (details.walkForward as Record<string, { refits: Refit[] }>).SPX };
}

beforeAll(async () => {
  expect(tsml(ws, "--quiet", "features", "--ticker", "SPX").code).toBe(0);
  // The same bars cut after 2012-06-14 (a day inside a refit block), in a second workspace.
  const bars = await readTable(join(ws, "bars", "SPX.parquet"));
  const end = Date.parse("2012-06-15T00:00:00Z");
  const keep = bars.frame.time.findIndex((t) => t >= end);
  if (!bars.meta) throw new Error("bars without tsml metadata");
  await writeTable(join(cut, "bars", "SPX.parquet"), bars.frame.slice(0, keep), bars.meta);
  expect(tsml(cut, "--quiet", "features", "--ticker", "SPX").code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("tsml backtest --walk-forward", () => {
  it("gives every signal out of sample, and cutting the data after a day changes none before it", async () => {
    const whole = tsml(ws, "--quiet", ...WF, "-o", join(dir, "whole.parquet"));
    expect(whole.code, whole.stderr).toBe(0);
    const partial = tsml(cut, "--quiet", ...WF, "-o", join(dir, "cut.parquet"));
    expect(partial.code, partial.stderr).toBe(0);
    const a = await backtestOf(join(dir, "whole.parquet"));
    const b = await backtestOf(join(dir, "cut.parquet"));
    expect(b.frame.length).toBeLessThan(a.frame.length);
    const signalA = a.frame.get("signal");
    const signalB = b.frame.get("signal");
    expect(Array.from(b.frame.time)).toEqual(Array.from(a.frame.time.subarray(0, b.frame.length)));
    expect(Array.from(signalB)).toEqual(Array.from(signalA.subarray(0, b.frame.length)));
    // ...and the cut is not vacuous: the cut run predicted the bars of the block it ends in.
    const lastRefit = b.walkForward.refits.at(-1) as Refit;
    // (features keep rows with a label, so the cut's last row is the day before the last bar.)
    expect(lastRefit.predictTo).toBe("2012-06-13");
    expect(new Date(b.frame.time[b.frame.length - 1]).toISOString().slice(0, 10)).toBe("2012-06-13");
    expect(Number.isNaN(signalB[b.frame.length - 1])).toBe(false);
  }, 300_000);

  it("records each refit: a rolling 1000-row window whose labels end before the block it predicts", async () => {
    const { frame, details, walkForward } = await backtestOf(join(dir, "whole.parquet"));
    const refits = walkForward.refits;
    const iso = Array.from(frame.time, (t) => new Date(t).toISOString().slice(0, 10));
    const row = (d: string) => iso.indexOf(d);
    expect(refits.length).toBe(Math.ceil((frame.length - 1001) / 250));
    refits.forEach((r, k) => {
      // The label looks 1 bar ahead: the last training row is 2 rows before the first predicted one.
      expect(row(r.predictFrom) - row(r.trainTo)).toBe(2);
      expect(row(r.trainTo) - row(r.trainFrom) + 1).toBeLessThanOrEqual(1000);
      expect(r.trainRows).toBeLessThanOrEqual(1000);
      if (k > 0) expect(row(r.predictFrom)).toBe(row(refits[k - 1].predictTo) + 1);
    });
    expect(refits.at(-1)?.predictTo).toBe(iso.at(-1));
    // The backtest's test window starts at the first out-of-sample bar; nothing before it has a signal.
    expect(details.splitDate).toBe(refits[0].predictFrom);
    const signal = frame.get("signal");
    for (let i = 0; i < frame.length; i++)
      if (i < row(refits[0].predictFrom)) expect(Number.isNaN(signal[i])).toBe(true);
      else expect([0, 1]).toContain(signal[i]);
  });

  it("books the seed arithmetic on those signals: 100 shares on a 1, profit = position x next change", async () => {
    const { frame } = await backtestOf(join(dir, "whole.parquet"));
    const price = frame.get("price");
    const signal = frame.get("signal");
    const profit = frame.get("profit");
    for (let i = 0; i < frame.length - 1; i++) {
      const position = signal[i] === 1 ? 100 : 0;
      expect(profit[i]).toBeCloseTo(position * (price[i + 1] - price[i]), 9);
    }
  });

  it("labels the warm-up and the out-of-sample windows in the metrics summary", () => {
    const summary = JSON.parse(readFileSync(join(dir, "whole.metrics.json"), "utf8"));
    const spx = (summary.body ?? summary).tickers.SPX;
    expect(spx.sample).toEqual({ train: "warm-up (no signals)", test: "out-of-sample (walk-forward)" });
    expect(spx.walkForward.model).toBe("ols");
    expect(spx.train.trades).toBe(0);
  });

  it("refuses flags that do not belong together (exit 2) and a history too short (exit 3, nothing written)", () => {
    expect(tsml(ws, "backtest", "--refit", "21", "--ticker", "SPX").code).toBe(2);
    expect(tsml(ws, "backtest", "--walk-forward", "--signal", "macd_binary", "--ticker", "SPX").code).toBe(2);
    expect(tsml(ws, "backtest", "--walk-forward", "--refit", "0", "--ticker", "SPX").code).toBe(2);
    expect(tsml(ws, "backtest", "--walk-forward", "--model", "nope", "--ticker", "SPX").code).toBe(2);
    expect(tsml(ws, "backtest", "--walk-forward", "--sweep", "alpha=1:2:1", "--ticker", "SPX").code).toBe(2);
    const short = tsml(
      ws,
      "backtest",
      "--walk-forward",
      "--window",
      "9000",
      "--ticker",
      "SPX",
      "-o",
      join(dir, "x.parquet"),
    );
    expect(short.code).toBe(3);
    expect(short.stderr).toMatch(/nothing to predict/);
    expect(existsSync(join(dir, "x.parquet"))).toBe(false);
  });
});

describe("tsml backtest --sweep", () => {
  const sweep = (values: string, out: string) =>
    tsml(ws, "--json", "--quiet", ...WF, "--sweep", `threshold=${values}`, "-o", join(dir, out));

  it("backtests every threshold, records each trial once, and deflates over all trials in the ledger", async () => {
    const first = sweep("0.5:0.56:0.02", "sweep1.parquet");
    expect(first.code, first.stderr).toBe(0);
    const s1 = JSON.parse(first.stdout).sweep.SPX;
    expect(s1.trials.map((t: { value: number }) => t.value)).toEqual([0.5, 0.52, 0.54, 0.56]);
    expect(s1.deflatedSharpe.trials).toBe(4);
    expect(s1.pbo.splits).toBe(12870);
    expect(s1.pbo.pbo).toBeGreaterThanOrEqual(0);
    expect(s1.pbo.pbo).toBeLessThanOrEqual(1);
    // The same trials again are not new trials; two new values are.
    expect(JSON.parse(sweep("0.5:0.56:0.02", "sweep2.parquet").stdout).sweep.SPX.deflatedSharpe.trials).toBe(
      4,
    );
    const third = JSON.parse(sweep("0.58,0.6", "sweep3.parquet").stdout).sweep.SPX;
    expect(third.deflatedSharpe.trials).toBe(6);
    const ledger = JSON.parse(readFileSync(join(ws, "trials", "SPX.json"), "utf8"));
    expect(ledger.trials.map((t: { label: string }) => t.label).sort()).toEqual(
      ["0.5", "0.52", "0.54", "0.56", "0.58", "0.6"].map((v) => `threshold=${v}`),
    );
    // The threshold-0.5 trial is the main backtest's own signal (proba > 0.5): the same Sharpe.
    const { frame } = await readTable(join(dir, "sweep1.parquet"));
    const main = s1.trials[0];
    expect(frame.get("signal").filter((v: number) => v === 1).length).toBeGreaterThan(0);
    expect(Number.isFinite(main.sharpe)).toBe(true);
    // More trials raise the Sharpe the best of them would reach by luck.
    expect(third.deflatedSharpe.benchmarkSharpe).toBeGreaterThan(0);
  }, 300_000);

  it("needs a probability to threshold", () => {
    const r = tsml(
      ws,
      "backtest",
      "--signal",
      "macd_binary",
      "--sweep",
      "threshold=0.5:0.6:0.05",
      "--ticker",
      "SPX",
    );
    expect(r.code).toBe(2);
  });
});
