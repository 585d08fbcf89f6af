import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOGISTIC, writeFixtureWorkspace } from "../../test/export-fixtures.js";
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
    // The tearsheet's charts, then the signals and one model's importance and confusion matrix: one each.
    const titles = [...html.matchAll(/<svg [^>]*class="tsml-chart"[^>]*aria-label="([^"]*)"/g)].map(
      (m) => m[1],
    );
    expect(titles).toEqual([
      "Cumulative returns of SPX vs buy-and-hold",
      "Drawdown of SPX (underwater)",
      "Monthly returns of SPX, strategy (%)",
      "Yearly returns of SPX vs buy-and-hold",
      "Rolling Sharpe of SPX (126-bar window)",
      "Rolling volatility of SPX, annualised (126-bar window)",
      "Distribution of SPX&#39;s bar returns (bars with a position) vs buy-and-hold",
      "Buy/Sell Signals for SPX",
      `permutation feature importance (${LOGISTIC}, SPX)`,
      `Confusion matrix, test (${LOGISTIC})`,
    ]);
    const backtest = data.tickers[0].backtest!;
    const buys = backtest.get("buy").filter((v) => v > 0).length;
    const sells = backtest.get("sell").filter((v) => v > 0).length;
    expect(buys).toBeGreaterThan(0);
    expect(count(html, /<path class="buy"/g)).toBe(buys);
    expect(count(html, /<path class="sell"/g)).toBe(sells);
    // The train | test boundary marks the price chart; the tearsheet charts cover the test window only.
    expect(count(html, /class="boundary"/g)).toBe(1);
    expect(html).toContain('data-name="buy-and-hold"');
    expect(count(html, /<tr class="chosen">/g)).toBe(1);
    expect(html).toContain("<th>Mean test score</th>");
    expect(html).not.toContain("splitTestScores");
    // Headers in words, parameters and windows as text: no snake_case or camelCase header, no JSON in a cell.
    expect(html).not.toMatch(/<th[^>]*>[a-z]+(_[a-z0-9]+)+<\/th>|<th[^>]*>[a-z]+[A-Z][A-Za-z]*<\/th>/);
    expect(html).not.toMatch(/<td[^>]*>(<code>)?[^<]*(\{|&quot;[a-z]+&quot;:)/i);
    expect(html).toContain("<td>C=1</td>");
    expect(html).toContain("2020-01-01 to 2020-07-31 (213 rows)");
    // Every table scrolls inside its own wrapper.
    expect(count(html, /<div class="table-wrap"><table/g)).toBe(count(html, /<table/g));
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

  it("draws the cumulative returns on a log axis when asked, linear otherwise", async () => {
    const title = (scale: "log" | "linear") =>
      buildReportData(dir, ["SPX"], undefined, scale).then(
        (d) => /aria-label="(Cumulative returns[^"]*)"/.exec(renderReport(d))?.[1],
      );
    expect(await title("log")).toBe("Cumulative returns of SPX vs buy-and-hold (log scale)");
    expect(await title("linear")).toBe("Cumulative returns of SPX vs buy-and-hold");
  });

  it("escapes hostile text from artifacts", async () => {
    const data = await buildReportData(dir, ["SPX"], "<script>alert(1)</script>");
    const html = renderReport(data);
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("&lt;script&gt;alert(1)");
  });
});
