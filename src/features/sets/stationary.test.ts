// The default `stationary` set against pandas (test/fixtures/features/make_stationary_reference.py): every value
// of the 300 daily fixture bars, the rows kept on monthly close-only stocks, and no price level among the features.

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { isoDate } from "../../frame/dates.js";
import { Frame } from "../../frame/frame.js";
import { barSeries, truncateBars } from "../bar-series.js";
import { computeBlock, computeFeatures, DEFAULT_FEATURE_SET } from "../compute-features.js";
import { barsFrame, close, FIXTURES, fixtureBars, readFixtureCsv } from "../test-fixtures.js";

const STOCKS = resolve(FIXTURES, "..", "..", "..", "node_modules", "vega-datasets", "data", "stocks.csv");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** stocks.csv (symbol,date "Jan 1 2000",price) by symbol, in date order. */
function readStocks(): Map<string, { time: number; close: number }[]> {
  const out = new Map<string, { time: number; close: number }[]>();
  for (const line of readFileSync(STOCKS, "utf8").trim().split("\n").slice(1)) {
    const [symbol, date, price] = line.split(",");
    const [month, day, year] = date.split(" ");
    const time = Date.UTC(Number(year), MONTHS.indexOf(month), Number(day));
    out.set(symbol, [...(out.get(symbol) ?? []), { time, close: Number(price) }]);
  }
  for (const list of out.values()) list.sort((a, b) => a.time - b.time);
  return out;
}

/** stationary_stocks.csv: date,symbol,then numbers. */
function readStocksReference(): { date: string; symbol: string; values: Map<string, number> }[] {
  const [head, ...lines] = readFileSync(join(FIXTURES, "stationary_stocks.csv"), "utf8").trim().split("\n");
  const names = head.split(",");
  return lines.map((line) => {
    const cells = line.split(",");
    const values = new Map(
      names.slice(2).map((n, k) => [n, cells[k + 2] === "" ? Number.NaN : Number(cells[k + 2])]),
    );
    return { date: cells[0], symbol: cells[1], values };
  });
}

function sameValues(actual: Float64Array, expected: Float64Array, what: string, dates: string[]) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    if (!close(actual[i], expected[i]))
      throw new Error(`${what} row ${dates[i]}: got ${actual[i]}, pandas ${expected[i]}`);
}

describe("feature set stationary (the default)", () => {
  it("is the default set", () => {
    expect(DEFAULT_FEATURE_SET).toBe("stationary");
  });

  it("matches pandas on every row and column of the daily fixture bars (volume present)", () => {
    const reference = readFixtureCsv("stationary.csv");
    const block = computeBlock(barSeries(fixtureBars()), { set: "stationary" });
    expect([...block.columns.keys()]).toEqual([...reference.columns.keys()]);
    for (const [name, expected] of reference.columns)
      sameValues(block.columns.get(name)!, expected, name, reference.dates);
    expect(block.labels).toEqual([{ name: "up_down_tm", horizon: 1, kind: "classification" }]);
  });

  it("keeps pandas' rows and values on vega-datasets' monthly close-only stocks (no volume column)", () => {
    const expected = readStocksReference();
    for (const [symbol, months] of readStocks()) {
      const bars = Frame.fromColumns(
        symbol,
        Float64Array.from(months, (m) => m.time),
        new Map([["close", Float64Array.from(months, (m) => m.close)]]),
      );
      const result = computeFeatures(bars, { set: "stationary" });
      expect(result.features).not.toContain("volume_z_20");
      const rows = expected.filter((r) => r.symbol === symbol);
      expect(result.rows).toBeGreaterThan(0);
      expect(Array.from(result.frame.time, (t) => isoDate(t))).toEqual(rows.map((r) => r.date));
      for (const name of rows[0].values.keys())
        sameValues(
          result.frame.get(name),
          Float64Array.from(rows, (r) => r.values.get(name)!),
          `${symbol} ${name}`,
          rows.map((r) => r.date),
        );
    }
  });

  it("never makes a price level or a raw volume a feature", () => {
    const result = computeFeatures(fixtureBars(), { set: "stationary" });
    for (const raw of ["open", "high", "low", "close", "price", "volume", "price_prev"])
      expect(result.features).not.toContain(raw);
    // Scaling every price by 1000 leaves every feature unchanged: none depends on the price level.
    const bars = fixtureBars();
    const scaled = new Map<string, Float64Array>();
    for (const name of bars.columnNames)
      scaled.set(name, name === "volume" ? bars.get(name) : bars.get(name).map((v) => v * 1000));
    const table = { dates: Array.from(bars.time, (t) => isoDate(t)), columns: scaled };
    const again = computeFeatures(barsFrame(table), { set: "stationary" });
    for (const name of result.features) {
      const a = result.frame.get(name);
      const b = again.frame.get(name);
      for (let i = 0; i < a.length; i++) expect(close(a[i], b[i], 1e-9)).toBe(true);
    }
  });

  it("is causal: every feature at t is unchanged when the bars end at t", () => {
    const series = barSeries(fixtureBars());
    const full = computeBlock(series, { set: "stationary" });
    for (let t = 0; t < series.close.length; t++) {
      const cut = computeBlock(truncateBars(series, t + 1), { set: "stationary" });
      for (const [name, values] of full.columns) {
        if (name === "up_down_tm") continue;
        if (!Object.is(values[t], cut.columns.get(name)![t]))
          throw new Error(`${name} row ${t}: full ${values[t]}, cut ${cut.columns.get(name)![t]}`);
      }
    }
    // And the check would see a look-ahead: the label at the last row of the cut is unknown, not the full value.
    const cut = computeBlock(truncateBars(series, 100), { set: "stationary" });
    expect(cut.columns.get("up_down_tm")![99]).toBeNaN();
    expect(full.columns.get("up_down_tm")![99]).not.toBeNaN();
  });
});
