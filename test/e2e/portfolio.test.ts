// End to end with the built CLI (`npm run build` first): `tsml backtest --portfolio` in an empty folder on the
// bundled monthly stocks (train builds bars, features, a model; the portfolio scores predictions itself), the
// artifacts checked against each other and the bars, and the one-line refusals of bad input.

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { predictionsMeta } from "../../src/artifacts/kinds/predictions-artifact.js";
import { makeProvenance } from "../../src/artifacts/provenance.js";
import { readTable, writeTable } from "../../src/artifacts/table-io.js";
import { Frame } from "../../src/frame/frame.js";
import { runTsml } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-portfolio-"));
const ws = join(dir, "ws");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--no-color", ...args]);
// GOOG starts in 2004, after AAPL and MSFT: the benchmark waits for it, the strategy does not.
const TICKERS = ["AAPL", "MSFT", "GOOG"];

function expectOneLine(stderr: string, message: RegExp): void {
  const lines = stderr.trimEnd().split("\n");
  expect(lines[0], stderr).toMatch(/^tsml: /);
  expect(lines[0], stderr).toMatch(message);
  expect(lines.length, stderr).toBeLessThanOrEqual(2);
  expect(stderr).not.toMatch(/\n\s+at /);
}

beforeAll(() => {
  if (!existsSync(join(root, "dist", "cli", "main.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
  for (const ticker of TICKERS) {
    const run = tsml("--quiet", "train", "--ticker", ticker, "--model", "knn");
    expect(run.code, run.stderr).toBe(0);
  }
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("tsml backtest --portfolio", () => {
  it("ranks the predictions across tickers into one account and writes curve, positions and metrics", async () => {
    const run = tsml(
      "--json",
      "backtest",
      "--portfolio",
      "--tickers",
      TICKERS.join(","),
      "--top-k",
      "2",
      "--rebalance",
      "3",
      "--cost-bps",
      "10",
      "--capital",
      "100000",
    );
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    const curvePath = join(ws, "portfolios", "portfolio.parquet");
    const { frame: curve, meta } = await readTable(curvePath);
    expect(meta?.kind).toBe("backtest");
    const details = meta?.details as { portfolio: { table: string; tickers: string[]; topK: number } };
    expect(details.portfolio.table).toBe("curve");
    expect(details.portfolio.tickers).toEqual(TICKERS);
    expect(details.portfolio.topK).toBe(2);
    const equity = curve.get("equity");
    const cash = curve.get("cash");
    expect(equity[0]).toBe(100_000);
    expect(Math.min(...cash)).toBeGreaterThanOrEqual(0);
    // The summary's total return is the curve's.
    expect(summary.portfolio.total_return).toBeCloseTo(equity[equity.length - 1] / equity[0] - 1, 10);
    // Equity = cash + units x the last close, rebuilt from the positions table and the workspace bars.
    const { frame: positions } = await readTable(join(ws, "portfolios", "portfolio.positions.parquet"));
    const value = new Map<number, number>();
    for (const ticker of TICKERS) {
      const held = positions.forTicker(ticker);
      const bars = (await readTable(join(ws, "bars", `${ticker}.parquet`))).frame;
      const closeAt = new Map<number, number>();
      for (let i = 0; i < bars.length; i++) closeAt.set(bars.time[i], bars.get("close")[i]);
      for (let r = 0; r < held.length; r++) {
        const t = held.time[r];
        value.set(t, (value.get(t) ?? 0) + held.get("units")[r] * (closeAt.get(t) as number));
      }
    }
    let held = 0;
    for (let i = 0; i < curve.length; i++) {
      const v = value.get(curve.time[i]) ?? 0;
      if (v > 0) held++;
      expect(Math.abs(cash[i] + v - equity[i])).toBeLessThan(1e-6 * equity[i]);
      expect(curve.get("holdings")[i]).toBeLessThanOrEqual(2);
    }
    expect(held).toBeGreaterThan(curve.length / 2);
    expect(summary.rebalances.length).toBeGreaterThan(10);
  }, 30_000);

  it("the report shows the portfolio: its total return, the benchmark's, and every holding's weight", async () => {
    const out = join(dir, "report.html");
    const run = tsml("export", "report", "-o", out);
    expect(run.code, run.stderr).toBe(0);
    const html = (await import("node:fs")).readFileSync(out, "utf8");
    const section = html.slice(html.indexOf('<section id="portfolio">'), html.indexOf("</section>"));
    expect(section).toContain("<h2>Portfolio</h2>");
    const metrics = JSON.parse(
      (await import("node:fs")).readFileSync(join(ws, "portfolios", "portfolio.metrics.json"), "utf8"),
    );
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    const { portfolio, benchmark } = metrics.combined;
    expect(section).toContain(
      `<th>total return</th><td>${pct(portfolio.total_return)}</td><td>${pct(benchmark.total_return)}</td>`,
    );
    // One line per holding in the weights chart (its legend names each ticker).
    expect(section).toContain("Holdings over time");
    for (const ticker of TICKERS) expect(section).toContain(ticker);
    expect(section.match(/<polyline|<path/g)?.length ?? 0).toBeGreaterThanOrEqual(2 + TICKERS.length);
  }, 30_000);

  it("refuses bad input with one line and the documented exit code", async () => {
    const cases: [string[], number, RegExp][] = [
      [["--top-k", "0"], 2, /--top-k 0/],
      [["--max-weight", "1.5"], 2, /--max-weight 1.5/],
      [["--weights", "sqrt"], 2, /--weights/],
      [["--strategy", "long-short"], 2, /long-only/],
    ];
    for (const [flags, code, message] of cases) {
      const run = tsml("backtest", "--portfolio", "--tickers", "AAPL,MSFT", ...flags);
      expect(run.code, run.stderr).toBe(code);
      expectOneLine(run.stderr, message);
    }
    const unknown = tsml("backtest", "--portfolio", "--tickers", "AAPL,NOPE");
    expect(unknown.code).toBe(3);
    expectOneLine(unknown.stderr, /unknown ticker NOPE/);
    // Two tickers that never trade on the same day.
    const day = 86_400_000;
    const frame = (ticker: string, from: number) =>
      Frame.fromColumns(
        ticker,
        Float64Array.from({ length: 5 }, (_, i) => (from + i) * day),
        {
          proba: Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5),
          close: Float64Array.of(10, 11, 12, 13, 14),
          open: Float64Array.of(10, 11, 12, 13, 14),
        },
      );
    const apart = join(dir, "apart.parquet");
    const provenance = await makeProvenance({ command: "e2e fixture", options: {} });
    await writeTable(apart, Frame.concat([frame("X", 0), frame("Y", 10)]), predictionsMeta(provenance, {}));
    const run = tsml("backtest", "--portfolio", "--tickers", "all", "-i", apart);
    expect(run.code, run.stderr).toBe(3);
    expectOneLine(run.stderr, /never overlaps/);
  });
});
