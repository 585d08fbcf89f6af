// seed000 and seed001 against reference values made by running the seeds' formulas in pandas
// (test/fixtures/features/make_reference.py), matched to 1e-9 relative.

import { describe, expect, it } from "vitest";
import { isoDate } from "../../frame/dates.js";
import { computeFeatures } from "../compute-features.js";
import { close, fixtureBars, readFixtureCsv } from "../test-fixtures.js";

function compare(set: "seed000" | "seed001") {
  const reference = readFixtureCsv(`${set}.csv`);
  const result = computeFeatures(fixtureBars(), { set });
  const dates = Array.from(result.frame.time, (t) => isoDate(t));
  expect(dates).toEqual(reference.dates);
  expect(new Set(result.frame.columnNames)).toEqual(new Set(reference.columns.keys()));
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
