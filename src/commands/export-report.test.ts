import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFixtureWorkspace } from "../../test/export-fixtures.js";
import { renderReport } from "../export/report-html.js";
import { buildReportData, reportableTickers } from "./export-report.js";

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tsml-report-"));
  await writeFixtureWorkspace(dir, { rows: 300 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const count = (html: string, pattern: RegExp) => (html.match(pattern) ?? []).length;

describe("export report", () => {
  it("draws every chart and table from the workspace's artifacts", async () => {
    expect(reportableTickers(dir)).toEqual(["SPX"]);
    const data = await buildReportData(dir, ["SPX"]);
    expect(data.tickers[0].splitTime).toBe(Date.UTC(2020, 7, 1));
    const html = renderReport(data);
    // signals, cumulative P&L, equity, drawdown, permutation importance, confusion matrix
    expect(count(html, /<svg [^>]*class="tsml-chart"/g)).toBe(6);
    const backtest = data.tickers[0].backtest!;
    const buys = backtest.get("buy").filter((v) => v > 0).length;
    const sells = backtest.get("sell").filter((v) => v > 0).length;
    expect(buys).toBeGreaterThan(0);
    expect(count(html, /<path class="buy"/g)).toBe(buys);
    expect(count(html, /<path class="sell"/g)).toBe(sells);
    expect(count(html, /class="boundary"/g)).toBe(4);
    expect(html).toContain('data-name="buy-and-hold"');
    expect(html).toMatch(/<tr class="chosen">/);
    expect(html).toContain("meanTestScore");
    expect(html).not.toContain("splitTestScores");
    // provenance of every input, and nothing that would fetch over the network
    expect(data.inputs.map((i) => i.kind).sort()).toEqual([
      "backtest",
      "bars",
      "metrics",
      "model",
      "predictions",
    ]);
    expect(html).toContain("Provenance of every input");
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it("escapes hostile text from artifacts", async () => {
    const data = await buildReportData(dir, ["SPX"], "<script>alert(1)</script>");
    const html = renderReport(data);
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("&lt;script&gt;alert(1)");
  });
});
