import { describe, expect, it } from "vitest";
import { ExitCode } from "../../core/errors.js";
import { decodeCvDataset, encodeCvDataset } from "./cv-dataset-bytes.js";
import type { CvDataset } from "./fold-task.js";

/** Doubles whose decimal forms would lose bits, NaN, signed zero and extremes. */
function sample(): CvDataset {
  return {
    model: "rf",
    columns: [
      Float64Array.from([0.1 + 0.2, Number.NaN, -0, 5e-324, 1.7976931348623157e308]),
      Float64Array.from([Math.PI, Math.E, -1 / 3, 2 ** 53 + 2, Number.NEGATIVE_INFINITY]),
    ],
    y: Float64Array.from([1, 0, 1, 1, 0]),
    folds: [
      { train: Uint32Array.from([0, 1]), test: Uint32Array.from([2]) },
      { train: Uint32Array.from([0, 1, 2]), test: Uint32Array.from([3, 4]) },
    ],
    scoring: "roc_auc",
    classWeight: "balanced",
    seed: 42,
  };
}

/** The bit patterns of a column (NaN === NaN and -0 !== 0 here, as on disk). */
const bits = (a: Float64Array) => Array.from(new BigUint64Array(Float64Array.from(a).buffer), String);

describe("CV dataset bytes", () => {
  it("round-trips every bit of the columns, labels and folds", () => {
    const data = sample();
    const back = decodeCvDataset(encodeCvDataset(data), "x.bin");
    expect(back.columns.map(bits)).toEqual(data.columns.map(bits));
    expect(bits(back.y)).toEqual(bits(data.y));
    expect(back.folds.map((f) => [Array.from(f.train), Array.from(f.test)])).toEqual(
      data.folds.map((f) => [Array.from(f.train), Array.from(f.test)]),
    );
    expect({ ...back, columns: 0, y: 0, folds: 0 }).toEqual({ ...data, columns: 0, y: 0, folds: 0 });
  });

  it("is deterministic: equal datasets give equal bytes (the fingerprint workers check)", () => {
    expect(Buffer.from(encodeCvDataset(sample())).equals(Buffer.from(encodeCvDataset(sample())))).toBe(true);
  });

  it("refuses truncated or foreign bytes as bad data, naming the file", () => {
    const bytes = encodeCvDataset(sample());
    expect(() => decodeCvDataset(bytes.subarray(0, bytes.length - 3), "ws/.queue/a/cv.bin")).toThrow(
      expect.objectContaining({
        exitCode: ExitCode.data,
        message: expect.stringContaining("ws/.queue/a/cv.bin"),
      }),
    );
    expect(() => decodeCvDataset(new Uint8Array(2), "y.bin")).toThrow(/not a tsml CV dataset/);
  });
});
