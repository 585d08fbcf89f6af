import { describe, expect, it } from "vitest";
import { unionDates } from "./union-dates.js";

describe("unionDates", () => {
  it("sorts and de-duplicates dates across series, and copies one shared calendar", () => {
    expect(Array.from(unionDates([Float64Array.of(1, 3, 5), Float64Array.of(2, 3, 6)]))).toEqual([
      1, 2, 3, 5, 6,
    ]);
    const one = Float64Array.of(1, 2);
    const same = unionDates([one, Float64Array.of(1, 2)]);
    expect(Array.from(same)).toEqual([1, 2]);
    expect(same).not.toBe(one);
    expect(unionDates([]).length).toBe(0);
  });
});
