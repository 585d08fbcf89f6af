// The sequence test-window rule, per-horizon metric names and gate names, on hand-made series.

import { describe, expect, it } from "vitest";
import {
  flattenHorizons,
  forecastMetrics,
  parseHorizonMetric,
  scoreForecastHorizons,
  testWindowRows,
  withHorizonNames,
} from "./forecast-horizons.js";
import { KNOWN_METRICS } from "./metric-sets.js";

const f = (xs: number[]) => new Float64Array(xs);
const day = (d: number) => Date.UTC(2024, 0, d);

describe("testWindowRows", () => {
  // Bars on Jan 1, 2, 5, 6 (a gap); split Jan 3, a day without a bar.
  const nextTime = f([day(2), day(5), day(6), Number.NaN]);
  const known = f([1, 1, 1, Number.NaN]);

  it("starts at the last training bar: the first row whose next bar is on or after the split", () => {
    expect(Array.from(testWindowRows(nextTime, [known], { from: day(3) }))).toEqual([1, 2]);
    // A split on a bar's own date: the forecast made the bar before it is the first test forecast.
    expect(Array.from(testWindowRows(nextTime, [known], { from: day(5) }))).toEqual([1, 2]);
    expect(Array.from(testWindowRows(nextTime, [known], { from: day(6) }))).toEqual([2]);
  });

  it("drops rows whose target is unknown and keeps the last N of the rest", () => {
    expect(Array.from(testWindowRows(nextTime, [known]))).toEqual([0, 1, 2]);
    expect(Array.from(testWindowRows(nextTime, [known], { last: 2 }))).toEqual([1, 2]);
    expect(testWindowRows(nextTime, [known], { from: day(7) }).length).toBe(0);
  });
});

describe("scoreForecastHorizons", () => {
  // Target 10, 11, 11, 13, 12 on consecutive days; two-step forecasts made at each close.
  const origin = f([10, 11, 11, 13, 12]);
  const later = (h: number) => Float64Array.from(origin, (_, i) => origin[i + h] ?? Number.NaN);
  const time = Float64Array.from(origin, (_, i) => day(i + 1));
  const nextTime = Float64Array.from(origin, (_, i) => (i < 4 ? day(i + 2) : Number.NaN));
  const table = {
    time,
    nextTime,
    origin,
    predictions: [f([11, 12, 12, 12, 11]), f([12, 10, 14, 12, 12])],
    actuals: [later(1), later(2)],
  };

  it("scores horizon h against the target h bars later, each on its own known rows", () => {
    const [h1, h2] = scoreForecastHorizons(table, { from: day(2) });
    // h1 rows 0..3 (row 0's next bar is the split day): errors 0, 1, -1, 0.
    expect(h1.metrics.rows).toBe(4);
    expect(h1.metrics.mae).toBeCloseTo(2 / 4, 12);
    expect(h1.from).toBe(day(1));
    expect(h1.to).toBe(day(4));
    // h2 rows 0..2: actuals 11, 13, 12; errors 1, -3, 2.
    expect(h2.metrics.rows).toBe(3);
    expect(h2.metrics.rmse).toBeCloseTo(Math.sqrt(14 / 3), 12);
    // Directions from the origin: up/up, down/up, up/up -> 2 of 3.
    expect(h2.metrics.directional_accuracy).toBeCloseTo(2 / 3, 12);
  });

  it("a flat realised move only matches a flat forecast; zero rows are undefined, not 0", () => {
    const m = forecastMetrics(f([5, 5]), f([5, 6]), f([6, 7]));
    expect(m.directional_accuracy).toBe(0.5);
    const none = scoreForecastHorizons(table, { from: day(9) });
    expect(none[0].metrics.rows).toBe(0);
    expect(Number.isNaN(none[0].metrics.smape)).toBe(true);
    expect(Number.isNaN(none[0].from)).toBe(true);
  });

  it("flattens to bare names for one horizon and _hK names for several", () => {
    const both = scoreForecastHorizons(table);
    expect(Object.keys(flattenHorizons(both))).toContain("smape_h2");
    expect(flattenHorizons(both)).not.toHaveProperty("smape");
    expect(flattenHorizons(both.slice(0, 1))).toHaveProperty("smape", both[0].metrics.smape);
  });
});

describe("per-horizon metric names", () => {
  it("parses smape_h5 and refuses names that are not per-horizon metrics", () => {
    expect(parseHorizonMetric("smape_h5")).toEqual({ metric: "smape", h: 5 });
    expect(parseHorizonMetric("r2_h12")).toEqual({ metric: "r2", h: 12 });
    expect(parseHorizonMetric("directional_accuracy_h1")).toEqual({ metric: "directional_accuracy", h: 1 });
    for (const bad of ["smape_h0", "smape", "roc_auc_h2", "sharpe_h1", "smape_hx"])
      expect(parseHorizonMetric(bad)).toBeNull();
    const names = withHorizonNames(KNOWN_METRICS);
    expect(names.has("smape_h5")).toBe(true);
    expect(names.has("roc_auc")).toBe(true);
    expect(names.has("bogus_h1")).toBe(false);
  });
});
