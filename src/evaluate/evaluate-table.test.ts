// Which rows and columns evaluate scores: labels, forecasts, test windows, --last, and backtest capital.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Frame } from "../frame/frame.js";
import {
  evaluateBacktest,
  evaluatePredictions,
  evaluateSequencePredictions,
  isSequenceTable,
} from "./evaluate-table.js";

const days = (n: number) => Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1 + i));
const f = (xs: number[]) => new Float64Array(xs);

describe("evaluatePredictions", () => {
  const frame = Frame.fromColumns("X", days(6), {
    pred: f([1, 0, 1, 1, 0, 1]),
    proba: f([0.9, 0.2, 0.6, 0.7, 0.4, 0.8]),
    up_down_1wk: f([1, 0, 0, 1, 1, Number.NaN]),
  });

  it("scores rows with a label, named by details.target", () => {
    const e = evaluatePredictions(frame, { target: "up_down_1wk" }, "t");
    expect(e.kind).toBe("classification");
    // Rows 0-4: TP, TN, FP, TP, FN.
    expect(e.metrics.rows).toBe(5);
    expect(e.metrics.accuracy).toBeCloseTo(3 / 5, 12);
    expect(e.metrics.precision).toBeCloseTo(2 / 3, 12);
    expect(e.metrics.true_positives).toBe(2);
  });

  it("--last keeps the most recent scored rows; from keeps the test window", () => {
    const last = evaluatePredictions(frame, {}, "t", { last: 2 });
    expect(last.metrics.rows).toBe(2);
    expect(last.metrics.accuracy).toBe(0.5);
    const test = evaluatePredictions(frame, {}, "t", { from: Date.UTC(2024, 0, 3) });
    expect(test.metrics.rows).toBe(3);
    expect(test.from).toBe(Date.UTC(2024, 0, 3));
  });

  it("a non-0/1 prediction is a forecast scored against actual", () => {
    const forecast = Frame.fromColumns("X", days(2), { prediction: f([110, 90]), actual: f([100, 100]) });
    const e = evaluatePredictions(forecast, {}, "t");
    expect(e.kind).toBe("regression");
    expect(e.metrics.smape).toBeCloseTo(((20 / 210 + 20 / 190) / 2) * 100, 10);
    expect(() => evaluatePredictions(Frame.fromColumns("X", days(1), { pred: f([1]) }), {}, "t")).toThrow(
      /no label/,
    );
  });
});

// tsml predict output for an lstm forecasting `open` 3 bars ahead, and pandas' metrics of it
// (test/fixtures/sequence/make-reference.py).
const FIXTURES = join(import.meta.dirname, "..", "..", "test", "fixtures", "sequence");
const reference = JSON.parse(readFileSync(join(FIXTURES, "reference.json"), "utf8")) as {
  splitDate: string;
  horizons: { h: number; from: string; to: string; metrics: Record<string, number> }[];
  last10: { h: number; from: string; to: string; metrics: Record<string, number> }[];
};

function fixtureFrame(): Frame {
  const [head, ...lines] = readFileSync(join(FIXTURES, "spx-open-h3-predictions.csv"), "utf8")
    .trim()
    .split("\n");
  const names = head.split(",");
  const rows = lines.map((l) => l.split(","));
  const column = (name: string) => Float64Array.from(rows, (r) => Number(r[names.indexOf(name)]));
  return Frame.fromColumns(
    "SPX",
    Float64Array.from(rows, (r) => Date.parse(`${r[1]}T00:00:00Z`)),
    Object.fromEntries(names.slice(2).map((n) => [n, column(n)])),
  );
}

const lstmDetails = { model: "lstm", target: "open", horizon: 3, splitDate: "2017-01-16" };

function expectReference(
  got: ReturnType<typeof evaluateSequencePredictions>,
  want: (typeof reference)["horizons"],
) {
  const horizons = got.forecast?.horizons ?? [];
  expect(horizons.map((e) => e.h)).toEqual([1, 2, 3]);
  for (const [k, e] of horizons.entries()) {
    const ref = want[k];
    expect(new Date(e.from).toISOString().slice(0, 10)).toBe(ref.from);
    expect(new Date(e.to).toISOString().slice(0, 10)).toBe(ref.to);
    for (const [name, value] of Object.entries(ref.metrics)) {
      expect(Math.abs(e.metrics[name] - value), `h${e.h} ${name}`).toBeLessThanOrEqual(
        1e-12 * Math.max(1, Math.abs(value)),
      );
    }
  }
}

describe("evaluateSequencePredictions", () => {
  const frame = fixtureFrame();
  const split = Date.UTC(2017, 0, 16);

  it("scores every horizon against the recorded target h bars later, as pandas does", () => {
    expect(isSequenceTable(frame, lstmDetails)).toBe(true);
    const e = evaluateSequencePredictions(frame, lstmDetails, "t", { from: split });
    expect(e.forecast?.target).toBe("open");
    expect(e.forecast?.actuals).toBe("table");
    expectReference(e, reference.horizons);
    expect(e.metrics.smape_h3).toBe(e.forecast?.horizons[2].metrics.smape);
    expectReference(evaluateSequencePredictions(frame, lstmDetails, "t", { last: 10 }), reference.last10);
  });

  it("takes the realised values from the bars by date when the table has no target column", () => {
    const bars = { time: frame.time, values: frame.get("open") };
    const e = evaluateSequencePredictions(frame.drop(["open"]), lstmDetails, "t", { from: split }, bars);
    expect(e.forecast?.actuals).toBe("bars");
    expectReference(e, reference.horizons);
    expect(() => evaluateSequencePredictions(frame.drop(["open"]), lstmDetails, "t")).toThrow(
      /no "open" column/,
    );
  });

  it("scores a one-step forecast of open against open, not against the close next to it", () => {
    const open = frame.get("open");
    const close = Float64Array.from(open, (v) => v * 1.01);
    const oneStep = frame.select(["prediction_1", "open"]).with("close", close);
    const e = evaluateSequencePredictions(oneStep, { ...lstmDetails, horizon: 1 }, "t", { from: split });
    expect(e.metrics.smape).toBeCloseTo(reference.horizons[0].metrics.smape, 12);
    // A table from before predict recorded its target falls back to close, and says so.
    const legacy = evaluateSequencePredictions(oneStep, { model: "lstm" }, "t", { from: split });
    expect(legacy.forecast?.target).toBe("close");
    expect(legacy.forecast?.targetRecorded).toBe(false);
  });

  it("refuses a horizon that does not match the columns, and recursive forecasts", () => {
    expect(() => evaluateSequencePredictions(frame, { ...lstmDetails, horizon: 5 }, "t")).toThrow(
      /horizon 5 but the table has 3/,
    );
    expect(() => evaluateSequencePredictions(frame, { ...lstmDetails, recursive: 4 }, "t")).toThrow(
      /recursive/,
    );
  });

  it("scores an up/down classifier against its derived label: the next target value is higher", () => {
    // Target 10, 11, 11, 13, 12: labels up, flat (0), up, down, unknown.
    const clf = Frame.fromColumns("X", days(5), {
      pred: f([1, 1, 1, 0, 1]),
      proba: f([0.9, 0.6, 0.7, 0.2, 0.8]),
      close: f([10, 11, 11, 13, 12]),
    });
    const details = { model: "lstm-clf", task: "classification", target: "close", label: null };
    const e = evaluateSequencePredictions(clf, details, "t", { from: Date.UTC(2024, 0, 2) });
    expect(e.kind).toBe("classification");
    expect(e.metrics.rows).toBe(4);
    expect(e.metrics.accuracy).toBeCloseTo(3 / 4, 12);
    expect(e.metrics.false_positives).toBe(1);
    // Written before predict recorded task and target: the model name and the close column say the same.
    const legacy = evaluateSequencePredictions(clf, { model: "lstm-clf" }, "t", {
      from: Date.UTC(2024, 0, 2),
    });
    expect(legacy.metrics).toEqual(e.metrics);
    expect(() => evaluateSequencePredictions(clf, { model: "dense-window" }, "t")).toThrow(/label column/);
  });
});

describe("evaluateBacktest", () => {
  // Capital 100: profits 10, -11, 5 -> equity 110, 99, 104; buy-and-hold equity 105, 100, 120.
  const frame = Frame.fromColumns("X", days(3), {
    profit: f([10, -11, 5]),
    position: f([1, 1, 0]),
    price: f([10, 11, 10]),
    equity: f([110, 99, 104]),
    benchmark_equity: f([105, 100, 120]),
  });

  it("recovers the capital and compares with buy-and-hold", () => {
    const e = evaluateBacktest(frame, "t");
    expect(e.metrics.total_pnl).toBeCloseTo(4, 12);
    expect(e.metrics.total_return).toBeCloseTo(0.04, 12);
    expect(e.metrics.benchmark_total_return).toBeCloseTo(0.2, 12);
    expect(e.metrics.excess_return).toBeCloseTo(-0.16, 12);
  });

  it("windows restart from the capital, like the backtest's test metrics", () => {
    const e = evaluateBacktest(frame, "t", { from: Date.UTC(2024, 0, 2) });
    expect(e.metrics.rows).toBe(2);
    expect(e.metrics.total_return).toBeCloseTo(-0.06, 12);
    expect(e.metrics.benchmark_total_return).toBeCloseTo(0.15, 12);
  });
});
