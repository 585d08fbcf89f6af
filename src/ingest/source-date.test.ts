import { describe, expect, it } from "vitest";
import { parseSourceDate } from "./source-frame.js";

describe("parseSourceDate (Alpha Vantage keys)", () => {
  it("keeps years 0-99 as written instead of reading them as 19xx", () => {
    expect(new Date(parseSourceDate("0099-06-01")).toISOString()).toBe("0099-06-01T00:00:00.000Z");
    expect(new Date(parseSourceDate("0001-01-01")).toISOString()).toBe("0001-01-01T00:00:00.000Z");
  });
  it("reads dates, minutes and seconds, and AV's '(end of day)' suffix", () => {
    expect(parseSourceDate("2024-06-18")).toBe(Date.parse("2024-06-18T00:00:00Z"));
    expect(parseSourceDate("2024-06-18 14:07")).toBe(Date.parse("2024-06-18T14:07:00Z"));
    expect(parseSourceDate("2024-06-18 14:07:03")).toBe(Date.parse("2024-06-18T14:07:03Z"));
    expect(parseSourceDate("2017-11-08 (end of day)")).toBe(Date.parse("2017-11-08T00:00:00Z"));
  });
  it("refuses impossible dates rather than rolling them over", () => {
    for (const bad of ["2019-02-30", "2019-13-01", "2019-00-10", "2020-01-01 24:00", "not a date"]) {
      expect(parseSourceDate(bad), bad).toBeNaN();
    }
    expect(parseSourceDate("2020-02-29")).toBe(Date.parse("2020-02-29T00:00:00Z"));
  });
});
