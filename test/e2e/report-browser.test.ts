// The tearsheet in a real headless Chromium (Debian's chromium driven by playwright-core): a report built from
// the bundled AAPL data with the default rf model, opened at 1280 px and at 800 px and printed, then a report of a
// walk-forward backtest with a sweep. Every chart has data points, the console and the page have no errors,
// nothing overflows its container horizontally (wide tables scroll inside their own wrapper), and full-page
// screenshots are kept under artifacts/ for CI.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium } from "../helpers/chromium.js";
import { runTsml } from "../helpers/run-cli.js";

const root = join(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "tsml-e2e-report-browser-"));
const ws = join(dir, "ws");
const report = join(dir, "report.html");
const walkForwardReport = join(dir, "report-walk-forward.html");
const shots = join(root, "artifacts");
const tsml = (...args: string[]) => runTsml(["--workspace", ws, "--seed", "5", "--no-color", ...args]);

function step(...args: string[]): void {
  const run = tsml(...args);
  if (run.code !== 0) throw new Error(`tsml ${args.join(" ")}: exit ${run.code}\n${run.stderr}`);
}

beforeAll(() => {
  if (!existsSync(join(root, "dist", "cli", "main.js")))
    throw new Error("dist/ is missing: run `npm run build` first");
  step("train", "--ticker", "AAPL", "--model", "rf", "--split-date", "2006-01-01");
  step("backtest", "--ticker", "AAPL", "--no-chart");
  step("export", "report", "--ticker", "AAPL", "-o", report);
  // The metrics file the first report read (the walk-forward backtest below replaces it).
  copyFileSync(join(ws, "backtests", "AAPL.metrics.json"), join(dir, "metrics-before-walk-forward.json"));
  // A walk-forward backtest with a threshold sweep: the refits table and the sweep heatmap.
  step(
    "backtest",
    "--ticker",
    "AAPL",
    "--walk-forward",
    "--refit",
    "6",
    "--window",
    "36",
    "--sweep",
    "threshold=0.5:0.6:0.05",
    "--no-chart",
  );
  step("export", "report", "--ticker", "AAPL", "-o", walkForwardReport);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the page reports about itself once laid out (runs inside Chromium). */
interface PageCheck {
  charts: { title: string; points: number; width: number }[];
  /** Elements (not scroll containers) whose content is wider than their box, and anything past the page edge. */
  overflowing: string[];
  documentOverflow: number;
  /** Table wrappers that scroll (allowed: the table scrolls inside its own box). */
  scrolling: number;
}

/**
 * Runs inside the page (a string: this project compiles without the DOM types). Block elements that are not
 * scroll containers must not be wider inside than their box nor reach past the page's right edge; inside a
 * `.table-wrap` (a scroll container) content may be wider, the wrapper scrolls.
 */
const INSPECT = `(() => {
  const describe = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    (typeof e.className === "string" && e.className ? "." + e.className : "") + ' "' + (e.textContent || "").slice(0, 40) + '"';
  const charts = [...document.querySelectorAll("svg.tsml-chart")].map((s) => ({
    title: s.getAttribute("aria-label") || "",
    points: Number(s.getAttribute("data-points")),
    width: s.getBoundingClientRect().width,
  }));
  const overflowing = [];
  const pageRight = document.documentElement.clientWidth;
  let scrolling = 0;
  for (const e of document.body.querySelectorAll("*")) {
    if (e.closest("svg") && e.tagName.toLowerCase() !== "svg") continue;
    const style = getComputedStyle(e);
    if (style.display === "inline" || style.display === "none") continue;
    if (style.overflowX === "auto" || style.overflowX === "scroll") {
      if (e.scrollWidth > e.clientWidth + 1) scrolling++;
      continue;
    }
    if (e.parentElement && e.parentElement.closest(".table-wrap, .scroll-y")) continue;
    if (e.getBoundingClientRect().right > pageRight + 1) overflowing.push("past the page: " + describe(e));
    if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) overflowing.push(describe(e));
  }
  return {
    charts,
    overflowing,
    documentOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    scrolling,
  };
})()`;

/** The key metrics table as label -> [strategy, buy-and-hold] cell text. */
const KEY_METRICS = `Object.fromEntries([...document.querySelectorAll("table.key-metrics tbody tr")].map((tr) =>
  [tr.querySelector("th").textContent, [...tr.querySelectorAll("td")].map((td) => td.textContent)]))`;

/** Opens `file` at `width`, collecting console errors and warnings, page errors and any request off the file. */
async function open(
  browser: Browser,
  file: string,
  width: number,
): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // Anything the page asks the network for is a failure: the file must be self-contained.
  page.on("request", (r) => {
    if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) problems.push(`fetch: ${r.url()}`);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, problems };
}

/** Every chart drawn with data, nothing overflowing, no errors; returns the check for more assertions. */
async function checkPage(
  page: Page,
  problems: string[],
  expectedTitles: readonly RegExp[],
): Promise<PageCheck> {
  const check = (await page.evaluate(INSPECT)) as PageCheck;
  expect(problems).toEqual([]);
  const titles = check.charts.map((c) => c.title);
  for (const expected of expectedTitles)
    expect(
      titles.filter((t) => expected.test(t)),
      String(expected),
    ).toHaveLength(1);
  for (const c of check.charts) {
    expect(c.points, `${c.title} has no data points`).toBeGreaterThan(0);
    expect(c.width, `${c.title} has no layout box`).toBeGreaterThan(0);
  }
  expect(check.overflowing).toEqual([]);
  expect(check.documentOverflow).toBeLessThanOrEqual(0);
  return check;
}

async function screenshot(page: Page, name: string, check: PageCheck): Promise<void> {
  const shot = join(shots, `${name}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  console.log(
    `report screenshot (${check.charts.length} charts, ${check.scrolling} table(s) scrolling in their wrapper): ${shot}`,
  );
}

const TEARSHEET = [
  /^Cumulative returns of AAPL vs buy-and-hold/,
  /^Drawdown of AAPL \(underwater\)/,
  /^Monthly returns of AAPL/,
  /^Yearly returns of AAPL/,
  /^Rolling Sharpe of AAPL/,
  /^Rolling volatility of AAPL/,
  /^Distribution of AAPL/,
  /^Buy\/Sell Signals for AAPL/,
];

let browser: Browser | null = null;

/** The browser, or null (the test skips, saying why) when chromium is not installed. */
async function chromiumOrSkip(ctx: { skip: () => void }): Promise<Browser | null> {
  const bin = findChromium();
  if (!bin) {
    if (process.env.CI === "true")
      throw new Error("chromium is required in CI (apt-get install -y chromium)");
    console.log("skipping the browser check: chromium is not installed (apt-get install -y chromium)");
    ctx.skip();
    return null;
  }
  mkdirSync(shots, { recursive: true });
  browser ??= await chromium.launch({ executablePath: bin, args: ["--no-sandbox", "--disable-gpu"] });
  return browser;
}

afterAll(async () => {
  await browser?.close();
});

describe("the report in headless Chromium", () => {
  it("draws every chart with data, logs no errors and overflows nothing at 1280 and 800 px", async (ctx) => {
    const b = await chromiumOrSkip(ctx);
    if (!b) return;
    expect(readFileSync(report, "utf8")).not.toMatch(/(src|href)=["']?https?:/);
    const model = [
      /feature importance \(rf, AAPL\)$/,
      /^Confusion matrix, test \(rf\)$/,
      /^Calibration, test \(rf\)$/,
    ];
    for (const width of [1280, 800]) {
      const { page, problems } = await open(b, report, width);
      const check = await checkPage(page, problems, [...TEARSHEET, ...model]);
      if (width === 1280) {
        // The key metrics on the page are the backtest's metrics file's, formatted.
        const shown = (await page.evaluate(KEY_METRICS)) as Record<string, [string, string]>;
        const metrics = JSON.parse(readFileSync(join(dir, "metrics-before-walk-forward.json"), "utf8"));
        const test = metrics.tickers.AAPL.test;
        const percent = (x: number) => `${(x * 100).toFixed(2)}%`;
        expect(shown["Total return"]).toEqual([
          percent(test.total_return),
          percent(test.benchmark_total_return),
        ]);
        expect(shown["Max drawdown"][0]).toBe(percent(-test.max_drawdown));
        expect(shown.Sharpe[0]).toBe(test.sharpe.toFixed(2));
        expect(shown.Trades[0]).toBe(String(test.trades));
      }
      await screenshot(page, `report-${width}`, check);
      if (width === 800) {
        // The overflow check can fail: a block wider than the page is caught.
        await page.evaluate(
          `document.body.insertAdjacentHTML("beforeend", '<div id="probe" style="width:2000px;height:1px"></div>')`,
        );
        const probed = (await page.evaluate(INSPECT)) as PageCheck;
        expect(probed.overflowing.some((o) => o.includes("div#probe"))).toBe(true);
      }
      await page.close();
    }
    // Printed (A4 is about 720 px of content at 96 dpi): the print rules lay scrolling tables out in full, and
    // still nothing reaches past the page.
    const { page: print } = await open(b, report, 720);
    await print.emulateMedia({ media: "print" });
    const printed = (await print.evaluate(INSPECT)) as PageCheck;
    expect(printed.overflowing).toEqual([]);
    expect(printed.scrolling).toBe(0);
    await print.close();
  }, 90_000);

  it("lays out the walk-forward refits and the sweep heatmap at 800 px", async (ctx) => {
    const b = await chromiumOrSkip(ctx);
    if (!b) return;
    const { page, problems } = await open(b, walkForwardReport, 800);
    const check = await checkPage(page, problems, [...TEARSHEET, /^Sweep of threshold \(AAPL\): 3 trials$/]);
    const text = (await page.evaluate("document.body.innerText")) as string;
    expect(text).toContain("Walk-forward refits");
    expect(text).toMatch(/out-of-sample \(walk-forward\)/);
    await screenshot(page, "report-walk-forward-800", check);
    await page.close();
  }, 60_000);
});
