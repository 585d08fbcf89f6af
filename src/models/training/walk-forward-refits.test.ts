// Walk-forward causality: cutting the data after any bar t leaves every signal up to t unchanged (the features'
// causality test, applied to refitted models). The features and the label are recomputed from the cut prices,
// so a refit that trained on a label reaching past its block, or a schedule anchored at the end, would differ.

import { describe, expect, it } from "vitest";
import "../all-models.js";
import { walkForwardSchedule } from "../cv/walk-forward-schedule.js";
import type { RefitData } from "./refit-task.js";
import { runWalkForward } from "./walk-forward-refits.js";

/** A seeded random walk with some autocorrelation, so the models learn something that changes over time. */
function prices(n: number): Float64Array {
  let s = 12345;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const out = new Float64Array(n);
  let p = 100;
  let r = 0;
  for (let i = 0; i < n; i++) {
    r = 0.3 * r + 0.01 * rand();
    p *= 1 + r;
    out[i] = p;
  }
  return out;
}

/** Lagged returns (causal) and the label "up over the next `horizon` bars" (looks ahead), from prices alone. */
function dataset(price: Float64Array, horizon: number) {
  const n = price.length;
  const ret = (i: number, lag: number) =>
    i - lag - 1 >= 0 ? price[i - lag] / price[i - lag - 1] - 1 : Number.NaN;
  const columns = [0, 1, 2].map((lag) => Float64Array.from({ length: n }, (_, i) => ret(i, lag)));
  const y = Float64Array.from({ length: n }, (_, i) =>
    i + horizon < n ? (price[i + horizon] > price[i] ? 1 : 0) : Number.NaN,
  );
  return { columns, y };
}

function walkForward(
  price: Float64Array,
  settings: {
    horizon: number;
    refit: number;
    window: number | "expanding";
    model: string;
    params: object;
    grid?: Record<string, unknown[]>;
    minTrain?: number;
  },
) {
  const { columns, y } = dataset(price, settings.horizon);
  const refits = walkForwardSchedule(price.length, {
    refit: settings.refit,
    window: settings.window,
    horizon: settings.horizon,
    minTrain: settings.minTrain ?? 40,
  });
  const data: RefitData = {
    model: settings.model,
    params: { ...settings.params },
    grid: settings.grid ?? null,
    columns,
    y,
    refits,
    cv: { method: "tss", splits: 3, purge: settings.horizon, embargo: 0, window: 0 },
    scoring: "accuracy",
    classWeight: null,
    seed: 7,
  };
  return runWalkForward(data, 1);
}

describe("walk-forward refits", () => {
  const full = prices(230);
  const cases = [
    {
      name: "rf, expanding, 1-bar label",
      horizon: 1,
      refit: 17,
      window: "expanding" as const,
      model: "rf",
      params: { n_estimators: 8 },
    },
    {
      name: "rf, rolling 60 rows, 5-bar label",
      horizon: 5,
      refit: 10,
      window: 60,
      model: "rf",
      params: { n_estimators: 8, max_depth: 4 },
    },
    {
      name: "ols (logistic) tuned by purged CV in each window",
      horizon: 3,
      refit: 25,
      window: "expanding" as const,
      model: "ols",
      params: {},
      grid: { C: [0.1, 10] },
      minTrain: 90,
    },
  ];
  for (const settings of cases)
    it(`${settings.name}: truncating after bar t leaves every signal up to t unchanged`, async () => {
      const whole = await walkForward(full, settings);
      const predicted = whole.proba.filter((p) => !Number.isNaN(p)).length;
      expect(predicted).toBeGreaterThan(130);
      // Cuts inside blocks, on a block's first and last bar, and the first predicted bar.
      const first = whole.proba.findIndex((p) => !Number.isNaN(p));
      for (const t of [
        first,
        first + 1,
        first + settings.refit - 1,
        first + settings.refit,
        101,
        150,
        199,
        228,
      ]) {
        const cut = await walkForward(full.slice(0, t + 1), settings);
        expect(Array.from(cut.proba)).toEqual(Array.from(whole.proba.subarray(0, t + 1)));
      }
    });

  it("every cut t of a shorter series: rf, rolling window, 2-bar label", async () => {
    const settings = {
      horizon: 2,
      refit: 7,
      window: 50,
      model: "rf",
      params: { n_estimators: 4, max_depth: 3 },
    };
    const short = full.slice(0, 110);
    const whole = await walkForward(short, settings);
    const first = whole.proba.findIndex((p) => !Number.isNaN(p));
    for (let t = first; t < short.length; t++) {
      const cut = await walkForward(short.slice(0, t + 1), settings);
      expect(Array.from(cut.proba), `cut after bar ${t}`).toEqual(Array.from(whole.proba.subarray(0, t + 1)));
    }
  });

  it("would see the change if a refit trained on a label that ends inside its block", async () => {
    // The check above can fail: without the purge (horizon 0 in the schedule, label still 5 bars ahead), the
    // last training rows' labels reach into the predicted block, and cutting the data changes those signals.
    const horizon = 5;
    const { columns, y } = dataset(full, horizon);
    const run = (n: number) => {
      const cut = dataset(full.slice(0, n), horizon);
      return runWalkForward(
        {
          model: "rf",
          params: { n_estimators: 8 },
          grid: null,
          columns: cut.columns,
          y: cut.y,
          refits: walkForwardSchedule(n, { refit: 10, window: "expanding", horizon: 0, minTrain: 40 }),
          cv: { method: "tss", splits: 3, purge: 0, embargo: 0, window: 0 },
          scoring: "accuracy",
          classWeight: null,
          seed: 7,
        },
        1,
      );
    };
    expect(columns.length).toBe(3);
    expect(y.length).toBe(full.length);
    const whole = await run(full.length);
    let differs = false;
    for (const t of [60, 95, 130, 170]) {
      const cut = await run(t + 1);
      if (Array.from(cut.proba).some((p, i) => !Object.is(p, whole.proba[i]))) differs = true;
    }
    expect(differs).toBe(true);
  });

  it("records each refit's window, rows and parameters", async () => {
    const r = await walkForward(full, cases[2]);
    const schedule = walkForwardSchedule(full.length, {
      refit: 25,
      window: "expanding",
      horizon: 3,
      minTrain: 90,
    });
    expect(r.refits.length).toBe(schedule.length);
    expect(schedule[0]).toEqual({ trainStart: 0, trainEnd: 90, predictStart: 93, predictEnd: 118 });
    // Rows 0..2 lack a lagged return, so the first window trains on 87 of its 90 rows.
    expect(r.refits[0].trainRows).toBe(87);
    expect(r.refits[0].trials).toBe(2);
    expect(r.refits[0].cvScore).toBeGreaterThanOrEqual(0);
    expect([0.1, 10]).toContain(r.refits[0].params.C);
  });
});

describe("walk-forward schedule", () => {
  it("purges by the horizon, rolls the window and ends at the data", () => {
    expect(walkForwardSchedule(10, { refit: 3, window: "expanding", horizon: 1, minTrain: 4 })).toEqual([
      { trainStart: 0, trainEnd: 4, predictStart: 5, predictEnd: 8 },
      { trainStart: 0, trainEnd: 7, predictStart: 8, predictEnd: 10 },
    ]);
    expect(walkForwardSchedule(12, { refit: 4, window: 3, horizon: 2 })).toEqual([
      { trainStart: 0, trainEnd: 3, predictStart: 5, predictEnd: 9 },
      { trainStart: 4, trainEnd: 7, predictStart: 9, predictEnd: 12 },
    ]);
  });

  it("refuses a history too short to predict anything", () => {
    expect(() => walkForwardSchedule(10, { refit: 3, window: "expanding", horizon: 1 })).toThrow(
      /nothing to predict/,
    );
    expect(() => walkForwardSchedule(100, { refit: 0, window: "expanding", horizon: 1 })).toThrow(/--refit/);
  });
});
