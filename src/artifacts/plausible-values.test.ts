// The read-side plausibility guard: where its line is, what it ignores, and what its message names.

import { describe, expect, it } from "vitest";
import { Frame } from "../frame/frame.js";
import { checkPlausibleValues, IMPLAUSIBLE_MAGNITUDE } from "./plausible-values.js";

const day = (d: number) => Date.UTC(2024, 0, d);
const frame = (values: number[], time = values.map((_, i) => day(i + 1))) =>
  Frame.fromColumns("SPX", Float64Array.from(time), {
    close: Float64Array.from(values.map(() => 1)),
    obv: Float64Array.from(values),
  });

describe("checkPlausibleValues", () => {
  it("passes large real magnitudes, NaN and infinities", () => {
    expect(() =>
      checkPlausibleValues(frame([9.99e19, -9.99e19, Number.NaN, Infinity, -Infinity]), "x"),
    ).not.toThrow();
  });

  it("refuses the first value at or beyond 1e20, naming file, column, row, ticker and date", () => {
    expect(IMPLAUSIBLE_MAGNITUDE).toBe(1e20);
    expect(() => checkPlausibleValues(frame([1, 2, 2e183, -1e20]), "f.parquet")).toThrow(
      expect.objectContaining({
        exitCode: 3,
        message:
          'f.parquet: column "obv", row 3 (SPX 2024-01-03): 2e+183 is beyond any plausible value (|x| >= 1e20)',
      }),
    );
    expect(() => checkPlausibleValues(frame([1, -1e20]), "f")).toThrow(
      /row 2 .*: -100000000000000000000 is beyond/,
    );
  });

  it("refuses a date outside years 1 to 9999", () => {
    const year1 = -62_135_596_800_000;
    expect(() => checkPlausibleValues(frame([1, 2], [year1, day(1)]), "f")).not.toThrow();
    expect(() => checkPlausibleValues(frame([1, 2], [day(1), 8.64e15]), "f")).toThrow(
      /f: row 2 \(SPX\): the date is outside years 1 to 9999/,
    );
    expect(() => checkPlausibleValues(frame([1], [year1 - 86_400_000]), "f")).toThrow(/row 1/);
  });
});
