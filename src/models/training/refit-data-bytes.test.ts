import { describe, expect, it } from "vitest";
import { ExitCode } from "../../core/errors.js";
import { decodeRefitData, encodeRefitData } from "./refit-data-bytes.js";
import type { RefitData } from "./refit-task.js";

function sample(): RefitData {
  return {
    model: "rf",
    params: { n_estimators: 10 },
    grid: { max_depth: [2, 4] },
    columns: [Float64Array.from([0.1 + 0.2, Number.NaN, -0, 5e-324]), Float64Array.from([Math.PI, 1, 2, 3])],
    y: Float64Array.from([1, 0, Number.NaN, 1]),
    refits: [{ trainStart: 0, trainEnd: 2, predictStart: 2, predictEnd: 4 }],
    cv: { method: "tss", splits: 5, purge: 1, embargo: 0, window: 0 },
    scoring: "accuracy",
    classWeight: null,
    seed: 9,
  };
}

const bits = (a: Float64Array) => Array.from(new BigUint64Array(Float64Array.from(a).buffer), String);

describe("walk-forward input bytes", () => {
  it("round-trip every bit and every setting", () => {
    const data = sample();
    const back = decodeRefitData(encodeRefitData(data), "x.bin");
    expect(back.columns.map(bits)).toEqual(data.columns.map(bits));
    expect(bits(back.y)).toEqual(bits(data.y));
    expect({ ...back, columns: 0, y: 0 }).toEqual({ ...data, columns: 0, y: 0 });
  });

  it("refuse a truncated file as bad data", () => {
    const bytes = encodeRefitData(sample());
    expect(() => decodeRefitData(bytes.subarray(0, bytes.length - 8), "r.bin")).toThrow(
      expect.objectContaining({ exitCode: ExitCode.data }),
    );
  });
});
