// seed000 and seed001 against reference values made by running the seeds' formulas in pandas
// (test/fixtures/features/make_reference.py): the same kept rows (count and dates), values to 1e-9 relative.

import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { isoDate } from "../../frame/dates.js";
import type { Frame } from "../../frame/frame.js";
import { computeFeatures } from "../compute-features.js";
import { barsFrame, close, fixtureBars, readCsvTable, readFixtureCsv } from "../test-fixtures.js";

const SP500 = resolve(
  import.meta.dirname,
  "..",
  "..",
  "..",
  "node_modules",
  "vega-datasets",
  "data",
  "sp500-2000.csv",
);

/** Rows kept and values, against a pandas CSV; `allColumns` also requires the same column set. */
function compare(
  set: "seed000" | "seed001",
  bars: Frame = fixtureBars(),
  file = `${set}.csv`,
  allColumns = true,
) {
  const reference = readFixtureCsv(file);
  const result = computeFeatures(bars, { set });
  const dates = Array.from(result.frame.time, (t) => isoDate(t));
  expect(dates.length).toBe(reference.dates.length);
  expect(dates).toEqual(reference.dates);
  if (allColumns) expect(new Set(result.frame.columnNames)).toEqual(new Set(reference.columns.keys()));
  for (const [name, expected] of reference.columns) {
    const actual = result.frame.get(name);
    for (let i = 0; i < expected.length; i++) {
      if (!close(actual[i], expected[i])) {
        throw new Error(`${set} ${name} row ${reference.dates[i]}: got ${actual[i]}, pandas ${expected[i]}`);
      }
    }
  }
  return result;
}

describe("feature sets match the seeds' pandas output", () => {
  it("seed000: same rows after dropna, same columns and values", () => {
    const result = compare("seed000");
    expect(result.labels.map((l) => l.name)).toEqual([
      "delta_tm",
      "rt_tm",
      "up_down_tm",
      "price_1wk",
      "up_down_1wk",
    ]);
    expect(result.features).not.toContain("up_down_1wk");
    expect(result.features).toContain("RSI");
  });

  it("seed000 on the whole bundled S&P 500 (5,105 bars, 3 repeated closes) keeps pandas' 5,093 rows", () => {
    const result = compare("seed000", barsFrame(readCsvTable(SP500)), "seed000_sp500.csv", false);
    expect(result.frame.length).toBe(5093);
    // The three days whose close equals the previous one (a 3-row std that skipped the window's first value
    // called these windows flat, made CCI infinite and dropped them).
    const dates = new Set(Array.from(result.frame.time, (t) => isoDate(t)));
    for (const d of ["2003-01-10", "2008-01-03", "2017-01-10"]) expect(dates.has(d), d).toBe(true);
  });

  it("seed000 on a series full of repeated closes, flat bars and a zero volume: same rows and every value", () => {
    const bars = barsFrame(readFixtureCsv("repeats_bars.csv"));
    const result = compare("seed000", bars, "seed000_repeats.csv");
    const closes = bars.get("close");
    const kept = new Set(Array.from(result.frame.time));
    let pairs = 0;
    let runs = 0;
    for (let i = 2; i < closes.length; i++) {
      const pair = closes[i] === closes[i - 1];
      if (pair && closes[i - 2] !== closes[i] && kept.has(bars.time[i])) pairs++;
      // A window of three equal closes has std 0 and mean equal to the close: CCI is 0/0 and the row is dropped.
      if (pair && closes[i - 2] === closes[i] && !kept.has(bars.time[i])) runs++;
    }
    expect(pairs).toBeGreaterThan(50);
    expect(runs).toBeGreaterThan(10);
  });

  it("seed001: same rows, columns and values (TA-Lib definitions, 7-day periods)", () => {
    const result = compare("seed001");
    expect(result.labels).toEqual([
      { name: "trend_up", horizon: 10, kind: "classification" },
      { name: "trend_down", horizon: 10, kind: "classification" },
    ]);
  });

  it("--keep-incomplete keeps the last rows with their forward labels missing", () => {
    const bars = fixtureBars();
    const full = computeFeatures(bars, { set: "seed000", keepIncomplete: true });
    const dropped = computeFeatures(bars, { set: "seed000" });
    expect(full.frame.length).toBe(dropped.frame.length + 7);
    const upDown1wk = full.frame.get("up_down_1wk");
    const upDownTm = full.frame.get("up_down_tm");
    const last = full.frame.length - 1;
    expect(Number.isNaN(upDown1wk[last])).toBe(true);
    expect(Number.isNaN(upDown1wk[last - 6])).toBe(true);
    expect(Number.isNaN(upDown1wk[last - 7])).toBe(false);
    expect(Number.isNaN(upDownTm[last])).toBe(true);
    expect(Number.isNaN(upDownTm[last - 1])).toBe(false);
    expect(full.frame.time[last]).toBe(bars.time[bars.length - 1]);
  });
});
