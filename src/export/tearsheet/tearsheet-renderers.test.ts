// The tearsheet's pure pieces on small cases worked by hand: formatting, drawdown periods, calendar returns,
// rolling statistics, bins, calibration, the log axis and the SVG/HTML renderers' structure.

import { describe, expect, it } from "vitest";
import { Frame } from "../../frame/frame.js";
import { calibrationChart } from "../calibration-chart.js";
import { columnChart } from "../column-chart.js";
import { heatmapChart } from "../heatmap-chart.js";
import { lineChart, logTicks } from "../line-chart.js";
import { calibrationCurve } from "./calibration.js";
import { comparisonSection } from "./comparison-section.js";
import { humanLabel, paramsText, pct, plainValue } from "./format.js";
import { histogram } from "./histogram.js";
import { holdingsSection } from "./holdings-section.js";
import { monthlyReturns, yearlyReturns } from "./period-returns.js";
import { provenanceSection } from "./provenance-section.js";
import { rollingStats, rollingWindow } from "./rolling-stats.js";
import { useLogScale } from "./tearsheet-series.js";
import { tearsheetWindow } from "./tearsheet-window.js";
import { walkForwardSection } from "./walk-forward-section.js";
import { underwater, wealthIndex } from "./wealth.js";
import { worstDrawdowns } from "./worst-drawdowns.js";

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;
const day = (iso: string) => Date.parse(iso);

describe("format", () => {
  it("writes names, fractions, parameters and windows for people", () => {
    expect(humanLabel("max_drawdown_duration")).toBe("Max drawdown duration");
    expect(humanLabel("rocAuc")).toBe("ROC AUC");
    expect(humanLabel("cagr")).toBe("CAGR");
    expect(pct(0.32141)).toBe("32.14%");
    expect(pct(Number.NaN)).toBe("n/a");
    expect(paramsText({ C: 1, max_depth: 3 })).toBe("C=1, max_depth=3");
    expect(paramsText({})).toBe("defaults");
    expect(plainValue({ start: "2000-01-10", end: "2016-12-30", rows: 4000 })).toBe(
      "2000-01-10 to 2016-12-30 (4,000 rows)",
    );
    expect(plainValue([1, "a"])).toBe("1, a");
  });
});

describe("drawdowns and calendar returns", () => {
  it("finds each fall from a peak, its trough and its recovery, deepest first", () => {
    const wealth = [1, 1.1, 0.99, 1.2, 0.9, 0.96];
    const periods = worstDrawdowns(wealth, 5);
    expect(periods).toHaveLength(2);
    expect(periods[0]).toMatchObject({ peak: 3, trough: 4, recovery: null, bars: 2 });
    expect(periods[0].depth).toBeCloseTo(0.25, 12);
    expect(periods[1]).toMatchObject({ peak: 1, trough: 2, recovery: 3, bars: 2 });
    expect(periods[1].depth).toBeCloseTo(0.1, 12);
    expect(worstDrawdowns(wealth, 1)).toHaveLength(1);
  });

  it("compounds returns into wealth and the drawdown below its peak", () => {
    const w = wealthIndex([Number.NaN, 0.1, -0.1]);
    expect([...w]).toEqual([1, 1.1, 1.1 * 0.9]);
    expect(underwater(w)[2]).toBeCloseTo(-0.1, 12);
  });

  it("groups bar returns by the calendar month and year of their close", () => {
    const time = [day("2020-01-30"), day("2020-01-31"), day("2020-02-03"), day("2021-01-04")];
    const r = [Number.NaN, 0.1, 0.2, -0.5];
    expect(monthlyReturns(time, r).map((p) => [p.year, p.month, Number(p.value.toFixed(12))])).toEqual([
      [2020, 1, 0.1],
      [2020, 2, 0.2],
      [2021, 1, -0.5],
    ]);
    expect(yearlyReturns(time, r)[0].value).toBeCloseTo(1.1 * 1.2 - 1, 12);
  });
});

describe("rolling statistics, bins and calibration", () => {
  it("rolls an annualised Sharpe and volatility over a full window only", () => {
    expect(rollingWindow(252)).toBe(126);
    expect(rollingWindow(12)).toBe(6);
    const { sharpe, volatility } = rollingStats([Number.NaN, 0.01, 0.02, 0.03, 0.05], 3, 4);
    expect(Number.isNaN(sharpe[1])).toBe(true);
    // Rows 1..3: mean 0.02, sample std 0.01, x sqrt(4).
    expect(volatility[3]).toBeCloseTo(0.02, 12);
    expect(sharpe[3]).toBeCloseTo(4, 12);
  });

  it("bins every finite value once on shared edges", () => {
    const h = histogram(
      [
        [0, 1, 2, 3, Number.NaN],
        [3, 3],
      ],
      3,
    );
    expect(h.edges).toEqual([0, 1, 2, 3]);
    expect(h.counts).toEqual([
      [1, 1, 2],
      [0, 0, 2],
    ]);
    // Tails cut at the central quantiles land in the end bins: nothing is dropped.
    const cut = histogram([[-100, 1, 2, 3, 4, 5, 6, 7, 8, 100]], 4, 0.1);
    expect(cut.edges[0]).toBe(1);
    expect(cut.edges[4]).toBe(8);
    expect(cut.counts[0].reduce((a, b) => a + b, 0)).toBe(10);
    expect(cut.counts[0][0]).toBe(3);
  });

  it("measures the observed share of class 1 per probability bin", () => {
    const bins = calibrationCurve([0.05, 0.15, 0.12, 0.95, Number.NaN], [0, 1, 0, 1, 1], 10);
    expect(bins).toEqual([
      { predicted: 0.05, observed: 0, rows: 1 },
      { predicted: 0.135, observed: 0.5, rows: 2 },
      { predicted: 0.95, observed: 1, rows: 1 },
    ]);
    expect(count(calibrationChart("c", bins), /<circle /g)).toBe(3);
  });
});

describe("charts", () => {
  it("chooses a log axis when the curves span more than 10x, and ticks it in decades", () => {
    expect(useLogScale("auto", [Float64Array.from([1, 5, 11])])).toBe(true);
    expect(useLogScale("auto", [Float64Array.from([1, 5, 9])])).toBe(false);
    expect(useLogScale("log", [Float64Array.from([1, 2])])).toBe(true);
    expect(logTicks(0, 4)).toEqual([0, 1, 2, 3, 4]);
    expect(logTicks(0, 1).map((t) => Math.round(10 ** t))).toEqual([1, 2, 5, 10]);
    const svg = lineChart({
      title: "g",
      series: [
        { name: "s", x: Float64Array.from([0, 1, 2]), y: Float64Array.from([1, 100, -1]), color: "#000" },
      ],
      logY: true,
    });
    // The non-positive value is a gap, not a point.
    expect(svg).toContain('data-points="2"');
    expect(svg).toMatch(/>100</);
  });

  it("draws one heatmap cell per finite value, red below zero and green above", () => {
    const svg = heatmapChart({
      title: "m",
      rows: ["2020"],
      columns: ["Jan", "Feb", "Mar"],
      values: [[-0.1, Number.NaN, 0.1]],
      format: (v) => v.toFixed(2),
      scale: "diverging",
    });
    const fills = [...svg.matchAll(/class="cell"[^>]*fill="rgb\((\d+),(\d+),(\d+)\)"/g)].map((m) =>
      m.slice(1).map(Number),
    );
    expect(fills).toHaveLength(2);
    expect(fills[0][0]).toBeGreaterThan(fills[0][1]);
    expect(fills[1][1]).toBeGreaterThan(fills[1][0]);
  });

  it("draws columns from zero, negative ones below it", () => {
    const svg = columnChart({
      title: "y",
      categories: ["2019", "2020"],
      series: [{ name: "s", values: [0.2, -0.1], color: "#000" }],
      yFormat: String,
    });
    const bars = [...svg.matchAll(/class="bar" x="[^"]*" y="([^"]*)" width="[^"]*" height="([^"]*)"/g)].map(
      (m) => [Number(m[1]), Number(m[2])],
    );
    expect(bars).toHaveLength(2);
    // The positive bar ends where the negative one starts: at the zero line.
    expect(bars[0][0] + bars[0][1]).toBeCloseTo(bars[1][0], 0);
  });
});

describe("sections", () => {
  it("measures a backtest without recorded windows from the equity before its first bar", () => {
    const time = Float64Array.from([0, 1, 2].map((k) => day(`2020-01-0${k + 1}`)));
    const frame = Frame.fromColumns("X", time, {
      price: Float64Array.from([10, 11, 12]),
      position: Float64Array.from([1, 1, 0]),
      profit: Float64Array.from([1, 1, Number.NaN]),
      equity: Float64Array.from([101, 102, 102]),
    });
    const w = tearsheetWindow(frame, null, "X")!;
    expect(w.name).toBe("whole");
    expect(w.capital).toBe(100);
    expect(w.metrics.strategy.totalReturn).toBeCloseTo(0.02, 12);
    expect(w.metrics.buyAndHold.totalReturn).toBeCloseTo(0.2, 12);
  });

  it("lists walk-forward refits, the runs compared and the provenance as text", () => {
    const wf = walkForwardSection(
      {
        walkForward: {
          X: {
            model: "rf",
            refitEvery: 63,
            window: "expanding",
            purge: 1,
            target: "up",
            horizon: 1,
            refits: [
              {
                trainFrom: "2000-01-03",
                trainTo: "2003-12-31",
                trainRows: 900,
                predictFrom: "2004-01-02",
                predictTo: "2004-03-31",
                params: { max_depth: 3 },
                cvScore: 0.53,
                seconds: 0.4,
              },
            ],
          },
        },
      },
      "X",
    );
    expect(count(wf, /<tbody><tr>/g)).toBe(1);
    expect(wf).toContain("max_depth=3");
    const cmp = comparisonSection({
      columns: [
        {
          run: "a",
          stage: "train",
          startedAt: "2026-01-01T00:00:00Z",
          model: "rf",
          modelId: null,
          params: { d: 1 },
          metrics: { cv_score: 0.5 },
          backtestRun: null,
        },
        {
          run: "b",
          stage: "train",
          startedAt: "2026-01-02T00:00:00Z",
          model: "rf",
          modelId: null,
          params: { d: 1 },
          metrics: { cv_score: 0.6 },
          backtestRun: null,
        },
      ],
      metrics: ["cv_score"],
    });
    expect(cmp).toMatch(/<tr class="differs"><th>\* CV score<\/th><td>0.5<\/td><td>0.6<\/td><\/tr>/);
    expect(cmp).toMatch(/<tr><th>Parameters<\/th><td>d=1<\/td><td>d=1<\/td><\/tr>/);
    const prov = provenanceSection([
      {
        path: "/w/bars/X.parquet",
        kind: "bars",
        provenance: {
          command: "tsml ingest",
          options: { ticker: "X" },
          inputs: [{ path: "a.csv", sha256: "ab".repeat(32) }],
        },
      },
    ]);
    expect(prov).toContain("<code>tsml ingest</code>");
    expect(prov).toContain("<th>--ticker</th><td>X</td>");
    expect(prov).not.toContain("{");
  });

  it("draws holdings over time only when a report hands them over", () => {
    expect(holdingsSection(null)).toBe("");
    const time = Float64Array.from([day("2020-01-01"), day("2020-01-02")]);
    const html = holdingsSection({
      time,
      holdings: [
        { ticker: "A", weights: Float64Array.from([0.5, 0.4]) },
        { ticker: "B", weights: Float64Array.from([0.1, 0.2]) },
      ],
    });
    expect(count(html, /class="series"/g)).toBe(2);
  });
});
