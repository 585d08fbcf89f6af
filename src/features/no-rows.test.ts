// Why features kept no row: each cause (no volume, labels past the data, constant prices, warm-up) gets its own
// message and hint, found from the computed columns rather than guessed.

import { describe, expect, it } from "vitest";
import { ExitCode } from "../core/errors.js";
import { Frame } from "../frame/frame.js";
import { computeFeatures, type FeatureOptions } from "./compute-features.js";
import { parseIndicatorSpec } from "./indicator-spec.js";
import { parseLabelSpec } from "./labels/label-spec.js";
import { noRowsError } from "./no-rows.js";
import { fixtureBars } from "./test-fixtures.js";

function explain(bars: Frame, options: FeatureOptions) {
  const result = computeFeatures(bars, options);
  expect(result.rows).toBe(0);
  expect(result.empty).toHaveLength(1);
  const error = noRowsError("bars.parquet", options.set ?? "--indicators/--labels", result.empty[0]);
  expect(error.exitCode).toBe(ExitCode.data);
  return { empty: result.empty[0], error };
}

const withoutVolume = (bars: Frame) =>
  Frame.fromColumns("SPX", bars.time, new Map([...bars.columns].filter(([name]) => name !== "volume")));

describe("noRowsError", () => {
  it("seed000 without volume: names volume and the columns it empties, and suggests price-only indicators", () => {
    const { empty, error } = explain(withoutVolume(fixtureBars()), { set: "seed000" });
    expect(empty.missingInputs).toEqual(["volume"]);
    expect(empty.emptyColumns).toEqual(["volume", "EMV", "FI"]);
    expect(error.message).toBe(
      "features: seed000 on bars.parquet (SPX) kept 0 of 300 rows: the bars have no volume, so volume, EMV, FI are missing on every row",
    );
    expect(error.hint).toMatch(/--indicators rsi:14,macd,sma:20 --labels up_down_tm/);
    // The suggestion is price-only: it keeps rows on the same bars.
    const suggested = computeFeatures(withoutVolume(fixtureBars()), {
      indicators: parseIndicatorSpec("rsi:14,macd,sma:20"),
      labels: parseLabelSpec("up_down_tm"),
    });
    expect(suggested.rows).toBeGreaterThan(200);
  });

  it("fewer bars than the label horizon: too few bars, naming the labels", () => {
    const { empty, error } = explain(fixtureBars().slice(0, 6), { set: "seed000" });
    expect(empty.blindLabels).toEqual(["price_1wk", "up_down_1wk"]);
    expect(empty.emptyColumns).toEqual([]);
    expect(error.message).toMatch(
      /kept 0 of 6 rows: too few bars, labels price_1wk, up_down_1wk look 7 rows ahead/,
    );
  });

  it("constant prices: CCI and RSI are 0/0 on every row, said as such (not blamed on the bar count)", () => {
    const bars = fixtureBars();
    const flat = new Map([...bars.columns].map(([k, v]) => [k, k === "volume" ? v : v.map(() => 100)]));
    const { empty, error } = explain(Frame.fromColumns("SPX", bars.time, flat), { set: "seed000" });
    expect(empty.missingInputs).toEqual([]);
    expect(empty.emptyColumns).toEqual(expect.arrayContaining(["RSI", "CCI"]));
    expect(error.message).toMatch(/no value on any row .*constant prices/);
  });

  it("warm-up plus horizon longer than the data: gives both numbers", () => {
    const { empty, error } = explain(fixtureBars().slice(0, 12), {
      indicators: parseIndicatorSpec("sma:10"),
      labels: parseLabelSpec("fwd_ret:5"),
    });
    expect(empty.warmUp).toBe(9);
    expect(empty.horizon).toBe(5);
    expect(error.message).toMatch(
      /kept 0 of 12 rows: too few bars, the warm-up \(9 rows\) plus the labels' horizon \(5 rows\)/,
    );
  });
});
