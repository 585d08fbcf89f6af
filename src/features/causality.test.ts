// Causality property: for every indicator and feature set, computing on the series truncated at a random t gives
// exactly row t of the full computation. Labels are exempt (they are declared forward-looking).

import { describe, expect, it } from "vitest";
import { Random } from "../core/random.js";
import { type BarSeries, barSeries, truncateBars } from "./bar-series.js";
import { computeBlock, type FeatureOptions } from "./compute-features.js";
import { indicatorDefinitions } from "./indicator-catalog.js";
import { parseIndicatorSpec } from "./indicator-spec.js";
import { fixtureBars } from "./test-fixtures.js";

const bars = barSeries(fixtureBars());

function checkCausal(name: string, options: FeatureOptions, series: BarSeries = bars, draws = 12) {
  const full = computeBlock(series, options);
  const labels = new Set(full.labels.map((l) => l.name));
  const rng = new Random(name.length * 7919 + 1);
  for (let k = 0; k < draws; k++) {
    const t = rng.int(series.close.length);
    const cut = computeBlock(truncateBars(series, t + 1), options);
    for (const [column, values] of full.columns) {
      if (labels.has(column)) continue;
      const a = values[t];
      const b = cut.columns.get(column)![t];
      // Object.is: bit-for-bit the same number, NaN equal to NaN.
      if (!Object.is(a, b)) throw new Error(`${name}: ${column} row ${t}: full ${a}, truncated ${b}`);
    }
  }
  return full;
}

describe("features are causal: row t depends on rows 0..t only", () => {
  for (const def of indicatorDefinitions()) {
    it(`indicator ${def.name}`, () => {
      checkCausal(def.name, { indicators: parseIndicatorSpec(def.name) });
      if (def.defaults.length > 0) {
        const small = def.defaults.map((d) => Math.max(2, Math.round(d / 2)));
        checkCausal(`${def.name}-small`, { indicators: [{ definition: def, params: small }] });
      }
    });
  }

  for (const set of ["stationary", "seed000", "seed001"] as const) {
    it(`feature set ${set}`, () => {
      const full = checkCausal(set, { set }, bars, 25);
      expect(full.labels.length).toBeGreaterThan(0);
    });
  }

  it("the test would catch a look-ahead", () => {
    // A label column treated as a feature must fail the property.
    const options: FeatureOptions = { set: "seed000" };
    const full = computeBlock(bars, options);
    const cut = computeBlock(truncateBars(bars, 100), options);
    expect(Object.is(full.columns.get("price_1wk")![99], cut.columns.get("price_1wk")![99])).toBe(false);
  });
});
